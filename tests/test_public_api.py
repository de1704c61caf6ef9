"""Every public function of every module takes its options by keyword.

Data arguments (the series, the regressor matrix, a frame or table to analyse, an output folder)
may be passed by position; anything else with a default must come after ``*``, so that a call
reads as what it asks for and a new option never shifts the meaning of an old call.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ewp_stats

#: Parameter names that are data, not options: they may have a default and stay positional.
DATA_ARGUMENTS = frozenset({
    "X", "dates", "break_dates",                  # the break engine: regressors and break dates
    "frame", "funding", "register", "result", "ratio",  # the analysed table or result
    "raw_dir", "out", "argv", "names", "upper",    # input folder, output folder, CLI args, steps, bound
})


def _public_functions():
    for info in pkgutil.walk_packages(ewp_stats.__path__, "ewp_stats."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", obj


def test_options_are_keyword_only() -> None:
    positional_options = [
        f"{qualname}({p.name}={p.default!r})"
        for qualname, func in _public_functions()
        for p in inspect.signature(func).parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty and p.name not in DATA_ARGUMENTS
    ]
    assert not positional_options, "options that can be passed by position:\n" + "\n".join(positional_options)


def test_the_scan_sees_the_whole_package() -> None:
    names = {q for q, _ in _public_functions()}
    for expected in ("ewp_stats.engines.breaks.bai_perron.breakpoints", "ewp_stats.paper.eras.eras_analysis",
                     "ewp_stats.paper.xinjiang.xinjiang_synth", "ewp_stats.reporting.reproduce.verify",
                     "ewp_stats.pipeline.build.build_all"):
        assert expected in names
