"""``ewp-stats reproduce`` and ``ewp-stats verify``: every result, written deterministically.

:func:`reproduce` runs each analysis step and writes ``results/``:

* ``tables/<step>__<name>.csv`` -- every result table;
* ``figures/<step>__<name>.png`` and ``.svg`` -- every figure (no timestamps);
* ``values.json`` -- every headline number and every numeric table cell under a semantic key
  (:func:`step_values`): ``"<step>/<name>[/<param>=<value>...]"`` for a headline value and
  ``"<step>/<table>/<key>=<value>/.../<column>"`` for a table cell, where the ``key=value`` parts
  name the row by the table's key columns (or its named index), never by its position;
* ``provenance.json`` -- for each step, the function that produced it, the datasets it loaded
  (recorded while it ran) and their raw and seed files with commits and sha256
  (``ewp_stats.reporting.provenance``);
* ``manifest.json`` -- the sha256 of each file and the versions of Python, ewp_stats and its
  dependencies (no dates, so two runs give byte-identical files).

The directory is written atomically: everything goes into a temporary directory beside it,
the manifest is written last (covering every file), and the whole is swapped in with one rename,
so results appear complete or not at all and files of an earlier run are gone. A lock file
beside the directory stops two runs on one directory from interleaving. Figures are made
with matplotlib's default style pinned (:func:`~ewp_stats.reporting.reproduce.pinned_style`),
so a user's ``matplotlibrc`` cannot change them.

:func:`verify` reruns everything and compares ``values.json`` with the reference copy shipped in
``ewp_stats/reference/values.json``, number by number, within a relative tolerance.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
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

from ewp_stats._files import atomic_directory, directory_lock, sha256_of
from ewp_stats._results import Result
from ewp_stats.errors import EwpStatsError, InputError
from ewp_stats.reporting.figures.output import figure_path
from ewp_stats.reporting.provenance import StepProvenance, provenance_json, run_step
from ewp_stats.reporting.steps import STEPS, StepOutput, key_part, select_steps

__all__ = ["STEPS", "reproduce", "reference_figures", "figure_digests", "compare_figures", "verify", "verify_cli", "VerifyReport", "flatten_tables", "step_values",
           "KeyCollisionError", "pinned_style"]

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


@contextlib.contextmanager
def pinned_style() -> Iterator[None]:
    """Within the block, matplotlib uses its built-in default style, whatever the user's
    ``matplotlibrc``, ``MPLCONFIGDIR`` or earlier ``rcParams`` changes say.

    The shipped figures (``ewp_stats/reference/figures.json``) were made with these defaults,
    so pinning them keeps the figures byte-identical on any machine with the pinned
    matplotlib and fonts. Settings made inside the block (by a step) are undone at its end.
    """
    import matplotlib as mpl

    with mpl.rc_context():
        mpl.rcdefaults()
        yield


_GENERATOR = "ewp-stats reproduce"
_DATA_ERRORS = (LookupError, EwpStatsError)


def _check_out(out: Path | str) -> Path:
    """The output directory, after refusing an empty name, a file, or a foreign directory."""
    if isinstance(out, str) and not out.strip():
        raise InputError("--out is empty: name the directory for the results (e.g. --out results)")
    path = Path(os.path.realpath(out))
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {out} is an existing file, not a directory: choose a directory for the "
                         "results (it is created, or replaced if it holds an earlier run)")
    if path.is_dir() and any(path.iterdir()):
        manifest = path / "manifest.json"
        try:
            ours = json.loads(manifest.read_text(encoding="utf-8")).get("generator") == _GENERATOR
        except (OSError, ValueError, AttributeError):
            ours = False
        if manifest.is_symlink() or not ours:
            raise InputError(f"--out {out} is a non-empty directory without an {_GENERATOR} manifest.json: "
                             "reproduce replaces the whole directory, so choose a new or empty one, or an "
                             "earlier results directory")
    return path


def _files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative POSIX paths, sorted); symlinks are not followed."""
    found = []
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            found.append(Path(root, name).relative_to(folder).as_posix())
    return sorted(found)


