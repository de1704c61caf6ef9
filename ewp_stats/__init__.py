"""ewp_stats: reproducible statistics on China's East-West partnership for poverty reduction.

Submodules are imported lazily so that ``import ewp_stats`` stays fast:

* :mod:`ewp_stats.data` -- the cleaned datasets (``data.load``, ``data.list_datasets``);
* :mod:`ewp_stats.breaks` -- Chow, sup-F and Bai-Perron break tests;
* :mod:`ewp_stats.eras` -- the three-eras analysis of the east/west ratio;
* :mod:`ewp_stats.funding` -- decomposition of the partnership's funding (Table 1);
* :mod:`ewp_stats.xinjiang` and :mod:`ewp_stats.synth` -- Xinjiang outcomes and synthetic control;
* :mod:`ewp_stats.claims` -- the audit of every numeric claim in the source documents;
* :mod:`ewp_stats.pipeline` -- the cleaning pipeline that builds the datasets from raw files.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = ("data", "breaks", "eras", "funding", "xinjiang", "synth", "did", "claims", "pipeline",
               "plotting", "errors", "schema", "reproduce", "book")

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
