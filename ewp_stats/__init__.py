"""ewp_stats: reproducible statistics on China's East-West partnership for poverty reduction.

The package is built in layers, and imports point one way (reporting -> paper -> engines -> core;
paper -> data -> core; pipeline -> data -> core; ``python ../shared/tools/layers.py`` checks it):

* core (top-level modules): :mod:`~ewp_stats.errors`, :mod:`~ewp_stats._results` (the one result
  base class), :mod:`~ewp_stats.printed` (what a printed figure means: rounding, half units) and
  :mod:`~ewp_stats._files` (file hashing);
* :mod:`ewp_stats.data` -- the shipped cleaned datasets (``data.load``, ``data.list_datasets``),
  their schemas and vocabularies; :mod:`ewp_stats.pipeline` builds them from the raw files;
* :mod:`ewp_stats.engines` -- generic statistics usable on any data: break tests
  (``engines.breaks``), synthetic control, difference-in-differences, decompositions and the
  safe claim-expression language;
* :mod:`ewp_stats.paper` -- the source paper's questions: the three eras, the funding table,
  Xinjiang after 2010 and the audit of every numeric claim;
* :mod:`ewp_stats.reporting` -- figures, the ``reproduce``/``verify`` steps, the book and the CLI.

The short names below are loaded lazily, so ``import ewp_stats`` stays fast and
``from ewp_stats import breaks, synth, did, eras, funding, xinjiang, claims, data`` works.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Short public name -> the module it stands for.
_SHORT_NAMES: dict[str, str] = {
    "data": "ewp_stats.data",
    "pipeline": "ewp_stats.pipeline",
    "errors": "ewp_stats.errors",
    "printed": "ewp_stats.printed",
    "engines": "ewp_stats.engines",
    "paper": "ewp_stats.paper",
    "reporting": "ewp_stats.reporting",
    "breaks": "ewp_stats.engines.breaks",
    "synth": "ewp_stats.engines.synth",
    "did": "ewp_stats.engines.did",
    "decompose": "ewp_stats.engines.decompose",
    "eras": "ewp_stats.paper.eras",
    "funding": "ewp_stats.paper.funding",
    "xinjiang": "ewp_stats.paper.xinjiang",
    "claims": "ewp_stats.paper.claims",
    "reproduce": "ewp_stats.reporting.reproduce",
    "book": "ewp_stats.reporting.book",
}

__all__ = ["__version__", *_SHORT_NAMES]


def __getattr__(name: str) -> Any:
    if name in _SHORT_NAMES:
        return importlib.import_module(_SHORT_NAMES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
