"""Every result object of every layer shares one API.

The classes are found by walking every module of :mod:`ewp_stats`: every subclass of
:class:`ewp_stats._results.Result` and every class named ``*Result`` or ``*Report``. Each must
derive from :class:`~ewp_stats._results.Result`, keep no private state, call its p-values
``pvalue``, use the break vocabulary of :mod:`ewp_stats.engines.breaks`, and leave text, HTML and
JSON to the base (it may override ``summary`` and the ``_rows`` / ``to_frame`` /
``_display_frame`` hooks).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import re

import pytest

import ewp_stats
from ewp_stats._results import Result, jsonable

MODULES = [importlib.import_module(m.name)
           for m in pkgutil.walk_packages(ewp_stats.__path__, prefix="ewp_stats.")]
CLASSES = sorted(
    {c for m in MODULES for _, c in inspect.getmembers(m, inspect.isclass)
     if c.__module__ == m.__name__ and c is not Result
     and (issubclass(c, Result) or c.__name__.endswith(("Result", "Report")))},
    key=lambda c: (c.__module__, c.__name__))


def test_walk_finds_the_results_of_every_layer():
    names = {c.__name__ for c in CLASSES}
    assert {"BreakpointsResult", "BreakConfint", "ChowTestResult", "FStatsResult", "FluctuationTestResult",
            "TestResult", "SynthResult", "PlaceboResult", "LeaveOneOutResult", "DidResult",  # engines
            "ErasResult", "AuditResult", "Reconstruction", "Composition", "GovernmentLevels",
            "PaperShares", "Stability",  # paper
            "VerifyReport"} <= names  # reporting
    layers = {c.__module__.split(".")[1] for c in CLASSES}
    assert {"engines", "paper", "reporting"} <= layers


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_result_api(cls):
    assert issubclass(cls, Result), f"{cls.__name__} must derive from ewp_stats._results.Result"
    assert dataclasses.is_dataclass(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert not [n for n in names if n.startswith("_")], "results keep no private state"
    assert not [n for n in names if re.search(r"p_value|pval\b|_p$", n)], "p-values are called pvalue"
    members = set(names) | {n for n, _ in inspect.getmembers(cls) if not n.startswith("_")}
    assert not {"breakpoints", "breakpoint", "breaks", "breaks_by_m"} & members
    for own in ("_repr_html_", "to_dict", "__str__"):
        assert own not in vars(cls), f"{cls.__name__} re-implements {own}; the base provides it"


def test_jsonable_serialises_plain_dataclasses_by_their_public_fields():
    @dataclasses.dataclass(frozen=True)
    class Row:
        id: str
        value: float
        missing: float | None
        _secret: int = 0

    out = jsonable({"rows": (Row("P01", 2.5, float("nan")), Row("P02", -1.0, None))})
    assert out == {"rows": [{"id": "P01", "value": 2.5, "missing": None},
                            {"id": "P02", "value": -1.0, "missing": None}]}
    json.dumps(out, allow_nan=False)
