"""Generic statistics, usable on any data: nothing here knows about the paper or its datasets.

* :mod:`~ewp_stats.engines.breaks` -- Chow, sup-F and Bai-Perron break tests (checked against R
  strucchange), with Bai (1997) intervals in ``breaks.confint``;
* :mod:`~ewp_stats.engines.synth` and :mod:`~ewp_stats.engines.synth_plot` -- synthetic control
  with placebo and leave-one-out checks, and its plots;
* :mod:`~ewp_stats.engines.did` -- difference-in-differences with one treated unit;
* :mod:`~ewp_stats.engines.panel` -- the checks shared by the panel estimators;
* :mod:`~ewp_stats.engines.decompose` -- additive and LMDI decompositions of a change in a total;
* :mod:`~ewp_stats.engines.checklang` -- a safe expression language with interval (rounding-aware)
  arithmetic, for checking printed figures.
"""
