"""Integrity of a shipped file against its ``datapackage.json`` resource: bytes, sha256, rows.

Each resource records the Frictionless ``bytes`` (file size) and ``hash`` (``"sha256:<hex>"``)
of its CSV and, under ``coverage.rows``, its number of data rows. :func:`check_file` compares
all three with the file's actual bytes, so a header-only, truncated, row-deleted or edited file
fails with a :class:`~ewp_stats.errors.DataValidationError` naming the file and what differs.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from ewp_stats._files import sha256_bytes
from ewp_stats.data.schema import Schema, coerce_and_validate
from ewp_stats.errors import DataValidationError

__all__ = ["file_record", "check_file", "read_checked"]


def _count_rows(blob: bytes) -> int | None:
    """Data rows (records after the header) of a CSV, or None when it cannot be parsed."""
    try:
        rows = list(csv.reader(io.StringIO(blob.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None
    return max(len([r for r in rows if r]) - 1, 0)


def file_record(blob: bytes) -> dict[str, Any]:
    """The ``bytes``, ``hash`` and row count of a CSV's content, as recorded in ``datapackage.json``.

    Returns
    -------
    dict
        ``{"bytes": int, "hash": "sha256:<hex>", "rows": int}``.
    """
    rows = _count_rows(blob)
    return {"bytes": len(blob), "hash": f"sha256:{sha256_bytes(blob)}", "rows": -1 if rows is None else rows}


def check_file(resource: dict[str, Any], blob: bytes, *, file: str) -> str:
    """Check ``blob`` (the content of ``file``) against its resource's ``bytes``, ``hash`` and rows.

    Parameters
    ----------
    resource
        The resource descriptor from ``datapackage.json``.
    blob
        The file's bytes.
    file
        The file's name in messages.

    Returns
    -------
    str
        The content decoded as UTF-8.

    Raises
    ------
    DataValidationError
        The resource does not record ``bytes``, ``hash`` or ``coverage.rows``, or the file's
        differ; the message gives each expected and found value.
    """
    expected_rows = resource.get("coverage", {}).get("rows")
    absent = [k for k, v in (("bytes", resource.get("bytes")), ("hash", resource.get("hash")),
                             ("coverage.rows", expected_rows)) if v is None]
    if absent:
        raise DataValidationError(f"datapackage.json records no {', '.join(absent)} for this file; "
                                  "rebuild the data with `ewp-stats build-data`", file=file)
    found = file_record(blob)
    diffs = []
    if found["bytes"] != resource["bytes"]:
        diffs.append(f"size expected {resource['bytes']} bytes, found {found['bytes']}")
    if found["rows"] != expected_rows:
        diffs.append(f"rows expected {expected_rows}, found "
                     f"{found['rows'] if found['rows'] >= 0 else 'unreadable CSV'}")
    if found["hash"] != str(resource["hash"]).lower():
        diffs.append(f"hash expected {resource['hash']}, found {found['hash']}")
    if diffs:
        raise DataValidationError("differs from datapackage.json (truncated, edited or replaced): "
                                  + "; ".join(diffs) + "; reinstall ewp_stats or rebuild the data with "
                                  "`ewp-stats build-data`", file=file)
    return blob.decode("utf-8")


def read_checked(resource: dict[str, Any], blob: bytes, *, file: str) -> pd.DataFrame:
    """:func:`~ewp_stats.data.integrity.check_file`, then parse and validate against the schema.

    Returns
    -------
    DataFrame
        Typed columns indexed by the primary key.
    """
    text = check_file(resource, blob, file=file)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return coerce_and_validate(raw, Schema.from_dict(resource["schema"]), file)
