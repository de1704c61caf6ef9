"""``ewp-stats reproduce`` and ``ewp-stats verify``: every result, written deterministically.

:func:`reproduce` runs each analysis step and writes ``results/``:

* ``tables/<step>__<name>.csv`` -- every result table;
* ``figures/<step>__<name>.png`` and ``.svg`` -- every figure (no timestamps);
* ``values.json`` -- every headline number and every numeric table cell under a semantic key
  (:func:`step_values`): ``"<step>/<name>[/<param>=<value>...]"`` for a headline value and
  ``"<step>/<table>/<key>=<value>/.../<column>"`` for a table cell, where the ``key=value`` parts
  name the row by the table's key columns (or its named index), never by its position;
* ``manifest.json`` -- the sha256 of each file and the versions of Python, ewp_stats and its
  dependencies (no dates, so two runs give byte-identical files).

:func:`verify` reruns everything and compares ``values.json`` with the reference copy shipped in
``ewp_stats/reference/values.json``, number by number, within a relative tolerance.
"""

from __future__ import annotations

import dataclasses
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
from typing import Any, ClassVar

import pandas as pd

from ewp_stats._files import sha256_of
from ewp_stats._results import Result
from ewp_stats.errors import EwpStatsError
from ewp_stats.reporting.figures.output import figure_path
from ewp_stats.reporting.steps import STEPS, StepOutput, key_part, select_steps

__all__ = ["STEPS", "reproduce", "reference_figures", "figure_digests", "compare_figures", "verify", "verify_cli", "VerifyReport", "flatten_tables", "step_values",
           "KeyCollisionError"]

_DEPENDENCIES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn")


