"""``ewp-stats reproduce`` and ``ewp-stats verify``: every result, written deterministically.

:func:`reproduce` runs each analysis step and writes ``results/``:

* ``tables/<step>__<name>.csv`` -- every result table;
* ``figures/<step>__<name>.png`` and ``.svg`` -- every figure (no timestamps);
* ``values.json`` -- every headline number and every numeric table cell, flattened to
  ``"<step>/<name>"`` or ``"<step>/<table>/<row>/<column>"`` keys;
* ``manifest.json`` -- the sha256 of each file and the versions of Python, ewp_stats and its
  dependencies (no dates, so two runs give byte-identical files).

:func:`verify` reruns everything and compares ``values.json`` with the reference copy shipped in
``ewp_stats/reference/values.json``, number by number, within a relative tolerance.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ewp_stats.reporting.steps import STEPS

__all__ = ["STEPS", "reproduce", "verify", "verify_cli", "VerifyReport", "flatten_tables"]

_DEPENDENCIES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn")


def _finite(x: Any) -> float | None:
    """A JSON-safe float (None for NaN/inf or non-numbers)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _label(x: Any) -> str:
    if isinstance(x, tuple):
        return "|".join(_label(v) for v in x)
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def flatten_tables(step: str, tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Every finite numeric cell as ``"<step>/<table>/<row>/<column>"`` -> value."""
    out: dict[str, float] = {}
    for name, frame in tables.items():
        numeric = frame.select_dtypes(include="number")
        for row, series in numeric.iterrows():
            for col, value in series.items():
                f = _finite(value)
                if f is not None:
                    out[f"{step}/{name}/{_label(row)}/{_label(col)}"] = f
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "ewp-stats": importlib_metadata.version("ewp-stats")}
    for dist in _DEPENDENCIES:
        versions[dist] = importlib_metadata.version(dist)
    return versions


@dataclass(frozen=True)
class _Progress:
    enabled: bool

    def steps(self, names: list[str]) -> Iterator[tuple[int, str]]:
        for i, name in enumerate(names, start=1):
            start = time.perf_counter()
            if self.enabled:
                print(f"[{i}/{len(names)}] {name} ...", end="", file=sys.stderr, flush=True)
            yield i, name
            if self.enabled:
                print(f" done ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)


def reproduce(out: Path | str = "results", *, progress: bool | None = None,
              steps: list[str] | None = None) -> dict[str, Any]:
    """Run the analysis steps and write tables, figures, ``values.json`` and ``manifest.json``.

    Parameters
    ----------
    out
        Output directory (created; files of earlier runs are overwritten).
    progress
        Show progress on stderr; default: when stderr is a terminal.
    steps
        Subset of :data:`~ewp_stats.reporting.steps.STEPS` to run (default: all).

    Returns
    -------
    dict
        The manifest written to ``manifest.json``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.figures.output import save_figure

    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    names = list(STEPS) if steps is None else steps
    show = sys.stderr.isatty() if progress is None else progress
    values: dict[str, float] = {}
    files: list[Path] = []
    for _, name in _Progress(show).steps(names):
        result = STEPS[name]()
        for key, value in result.values.items():
            f = _finite(value)
            if f is not None:
                values[f"{name}/{key}"] = f
        values.update(flatten_tables(name, result.tables))
        for tname, frame in result.tables.items():
            path = out / "tables" / f"{name}__{tname}.csv"
            path.write_text(frame.to_csv(lineterminator="\n"), encoding="utf-8")
            files.append(path)
        for fname, fig in result.figures.items():
            files.extend(save_figure(fig, out / "figures" / f"{name}__{fname}"))
            plt.close(fig)
    values_path = out / "values.json"
    values_path.write_text(json.dumps(dict(sorted(values.items())), indent=1) + "\n", encoding="utf-8")
    files.append(values_path)
    manifest = {"generator": "ewp-stats reproduce", "steps": names, "versions": _versions(),
                "files": {p.relative_to(out).as_posix(): _sha256(p) for p in sorted(files)}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class VerifyReport:
    """Comparison of fresh results with the reference, number by number."""

    rtol: float
    atol: float
    matched: tuple[str, ...]
    drifted: tuple[tuple[str, float, float], ...]
    missing: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing drifted, nothing is missing and nothing is new."""
        return not (self.drifted or self.missing or self.new)

    def summary(self) -> str:
        lines = [f"verify: {len(self.matched)} matched, {len(self.drifted)} drifted, {len(self.missing)} missing, "
                 f"{len(self.new)} new (rtol {self.rtol:g}, atol {self.atol:g})"]
        lines += [f"  DRIFT   {k}: reference {r!r}, now {n!r}" for k, r, n in self.drifted]
        lines += [f"  MISSING {k}" for k in self.missing]
        lines += [f"  NEW     {k}" for k in self.new]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "rtol": self.rtol, "atol": self.atol, "matched": len(self.matched),
                "drifted": [list(d) for d in self.drifted], "missing": list(self.missing), "new": list(self.new)}


def reference_values() -> dict[str, float]:
    """The reference ``values.json`` shipped with the package."""
    text = resources.files("ewp_stats").joinpath("reference", "values.json").read_text(encoding="utf-8")
    return json.loads(text)


def compare(fresh: dict[str, float], reference: dict[str, float], *, rtol: float = 1e-9,
            atol: float = 1e-12) -> VerifyReport:
    """Compare two flat value maps: ``|a - b| <= atol + rtol * |b|`` for each key."""
    matched, drifted = [], []
    for key in sorted(set(fresh) & set(reference)):
        a, b = fresh[key], reference[key]
        (matched if abs(a - b) <= atol + rtol * abs(b) else drifted).append(key)
    return VerifyReport(rtol, atol, tuple(matched),
                        tuple((k, reference[k], fresh[k]) for k in drifted),
                        tuple(sorted(set(reference) - set(fresh))), tuple(sorted(set(fresh) - set(reference))))


def verify(out: Path | str = "results", *, reference: dict[str, float] | None = None, rtol: float = 1e-9,
           progress: bool | None = None, steps: list[str] | None = None) -> VerifyReport:
    """Rerun :func:`reproduce` into ``out`` and compare its values with the reference.

    Parameters
    ----------
    out
        Where the fresh results are written.
    reference
        Reference values (default: ``reference_values()``, the shipped copy).
    rtol
        Relative tolerance per number. The default 1e-9 allows for floating-point differences
        between BLAS builds and platforms, not for any change of method or data.
    steps
        Run and compare only these steps (default: all).
    """
    reproduce(out, progress=progress, steps=steps)
    fresh = json.loads((Path(out) / "values.json").read_text(encoding="utf-8"))
    ref = reference if reference is not None else reference_values()
    if steps is not None:
        ref = {k: v for k, v in ref.items() if k.split("/", 1)[0] in steps}
    return compare(fresh, ref, rtol=rtol)


def verify_cli(out: Path, reference: str | None = None, rtol: float = 1e-9) -> int:
    """``ewp-stats verify``: print the report; exit status 1 on any drift."""
    ref = json.loads(Path(reference).read_text(encoding="utf-8")) if reference else None
    report = verify(out, reference=ref, rtol=rtol)
    print(report.summary())
    return 0 if report.ok else 1
