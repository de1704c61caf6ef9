"""The cleaned datasets shipped with ewp_stats, loaded offline from the installed package.

>>> from ewp_stats import data
>>> data.list_datasets()                      # name, title, unit, coverage, source
>>> ratio = data.load("east_west_ratio")      # DataFrame indexed by (vintage, year)
>>> ratio.attrs["metadata"]["sources"][0]["commit"]

Every load first checks the file's size, sha256 and row count against those recorded in
``datapackage.json`` (:func:`~ewp_stats.data.integrity.check_file`), so a header-only, truncated,
row-deleted or hand-edited file fails with an error naming the file and what differs, then
re-validates it against the recorded schema (types, ranges, allowed values, unique keys,
required values), naming the file, the row and the column of a bad value.

:func:`record_loads` notes which datasets a block of code loads, directly or through any
function it calls, so that a result's provenance is recorded rather than declared by hand:

>>> with data.record_loads() as loaded:
...     data.load("east_west_ratio")
>>> loaded.names
('east_west_ratio',)
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from ewp_stats._files import decode_json, decode_text
from ewp_stats.errors import DataValidationError, UnknownDatasetError
from ewp_stats.data.integrity import read_checked

__all__ = ["list_datasets", "load", "metadata", "names", "record_loads", "LoadRecord"]


@dataclass
class LoadRecord:
    """The datasets loaded inside one :func:`record_loads` block (see :attr:`names`)."""

    _seen: list[str] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        """Each dataset loaded so far, once, in the order of its first :func:`load`."""
        return tuple(self._seen)

    def _note(self, name: str) -> None:
        if name not in self._seen:
            self._seen.append(name)


_RECORDERS: contextvars.ContextVar[tuple[LoadRecord, ...]] = contextvars.ContextVar("ewp_data_recorders",
                                                                                    default=())


@contextlib.contextmanager
def record_loads() -> Iterator[LoadRecord]:
    """Record every dataset :func:`load` returns inside the block, however deep the call.

    Yields
    ------
    LoadRecord
        Filled while the block runs; :attr:`LoadRecord.names` lists the datasets.

    Notes
    -----
    Blocks nest: a load is noted by every enclosing block. The recorders live in a
    ``contextvars.ContextVar``, so they follow the code into ``asyncio`` tasks but not into
    threads or processes it starts (no step of the package starts any). Only successful loads
    are noted; a load that raises leaves the record unchanged.
    """
    record = LoadRecord()
    token = _RECORDERS.set(_RECORDERS.get() + (record,))
    try:
        yield record
    finally:
        _RECORDERS.reset(token)


@lru_cache(maxsize=1)
def _package() -> dict[str, Any]:
    file = "ewp_stats/data/datapackage.json"
    blob = resources.files(__name__).joinpath("datapackage.json").read_bytes()
    package = decode_json(decode_text(blob, file=file), file=file)
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataValidationError("expected a JSON object with a 'resources' list; reinstall ewp_stats or "
                                  "rebuild the data with `ewp-stats build-data`", file=file)
    return package


def _resource(name: str) -> dict[str, Any]:
    for res in _package()["resources"]:
        if res["name"] == name:
            return res
    raise UnknownDatasetError(f"unknown dataset {name!r}; valid names: {', '.join(names())}")


def names() -> list[str]:
    """Names of the shipped datasets, sorted."""
    return sorted(r["name"] for r in _package()["resources"])


def metadata(name: str) -> dict[str, Any]:
    """Metadata of one dataset: title, description, unit, schema, coverage, sources, rules, notes.

    Raises
    ------
    UnknownDatasetError
        ``name`` is not shipped; the message lists the valid names.
    """
    return copy.deepcopy(_resource(name))


def _short_source(res: dict[str, Any]) -> str:
    parts = []
    for s in res.get("sources", []):
        repo, commit = s.get("origin_repository"), s.get("commit")
        parts.append(f"{repo}@{commit[:7]}:{s['file']}" if repo and commit else s.get("file", ""))
    return "; ".join(parts)


def _short_coverage(cov: dict[str, Any]) -> str:
    years = cov.get("years")
    if isinstance(years, dict):
        text = ", ".join(f"{v} {a}-{b}" for v, (a, b) in years.items())
    elif years:
        text = f"{years[0]}-{years[1]}"
    else:
        text = ""
    if "provinces" in cov:
        text = f"{cov['provinces']} provinces; {text}" if text else f"{cov['provinces']} provinces"
    return f"{text} ({cov['rows']} rows)" if text else f"{cov['rows']} rows"


def list_datasets() -> pd.DataFrame:
    """One row per shipped dataset: title, unit, coverage and source (with commit).

    Returns
    -------
    DataFrame
        Indexed by ``name``; columns ``title``, ``unit``, ``coverage``, ``source``.
    """
    rows = [{"name": r["name"], "title": r["title"], "unit": r.get("unit", ""),
             "coverage": _short_coverage(r["coverage"]), "source": _short_source(r)}
            for r in _package()["resources"]]
    return pd.DataFrame(rows).sort_values("name").set_index("name")


def load(name: str) -> pd.DataFrame:
    """Load one dataset as a validated DataFrame indexed by its primary key.

    Parameters
    ----------
    name
        A name from :func:`names` (e.g. ``"east_west_ratio"``).

    Returns
    -------
    DataFrame
        Typed columns; ``attrs["metadata"]`` holds the dataset's metadata (see :func:`metadata`).

    Raises
    ------
    UnknownDatasetError
        ``name`` is not shipped; the message lists the valid names.
    DataValidationError
        The shipped file's size, sha256 or row count differs from ``datapackage.json`` (names
        the file and the expected and found values), or it breaks its schema (names the file,
        row and column).
    """
    frame = _load_validated(name).copy(deep=True)
    frame.attrs["metadata"] = metadata(name)
    for record in _RECORDERS.get():
        record._note(name)
    return frame


@lru_cache(maxsize=None)
def _load_validated(name: str) -> pd.DataFrame:
    """Read and validate once per process; :func:`load` hands out deep copies."""
    res = _resource(name)
    blob = resources.files(__name__).joinpath(res["path"]).read_bytes()
    return read_checked(res, blob, file=f"ewp_stats/data/{res['path']}")
