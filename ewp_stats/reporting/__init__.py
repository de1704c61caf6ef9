"""Turning the paper's results into files, a book and a command line.

* :mod:`~ewp_stats.reporting.figures` -- one function per published figure, and deterministic output;
* :mod:`~ewp_stats.reporting.steps` -- the one registry of ``reproduce`` steps (one per chapter);
* :mod:`~ewp_stats.reporting.reproduce` -- ``ewp-stats reproduce`` and ``verify``;
* :mod:`~ewp_stats.reporting.book` -- builds the Jupyter Book;
* :mod:`~ewp_stats.reporting.cli` -- the ``ewp-stats`` command.
"""