def reproduce(out: Path | str = "results", *, progress: bool | None = None,
              steps: list[str] | None = None) -> dict[str, Any]:
    """Run the analysis steps and write tables, figures, ``values.json`` and ``manifest.json``.

    Parameters
    ----------
    out
        Output directory. It is written atomically: the results go into a temporary directory
        beside it and replace it in one rename when complete (files of an earlier run that
        this run does not write are removed; nothing is ever written through a symlink
        inside it). An interruption or error leaves the previous content untouched.
    progress
        Show progress on stderr; default: when stderr is a terminal.
    steps
        Subset of :data:`~ewp_stats.reporting.steps.STEPS` to run (default: all).

    Returns
    -------
    dict
        The manifest written to ``manifest.json`` (last, covering every other file).

    Raises
    ------
    ewp_stats.errors.InputError
        A name in ``steps`` is not a step, ``out`` is empty, names an existing file, or is a
        non-empty directory that does not hold an earlier run (all checked before anything is
        run or written).
    ewp_stats._files.LockedError
        Another run is writing ``out`` (the message names the lock file).
    """
    return _reproduce(out, progress=progress, steps=steps, failed=None)


def _reproduce(out: Path | str, *, progress: bool | None, steps: list[str] | None,
               failed: dict[str, str] | None) -> dict[str, Any]:
    """:func:`reproduce`; with ``failed`` a step raising a data error is recorded there and skipped."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.figures.output import save_figure

    names = select_steps(steps)
    target = _check_out(out)
    show = sys.stderr.isatty() if progress is None else progress
    with directory_lock(target, command=_GENERATOR), atomic_directory(target) as tmp:
        (tmp / "tables").mkdir()
        (tmp / "figures").mkdir()
        values: dict[str, float] = {}
        chains: list[StepProvenance] = []
        written: set[str] = set()
        with pinned_style():
            for _, name in _Progress(show).steps(names):
                try:
                    result, chain = run_step(name)
                    step_vals = step_values(name, result)
                except _DATA_ERRORS as exc:
                    if failed is None:
                        raise
                    failed[name] = f"{type(exc).__name__}: {exc}"
                    plt.close("all")
                    continue
                values.update(step_vals)
                chains.append(chain)
                for tname, frame in result.tables.items():
                    path = tmp / "tables" / f"{name}__{tname}.csv"
                    path.write_text(frame.to_csv(lineterminator="\n"), encoding="utf-8")
                    written.add(path.relative_to(tmp).as_posix())
                for fname, fig in result.figures.items():
                    for path in save_figure(fig, figure_path(name, fname, folder=tmp / "figures")):
                        written.add(path.relative_to(tmp).as_posix())
                    plt.close(fig)
        (tmp / "values.json").write_text(json.dumps(dict(sorted(values.items())), indent=1) + "\n",
                                         encoding="utf-8")
        written.add("values.json")
        # like values.json: written inside the temporary directory, which is swapped in whole
        # (atomic_write_text would leave the file mode 0600 of its mkstemp file)
        (tmp / "provenance.json").write_text(provenance_json(chains), encoding="utf-8")
        written.add("provenance.json")
        present = _files_under(tmp)
        if present != sorted(written):
            raise EwpStatsError(f"reproduce: files written {sorted(set(present) ^ written)} do not match "
                                "the files recorded; nothing was replaced")
        manifest: dict[str, Any] = {"generator": _GENERATOR, "steps": names, "versions": _versions(),
                                    "files": {rel: sha256_of(tmp / rel) for rel in present}}
        if failed:
            manifest["failed_steps"] = dict(sorted(failed.items()))
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                           encoding="utf-8")
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
    steps_failed
        ``(step, error)`` for every step that could not run on the current data (e.g. a dataset
        lost rows the step needs); each of its reference values is listed in ``drifted`` with
        the fresh value NaN.
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
    steps_failed: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """True when no value drifted and no figure changed, and nothing is missing or new."""
        return not (self.drifted or self.missing or self.new or self.figures_changed or self.figures_missing
                    or self.figures_new or self.steps_failed)

    def summary(self) -> str:
        """One line of counts, then one line per drifted, missing or new key and changed figure."""
        lines = [f"verify: {len(self.matched)} matched, {len(self.drifted)} drifted, {len(self.missing)} missing, "
                 f"{len(self.new)} new (rtol {self.rtol:g}, atol {self.atol:g}); figures: "
                 f"{len(self.figures_matched)} identical, {len(self.figures_changed)} changed, "
                 f"{len(self.figures_missing)} missing, {len(self.figures_new)} new"]
        lines += [f"  STEP FAILED {k}: {e} (its reference values count as drifted)" for k, e in self.steps_failed]
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


def _tolerance(name: str, value: Any) -> float:
    """``value`` as a float after checking it is a finite number >= 0 (else InputError naming ``name``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name} must be a finite number >= 0, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def compare(fresh: dict[str, float], reference: dict[str, float], *, rtol: float = 1e-9,
            atol: float = 1e-12) -> VerifyReport:
    """Compare two flat value maps: ``|a - b| <= atol + rtol * |b|`` for each key.

    Raises
    ------
    ewp_stats.errors.InputError
        ``rtol`` or ``atol`` is negative, not finite or not a number.
    """
    rtol, atol = _tolerance("rtol", rtol), _tolerance("atol", atol)
    matched, drifted = [], []
    for key in sorted(set(fresh) & set(reference)):
        a, b = fresh[key], reference[key]
        (matched if abs(a - b) <= atol + rtol * abs(b) else drifted).append(key)
    return VerifyReport(rtol, atol, tuple(matched),
                        tuple((k, reference[k], fresh[k]) for k in drifted),
                        tuple(sorted(set(reference) - set(fresh))), tuple(sorted(set(fresh) - set(reference))))


