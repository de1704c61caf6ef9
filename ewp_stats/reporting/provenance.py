"""Where every published number comes from: the provenance chain of a ``reproduce`` step.

A step's chain is recorded while the step runs, not declared by hand:
:func:`~ewp_stats.reporting.provenance.run_step` runs
:data:`~ewp_stats.reporting.steps.STEPS` ``[step]`` inside :func:`ewp_stats.data.record_loads`,
which notes every dataset the step loads, directly or through the analyses it calls. The chain
then names

* the step and the function that produced it (``ewp_stats.reporting.steps.eras_step``);
* each dataset loaded (name and title) and, from its shipped metadata, the raw files it was
  built from (repository, commit, path in that repository, sha256) and the seed files
  (transcriptions kept in the project's ``seeds/``, with their sha256);
* the step's table names and headline value names, so that a ``values.json`` key can be read
  back as "row ... of table ..., column ..." or "headline value ..."
  (:func:`~ewp_stats.reporting.provenance.key_provenance`).

``ewp-stats reproduce`` writes the chains of all steps to ``provenance.json`` beside
``values.json`` (:func:`~ewp_stats.reporting.provenance.provenance_json`);
:func:`~ewp_stats.reporting.glue.publish` glues a step's chain into its notebook, where the
book's extension (``book/_ext/ewp_glue.py``) finds it to annotate each glued number
(:func:`~ewp_stats.reporting.provenance.tooltip`) and to fill the appendix page.

Everything here is deterministic: datasets, files and names are sorted, and the JSON text has
sorted keys and a fixed layout, so two runs give byte-identical files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ewp_stats import data
from ewp_stats._files import sha256_bytes
from ewp_stats._results import Result
from ewp_stats.errors import InputError
from ewp_stats.reporting.steps import STEPS, StepOutput, select_steps

__all__ = [
    "CHAIN_MIME",
    "GLUE_PREFIX",
    "DatasetSource",
    "KeyProvenance",
    "RawFile",
    "SeedFile",
    "StepProvenance",
    "anchor_id",
    "anchor_ids",
    "dataset_source",
    "key_provenance",
    "provenance_json",
    "run_step",
    "step_provenance",
    "tooltip",
]

#: Glue key prefix under which :func:`~ewp_stats.reporting.glue.publish` stores a step's chain.
GLUE_PREFIX = "_provenance/"

#: MIME type of a glued chain. It is a ``+json`` type so that the notebook stores the chain as a
#: JSON object also under myst-nb's hidden-glue prefix (nbformat accepts objects only for
#: ``application/...json`` types).
CHAIN_MIME = "application/vnd.ewp-provenance+json"


@dataclass(frozen=True)
class RawFile:
    """One raw file a dataset was built from.

    Attributes
    ----------
    file
        Its path below the raw-data directory (``$EWP_RAW_DIR``).
    repository, commit
        The public repository and commit it was taken from (``None`` for a stored web page).
    path
        Its path inside that repository (for a stored page: the page's address).
    sha256
        The sha256 of the file as stored, recorded when the datasets were built.
    """

    file: str
    repository: str | None
    commit: str | None
    path: str | None
    sha256: str | None

    def label(self) -> str:
        """``repository@commit7:path (sha256 abcdef123456…)``, or ``file (sha256 …)`` without a repository."""
        where = f"{self.repository}@{self.commit[:7]}:{self.path}" if self.repository and self.commit else self.file
        return f"{where} (sha256 {_short(self.sha256)})"


@dataclass(frozen=True)
class SeedFile:
    """One seed file (a transcription kept in the project's ``seeds/``) a dataset was built from."""

    file: str
    sha256: str | None

    def label(self) -> str:
        """``seeds/name.csv (sha256 abcdef123456…)``."""
        return f"{self.file} (sha256 {_short(self.sha256)})"


@dataclass(frozen=True)
class DatasetSource:
    """A dataset a step loaded, with the files it was built from (each sorted by file)."""

    name: str
    title: str
    raw_files: tuple[RawFile, ...]
    seed_files: tuple[SeedFile, ...]


@dataclass(frozen=True)
class StepProvenance(Result):
    """The provenance chain of one ``reproduce`` step.

    Attributes
    ----------
    step
        The step's name (a key of :data:`~ewp_stats.reporting.steps.STEPS`).
    function
        The qualified name of the function that produced it.
    datasets
        Every dataset the step loaded while it ran, sorted by name.
    tables
        The names of the step's tables, sorted.
    values
        The names of the step's headline values (``name[/param=value...]``), sorted.
    """

    _title: ClassVar[str] = "Provenance of a reproduce step"

    step: str
    function: str
    datasets: tuple[DatasetSource, ...]
    tables: tuple[str, ...]
    values: tuple[str, ...]

    def _rows(self) -> list[tuple[str, str]]:
        return [("step", self.step), ("function", self.function),
                ("datasets", ", ".join(d.name for d in self.datasets) or "none"),
                ("raw files", "; ".join(f.label() for f in self.raw_files()) or "none"),
                ("seed files", "; ".join(f.label() for f in self.seed_files()) or "none")]

    def raw_files(self) -> tuple[RawFile, ...]:
        """The raw files of all its datasets, each once, sorted by file."""
        return tuple(sorted({f for d in self.datasets for f in d.raw_files}, key=lambda f: f.file))

    def seed_files(self) -> tuple[SeedFile, ...]:
        """The seed files of all its datasets, each once, sorted by file."""
        return tuple(sorted({f for d in self.datasets for f in d.seed_files}, key=lambda f: f.file))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> StepProvenance:
        """The chain back from its ``to_dict()`` form (as stored in ``provenance.json``).

        Raises
        ------
        ewp_stats.errors.InputError
            A field is missing (names it).
        """
        try:
            datasets = tuple(DatasetSource(x["name"], x["title"],
                                           tuple(RawFile(**f) for f in x["raw_files"]),
                                           tuple(SeedFile(**f) for f in x["seed_files"]))
                             for x in d["datasets"])
            return cls(d["step"], d["function"], datasets, tuple(d["tables"]), tuple(d["values"]))
        except (KeyError, TypeError) as exc:
            raise InputError(f"provenance chain {dict(d).get('step', '?')!r}: malformed, {exc!r} "
                             "(expected the fields of StepProvenance.to_dict())") from exc


@dataclass(frozen=True)
class KeyProvenance(Result):
    """Where one ``values.json`` key comes from: its step's chain and its place in the step.

    Attributes
    ----------
    key
        The ``values.json`` key.
    kind
        ``"table"`` (a table cell) or ``"value"`` (a headline value).
    name
        The table's or the headline value's name.
    row
        For a table cell, the ``(key column, value)`` pairs that name its row.
    column
        For a table cell, its column.
    chain
        The step's :class:`StepProvenance`.
    """

    _title: ClassVar[str] = "Provenance of a published value"

    key: str
    kind: str
    name: str
    row: tuple[tuple[str, str], ...]
    column: str | None
    chain: StepProvenance

    def where(self) -> str:
        """``table chow, row vintage=nbs_2021, ..., column F`` or ``headline value h``."""
        if self.kind == "value":
            return f"headline value {self.name}"
        row = ", ".join(f"{k}={v}" for k, v in self.row)
        return f"table {self.name}, row {row}, column {self.column}"

    def _rows(self) -> list[tuple[str, str]]:
        return [("key", self.key), ("in the step", self.where())] + self.chain._rows()


def _short(sha: str | None, n: int = 12) -> str:
    return f"{sha[:n]}…" if sha else "not recorded"


def dataset_source(name: str) -> DatasetSource:
    """A dataset's name, title and the raw and seed files of its shipped metadata.

    A source whose file lies under ``seeds/`` is a seed file; any other is a raw file (its path is
    relative to the raw-data directory).

    Raises
    ------
    ewp_stats.errors.UnknownDatasetError
        ``name`` is not a shipped dataset.
    """
    meta = data.metadata(name)
    raw, seeds = set(), set()
    for s in meta.get("sources", []):
        if s["file"].startswith("seeds/"):
            seeds.add(SeedFile(s["file"], s.get("sha256")))
        else:
            raw.add(RawFile(s["file"], s.get("origin_repository"), s.get("commit"), s.get("repo_path"),
                            s.get("sha256")))
    return DatasetSource(name, meta["title"], tuple(sorted(raw, key=lambda f: f.file)),
                         tuple(sorted(seeds, key=lambda f: f.file)))


def step_provenance(step: str, loaded: Iterable[str], output: StepOutput) -> StepProvenance:
    """The chain of ``step`` from the datasets it loaded and what it produced.

    Parameters
    ----------
    step
        A key of :data:`~ewp_stats.reporting.steps.STEPS`.
    loaded
        The datasets the step loaded (:attr:`ewp_stats.data.LoadRecord.names`).
    output
        Its output (for the table and headline value names).

    Raises
    ------
    ewp_stats.errors.InputError
        Unknown step.
    """
    (step,) = select_steps([step])
    fn = STEPS[step]
    return StepProvenance(step, f"{fn.__module__}.{fn.__qualname__}",
                          tuple(dataset_source(n) for n in sorted(set(loaded))),
                          tuple(sorted(output.tables)), tuple(sorted(output.values)))


def run_step(step: str) -> tuple[StepOutput, StepProvenance]:
    """Run one step with its dataset loads recorded; return its output and its chain.

    Raises
    ------
    ewp_stats.errors.InputError
        Unknown step.
    """
    (step,) = select_steps([step])
    with data.record_loads() as record:
        output = STEPS[step]()
    return output, step_provenance(step, record.names, output)


def key_provenance(key: str, chain: StepProvenance) -> KeyProvenance:
    """Read a ``values.json`` key of ``chain``'s step as a table cell or a headline value.

    A key ``<step>/<name>`` or ``<step>/<name>/<param>=<value>...`` whose name part is one of the
    step's headline values is that value; otherwise ``<step>/<table>/<col>=<value>/.../<column>``
    is a cell of one of its tables.

    Raises
    ------
    ewp_stats.errors.InputError
        The key is not of the step, or names neither a headline value nor a table cell.
    """
    prefix = f"{chain.step}/"
    if not key.startswith(prefix):
        raise InputError(f"key {key!r} is not of step {chain.step!r} (expected it to start with {prefix!r})")
    rest = key[len(prefix):]
    if rest in chain.values:
        return KeyProvenance(key, "value", rest, (), None, chain)
    parts = rest.split("/")
    if len(parts) >= 3 and parts[0] in chain.tables and "=" not in parts[-1] \
            and all("=" in p for p in parts[1:-1]):
        row = tuple(tuple(p.split("=", 1)) for p in parts[1:-1])
        return KeyProvenance(key, "table", parts[0], row, parts[-1], chain)  # type: ignore[arg-type]
    raise InputError(f"key {key!r}: neither a headline value nor a table cell of step {chain.step!r} "
                     f"(tables: {', '.join(chain.tables) or 'none'})")


def provenance_json(chains: Iterable[StepProvenance]) -> str:
    """The text of ``provenance.json``: ``{"steps": {step: chain}}``, sorted, one fixed layout."""
    steps = {c.step: c.to_dict() for c in sorted(chains, key=lambda c: c.step)}
    return json.dumps({"steps": steps}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def tooltip(key: str, chain: StepProvenance) -> str:
    """The hover text of a glued number: its key, step and function, datasets and raw files.

    One line each; raw files and seed files as ``repository@commit7:path (sha256 …)``. The datasets
    are those the whole step loaded (recorded by :func:`ewp_stats.data.record_loads`), a superset of
    what this one number needs.
    """
    lines = [f"values.json key: {key}", f"step: {chain.step} ({chain.function})",
             f"datasets loaded by the step: {', '.join(d.name for d in chain.datasets) or 'none'}"]
    raw = chain.raw_files()
    if raw:
        lines.append("raw files: " + "; ".join(f.label() for f in raw))
    seeds = chain.seed_files()
    if seeds:
        lines.append("seed files: " + "; ".join(f.label() for f in seeds))
    return "\n".join(lines)


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor_id(key: str) -> str:
    """The HTML id of a key's row in the book's provenance appendix: ``v-`` and the key with each
    run of characters other than letters, digits, ``_`` and ``-`` as ``-``
    (``eras/chow/test=2008/F`` -> ``v-eras-chow-test-2008-F``)."""
    return "v-" + _ID_UNSAFE.sub("-", key).strip("-")


def anchor_ids(keys: Iterable[str]) -> dict[str, str]:
    """:func:`anchor_id` of each key, made unique: keys whose ids coincide (``a/b=c`` and
    ``a/b/c``) each get the first ten hex digits of their key's sha256 appended."""
    keys = sorted(set(keys))
    plain = {k: anchor_id(k) for k in keys}
    counts: dict[str, int] = {}
    for v in plain.values():
        counts[v] = counts.get(v, 0) + 1
    return {k: v if counts[v] == 1 else f"{v}-{sha256_bytes(k.encode('utf-8'))[:10]}" for k, v in plain.items()}