def _finite(x: Any) -> float | None:
    """A JSON-safe float (None for NaN/inf or non-numbers)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


class KeyCollisionError(EwpStatsError, ValueError):
    """Two numbers of the results would be written under the same ``values.json`` key."""


def _row_labels(name: str, frame: pd.DataFrame, key_columns: tuple[str, ...] | None) -> list[str]:
    """The ``key=value/...`` label of each row: from ``key_columns``, else from the named index."""
    if key_columns is not None:
        missing = [c for c in key_columns if c not in frame.columns and c not in frame.index.names]
        if missing:
            raise KeyError(f"table {name!r}: key columns {missing} not found")
        cols = frame.reset_index()[list(key_columns)] if any(c in frame.index.names for c in key_columns) \
            else frame[list(key_columns)]
        names, rows = list(key_columns), list(cols.itertuples(index=False, name=None))
    else:
        names = list(frame.index.names)
        if isinstance(frame.index, pd.RangeIndex) or any(n is None for n in names):
            raise KeyCollisionError(
                f"table {name!r} has a positional or unnamed index {names}: declare its key columns "
                "(StepOutput.keys) or give every index level a name")
        rows = [r if isinstance(r, tuple) else (r,) for r in frame.index]
    return ["/".join(f"{key_part(n)}={key_part(v)}" for n, v in zip(names, row)) for row in rows]


def flatten_tables(step: str, tables: dict[str, pd.DataFrame],
                   *, keys: dict[str, tuple[str, ...]] | None = None) -> dict[str, float]:
    """Every finite numeric cell as ``"<step>/<table>/<key>=<value>/.../<column>"`` -> value.

    A table's declared key columns name its rows and are not written as values too: their
    value is already in every key of the row (``.../h=5/m_bic``, not also ``.../h=5/h``).

    Parameters
    ----------
    step
        The step's name (first part of every key).
    tables
        The step's tables.
    keys
        Key columns per table name; a table not listed is keyed by its index, whose levels must
        all be named (a ``RangeIndex`` is refused: a row position is not a stable key).

    Raises
    ------
    KeyCollisionError
        A table has a positional index and no declared key columns, or two cells get one key
        (the key columns do not identify the rows).
    """
    keys = keys or {}
    out: dict[str, float] = {}
    for name, frame in tables.items():
        labels = _row_labels(name, frame, keys.get(name))
        if len(set(labels)) != len(labels):
            dup = sorted({x for x in labels if labels.count(x) > 1})
            raise KeyCollisionError(f"table {name!r}: rows are not identified by their key: {dup[:5]}")
        numeric = frame.select_dtypes(include="number")
        numeric = numeric.drop(columns=[c for c in keys.get(name, ()) if c in numeric.columns])
        for label, (_, series) in zip(labels, numeric.iterrows()):
            for col, value in series.items():
                f = _finite(value)
                if f is not None:
                    out[f"{step}/{key_part(name)}/{label}/{key_part(col)}"] = f
    return out


def step_values(step: str, output: StepOutput) -> dict[str, float]:
    """Every ``values.json`` entry of one step: its headline values and its table cells.

    The book glues exactly these keys (``ewp_stats.reporting.glue.publish``), so a number in
    the book and in ``values.json`` are one and the same.

    Raises
    ------
    KeyCollisionError
        Two numbers of the step would share a key.
    """
    values: dict[str, float] = {}
    for key, value in output.values.items():
        f = _finite(value)
        if f is not None:
            values[f"{step}/{key}"] = f
    cells = flatten_tables(step, output.tables, keys=output.keys)
    clash = sorted(set(values) & set(cells))
    if clash:
        raise KeyCollisionError(f"step {step!r}: headline values collide with table cells: {clash[:5]}")
    return values | cells


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

    Raises
    ------
    ewp_stats.errors.InputError
        A name in ``steps`` is not a step (checked before anything is run or written).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.figures.output import save_figure

    names = select_steps(steps)
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    show = sys.stderr.isatty() if progress is None else progress
    values: dict[str, float] = {}
    files: list[Path] = []
    for _, name in _Progress(show).steps(names):
        result = STEPS[name]()
        values.update(step_values(name, result))
        for tname, frame in result.tables.items():
            path = out / "tables" / f"{name}__{tname}.csv"
            path.write_text(frame.to_csv(lineterminator="\n"), encoding="utf-8")
            files.append(path)
        for fname, fig in result.figures.items():
            files.extend(save_figure(fig, figure_path(name, fname, folder=out / "figures")))
            plt.close(fig)
    values_path = out / "values.json"
    values_path.write_text(json.dumps(dict(sorted(values.items())), indent=1) + "\n", encoding="utf-8")
    files.append(values_path)
    manifest = {"generator": "ewp-stats reproduce", "steps": names, "versions": _versions(),
                "files": {p.relative_to(out).as_posix(): sha256_of(p) for p in sorted(files)}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class VerifyReport(Result):
    """Comparison of fresh results with the reference, number by number.

    Attributes
    ----------
    rtol, atol
        The tolerances: a value matches when ``|fresh - reference| <= atol + rtol * |reference|``.
    matched
        Keys whose values match.
    drifted
        ``(key, reference, fresh)`` for every value outside the tolerance.
    missing, new
        Keys only in the reference, and keys only in the fresh results.
    figures_matched, figures_changed, figures_missing, figures_new
        Figure files (``figures/<step>__<name>.png`` and ``.svg``) whose sha256 equals the
        reference's, differs from it, is only in the reference, or only in the fresh results.
        Empty when no figure reference was compared.
    """

    _title: ClassVar[str] = "Verification against the reference values and figures"

    rtol: float
    atol: float
    matched: tuple[str, ...]
    drifted: tuple[tuple[str, float, float], ...]
    missing: tuple[str, ...]
    new: tuple[str, ...]
    figures_matched: tuple[str, ...] = ()
    figures_changed: tuple[str, ...] = ()
    figures_missing: tuple[str, ...] = ()
    figures_new: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no value drifted and no figure changed, and nothing is missing or new."""
        return not (self.drifted or self.missing or self.new or self.figures_changed or self.figures_missing
                    or self.figures_new)

    def summary(self) -> str:
        """One line of counts, then one line per drifted, missing or new key and changed figure."""
        lines = [f"verify: {len(self.matched)} matched, {len(self.drifted)} drifted, {len(self.missing)} missing, "
                 f"{len(self.new)} new (rtol {self.rtol:g}, atol {self.atol:g}); figures: "
                 f"{len(self.figures_matched)} identical, {len(self.figures_changed)} changed, "
                 f"{len(self.figures_missing)} missing, {len(self.figures_new)} new"]
        lines += [f"  DRIFT   {k}: reference {r!r}, now {n!r}" for k, r, n in self.drifted]
        lines += [f"  MISSING {k}" for k in self.missing]
        lines += [f"  NEW     {k}" for k in self.new]
        lines += [f"  FIGURE CHANGED {k}" for k in self.figures_changed]
        lines += [f"  FIGURE MISSING {k}" for k in self.figures_missing]
        lines += [f"  FIGURE NEW     {k}" for k in self.figures_new]
        return "\n".join(lines)


