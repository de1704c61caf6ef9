"""The result objects of the engines and the paper's eras analysis share one API.

Every result derives from :class:`ewp_stats._results.Result`, keeps no private state, calls its
p-values ``pvalue`` and uses the break vocabulary of :mod:`ewp_stats.engines.breaks`.
"""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest

from ewp_stats._results import Result
from ewp_stats.engines import did, synth
from ewp_stats.engines.breaks import confint, results
from ewp_stats.paper import eras
from ewp_stats.reporting import reproduce

MODULES = [results, confint, synth, did, eras, reproduce]
CLASSES = [
    c for m in MODULES for _, c in inspect.getmembers(m, inspect.isclass)
    if c.__module__ == m.__name__ and dataclasses.is_dataclass(c) and c.__name__.endswith(("Result", "Confint", "Report"))
]


def test_every_result_class_is_found():
    names = {c.__name__ for c in CLASSES}
    assert {"BreakpointsResult", "BreakConfint", "ChowTestResult", "FStatsResult", "FluctuationTestResult",
            "TestResult", "SynthResult", "PlaceboResult", "LeaveOneOutResult", "DidResult", "ErasResult",
            "VerifyReport"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_result_api(cls):
    assert issubclass(cls, Result)
    names = [f.name for f in dataclasses.fields(cls)]
    assert not [n for n in names if n.startswith("_")], "results keep no private state"
    assert not [n for n in names if re.search(r"p_value|pval\b|_p$", n)], "p-values are called pvalue"
    members = set(names) | {n for n, _ in inspect.getmembers(cls) if not n.startswith("_")}
    assert not {"breakpoints", "breakpoint", "breaks", "breaks_by_m"} & members
    for own in ("_repr_html_", "to_dict", "__str__"):
        assert own not in vars(cls), f"{cls.__name__} re-implements {own}; the base provides it"
