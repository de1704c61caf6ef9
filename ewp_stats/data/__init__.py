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
"""

from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from ewp_stats._files import decode_json, decode_text
from ewp_stats.errors import DataValidationError, UnknownDatasetError
from ewp_stats.data.integrity import read_checked

__all__ = ["list_datasets", "load", "metadata", "names"]


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
    return frame


@lru_cache(maxsize=None)
def _load_validated(name: str) -> pd.DataFrame:
    """Read and validate once per process; :func:`load` hands out deep copies."""
    res = _resource(name)
    blob = resources.files(__name__).joinpath(res["path"]).read_bytes()
    return read_checked(res, blob, file=f"ewp_stats/data/{res['path']}")