def reference_values() -> dict[str, float]:
    """The reference ``values.json`` shipped with the package."""
    text = resources.files("ewp_stats").joinpath("reference", "values.json").read_text(encoding="utf-8")
    return json.loads(text)


def reference_figures() -> dict[str, str]:
    """The reference sha256 of every figure file (``figures/<step>__<name>.png``/``.svg``),
    shipped with the package as ``reference/figures.json``."""
    text = resources.files("ewp_stats").joinpath("reference", "figures.json").read_text(encoding="utf-8")
    return json.loads(text)


def figure_digests(manifest: dict[str, Any]) -> dict[str, str]:
    """The figure entries (``figures/...``) of a :func:`reproduce` manifest: path -> sha256."""
    return {path: digest for path, digest in manifest["files"].items() if path.startswith("figures/")}


def compare_figures(fresh: dict[str, str], reference: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Figure files that are identical, changed, only in the reference or only in ``fresh``."""
    common = sorted(set(fresh) & set(reference))
    return {"figures_matched": tuple(k for k in common if fresh[k] == reference[k]),
            "figures_changed": tuple(k for k in common if fresh[k] != reference[k]),
            "figures_missing": tuple(sorted(set(reference) - set(fresh))),
            "figures_new": tuple(sorted(set(fresh) - set(reference)))}


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


def verify(out: Path | str = "results", *, reference: dict[str, float] | None = None,
           figure_reference: dict[str, str] | None = None, rtol: float = 1e-9,
           progress: bool | None = None, steps: list[str] | None = None) -> VerifyReport:
    """Rerun :func:`reproduce` into ``out`` and compare its values and figures with the reference.

    Parameters
    ----------
    out
        Where the fresh results are written.
    reference
        Reference values (default: ``reference_values()``, the shipped copy).
    figure_reference
        Reference sha256 per figure file (default: :func:`reference_figures`, the shipped copy).
        Figures are compared byte for byte: the pinned matplotlib and fonts make them
        reproducible, and a changed figure is a changed result.
    rtol
        Relative tolerance per number. The default 1e-9 allows for floating-point differences
        between BLAS builds and platforms, not for any change of method or data.
    steps
        Run and compare only these steps (default: all).
    """
    manifest = reproduce(out, progress=progress, steps=steps)
    fresh = json.loads((Path(out) / "values.json").read_text(encoding="utf-8"))
    ref = reference if reference is not None else reference_values()
    figs = figure_reference if figure_reference is not None else reference_figures()
    if steps is not None:
        ref = {k: v for k, v in ref.items() if k.split("/", 1)[0] in steps}
        figs = {k: v for k, v in figs.items() if k.removeprefix("figures/").split("__", 1)[0] in steps}
    report = compare(fresh, ref, rtol=rtol)
    return dataclasses.replace(report, **compare_figures(figure_digests(manifest), figs))


def verify_cli(out: Path, *, reference: str | None = None, rtol: float = 1e-9) -> int:
    """``ewp-stats verify``: print the report; exit status 1 on any drift."""
    ref = json.loads(Path(reference).read_text(encoding="utf-8")) if reference else None
    report = verify(out, reference=ref, rtol=rtol)
    print(report.summary())
    return 0 if report.ok else 1