def verify(out: Path | str = "results", *, reference: dict[str, float] | None = None,
           figure_reference: dict[str, str] | None = None, rtol: float = 1e-9, atol: float = 1e-12,
           progress: bool | None = None, steps: list[str] | None = None) -> VerifyReport:
    """Rerun :func:`~ewp_stats.reporting.reproduce.reproduce` into ``out`` and compare its values
    and figures with the reference.

    Parameters
    ----------
    out
        Where the fresh results are written.
    reference
        Reference values (default: ``reference_values()``, the shipped copy).
    figure_reference
        Reference sha256 per figure file (default:
        :func:`~ewp_stats.reporting.reproduce.reference_figures`, the shipped copy). Figures are
        compared byte for byte: the pinned matplotlib, style and fonts make them reproducible,
        and a changed figure is a changed result.
    rtol
        Relative tolerance per number (finite, >= 0). The default 1e-9 allows for
        floating-point differences between BLAS builds and platforms, not for any change of
        method or data.
    atol
        Absolute tolerance per number (finite, >= 0).
    progress
        Show progress on stderr; default: when stderr is a terminal.
    steps
        Run and compare only these steps (default: all).

    Returns
    -------
    VerifyReport
        A step that cannot run on the current data (a dataset lost rows it needs) is reported
        in ``steps_failed`` and its reference values as drifted, not raised.

    Raises
    ------
    ewp_stats.errors.InputError
        ``rtol`` or ``atol`` is negative, not finite or not a number (checked before anything
        is run), or ``out`` is not usable (see :func:`~ewp_stats.reporting.reproduce.reproduce`).
    """
    rtol, atol = _tolerance("rtol", rtol), _tolerance("atol", atol)
    failed: dict[str, str] = {}
    manifest = _reproduce(out, progress=progress, steps=steps, failed=failed)
    fresh = json.loads((Path(os.path.realpath(out)) / "values.json").read_text(encoding="utf-8"))
    ref = reference if reference is not None else reference_values()
    figs = figure_reference if figure_reference is not None else reference_figures()
    if steps is not None:
        ref = {k: v for k, v in ref.items() if k.split("/", 1)[0] in steps}
        figs = {k: v for k, v in figs.items() if k.removeprefix("figures/").split("__", 1)[0] in steps}
    lost = {k: v for k, v in ref.items() if k.split("/", 1)[0] in failed}
    lost_figs = {k for k in figs if k.removeprefix("figures/").split("__", 1)[0] in failed}
    report = compare(fresh, {k: v for k, v in ref.items() if k not in lost}, rtol=rtol, atol=atol)
    figures = compare_figures(figure_digests(manifest), {k: v for k, v in figs.items() if k not in lost_figs})
    figures["figures_missing"] = tuple(sorted(set(figures["figures_missing"]) | lost_figs))
    drifted = tuple(sorted(report.drifted + tuple((k, v, math.nan) for k, v in lost.items())))
    return dataclasses.replace(report, drifted=drifted, steps_failed=tuple(sorted(failed.items())), **figures)


def verify_cli(out: Path | str, *, reference: str | None = None, rtol: float = 1e-9,
               atol: float = 1e-12) -> int:
    """``ewp-stats verify``: print the report; exit status 1 on any drift.

    Raises
    ------
    ewp_stats.errors.InputError
        ``--rtol`` or ``--atol`` is negative or not finite (checked before anything runs).
    """
    _tolerance("--rtol", rtol)
    _tolerance("--atol", atol)
    ref = json.loads(Path(reference).read_text(encoding="utf-8")) if reference else None
    report = verify(out, reference=ref, rtol=rtol, atol=atol)
    print(report.summary())
    return 0 if report.ok else 1
