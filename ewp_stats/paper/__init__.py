"""The source paper's questions, answered with the engines on the shipped data.

* :mod:`~ewp_stats.paper.eras` -- do the east/west GDP ratio's trends break where the paper's eras begin?
* :mod:`~ewp_stats.paper.funding` and :mod:`~ewp_stats.paper.funding_decomposition` -- what the
  partnership's funds (Table 1) consist of, and how their growth splits by source;
* :mod:`~ewp_stats.paper.xinjiang` -- Xinjiang after the 2010 pairing programme;
* :mod:`~ewp_stats.paper.claims` -- the audit of every numeric claim in the five source documents.
"""
