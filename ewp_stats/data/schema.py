"""Table schemas and the checks every shipped dataset passes, on build and on load.

A :class:`Schema` is the machine-readable form of a dataset's columns (a subset of the
Frictionless Table Schema: ``name``, ``type``, ``unit``, ``description``, ``required`` and
``minimum``) plus its primary key. :func:`coerce_and_validate` turns a frame of strings into
typed columns and raises :class:`~ewp_stats.errors.DataValidationError` naming the file, the
file line (the header is line 1) and the column of the first offending value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats.errors import DataValidationError

__all__ = ["Field", "Schema", "coerce_and_validate", "check_complete", "check_allowed"]

_TYPES = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class Field:
    """One column of a dataset.

    Parameters
    ----------
    name, type
        Column name and Frictionless type (``string``, ``integer``, ``number``, ``boolean``).
    description, unit
        What the column holds and its unit ("" when unitless).
    required
        When True no value may be missing.
    minimum
        Smallest admissible value for numeric columns (None: unbounded).
    """

    name: str
    type: str
    description: str
    unit: str = ""
    required: bool = True
    minimum: float | None = None

    def __post_init__(self) -> None:
        if self.type not in _TYPES:
            raise ValueError(f"field {self.name!r}: type {self.type!r} is not one of {_TYPES}")

    def to_dict(self) -> dict[str, Any]:
        """Frictionless field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        constraints: dict[str, Any] = {"required": self.required}
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        out["constraints"] = constraints
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Field:
        """Inverse of :meth:`to_dict`."""
        c = d.get("constraints", {})
        return cls(d["name"], d["type"], d.get("description", ""), d.get("unit", ""),
                   c.get("required", True), c.get("minimum"))


@dataclass(frozen=True)
class Schema:
    """Columns and primary key of a dataset."""

    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def to_dict(self) -> dict[str, Any]:
        """Frictionless table-schema descriptor (``enum`` constraints carry ``allowed``)."""
        fields = []
        for f in self.fields:
            d = f.to_dict()
            if f.name in self.allowed:
                d["constraints"]["enum"] = list(self.allowed[f.name])
            fields.append(d)
        return {"fields": fields, "primaryKey": list(self.primary_key)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Schema:
        """Inverse of :meth:`to_dict`."""
        fields = tuple(Field.from_dict(f) for f in d["fields"])
        allowed = {f["name"]: tuple(f["constraints"]["enum"]) for f in d["fields"]
                   if "enum" in f.get("constraints", {})}
        return cls(fields, tuple(d["primaryKey"]), allowed)


def _coerce(values: pd.Series, f: Field, file: str) -> pd.Series:
    """Convert one column of strings (or objects) to the field's type, or raise."""
    missing = values.isna() | (values.astype("string").str.strip() == "")
    if f.type == "string":
        out = values.astype("string").str.strip().astype(object).where(~missing, None)
        return out.astype(object)
    if f.type == "boolean":
        text = values.astype("string").str.strip().str.lower()
        ok = text.isin(["true", "false"]) | missing
        if not ok.all():
            i = int(np.flatnonzero(~ok.to_numpy())[0])
            raise DataValidationError(f"expected true/false, found {values.iloc[i]!r}",
                                      file=file, row=i + 2, column=f.name)
        return text.map({"true": True, "false": False}).astype("boolean")
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(f"expected a {f.type}, found text {values.iloc[i]!r}",
                                  file=file, row=i + 2, column=f.name)
    if f.type == "integer":
        frac = numbers.notna() & (numbers != np.floor(numbers))
        if frac.any():
            i = int(np.flatnonzero(frac.to_numpy())[0])
            raise DataValidationError(f"expected an integer, found {values.iloc[i]!r}",
                                      file=file, row=i + 2, column=f.name)
        return numbers.astype("Int64") if missing.any() else numbers.astype("int64")
    return numbers.astype("float64")


def coerce_and_validate(frame: pd.DataFrame, schema: Schema, file: str) -> pd.DataFrame:
    """Type the columns of ``frame`` by ``schema`` and check every constraint.

    Parameters
    ----------
    frame
        Columns in any dtype (usually strings as read from CSV), default RangeIndex.
    schema
        The dataset's schema.
    file
        Name used in error messages (file path or dataset name).

    Returns
    -------
    DataFrame
        Typed columns in schema order, indexed by the primary key.

    Raises
    ------
    DataValidationError
        Missing or unexpected columns, text in a numeric column, a missing required value, a
        value below its minimum, a value outside an enumerated set, a duplicated key.
    """
    cols = list(frame.columns)
    if cols != schema.names:
        missing = [c for c in schema.names if c not in cols]
        extra = [c for c in cols if c not in schema.names]
        raise DataValidationError(
            f"columns {cols} do not match the schema {schema.names} (missing {missing}, unexpected {extra})",
            file=file)
    frame = frame.reset_index(drop=True)
    out = {}
    for f in schema.fields:
        col = _coerce(frame[f.name], f, file)
        if f.required and col.isna().any():
            i = int(np.flatnonzero(col.isna().to_numpy())[0])
            raise DataValidationError("missing value where none is allowed", file=file, row=i + 2, column=f.name)
        if f.minimum is not None:
            below = (col < f.minimum).fillna(False).to_numpy(dtype=bool)
            if below.any():
                i = int(np.flatnonzero(below)[0])
                raise DataValidationError(f"value {col.iloc[i]} is below the minimum {f.minimum}",
                                          file=file, row=i + 2, column=f.name)
        if f.name in schema.allowed:
            check_allowed(col, schema.allowed[f.name], file=file, column=f.name)
        out[f.name] = col
    typed = pd.DataFrame(out)
    dup = typed.duplicated(list(schema.primary_key), keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        key = tuple(v.item() if hasattr(v, "item") else v for v in typed.loc[i, list(schema.primary_key)])
        raise DataValidationError(f"duplicated key {key} for primary key {list(schema.primary_key)}",
                                  file=file, row=i + 2, column=", ".join(schema.primary_key))
    return typed.set_index(list(schema.primary_key))


def check_allowed(values: pd.Series, allowed: Iterable[str], *, file: str, column: str) -> None:
    """Raise if any value of ``values`` is not in ``allowed`` (e.g. an unknown vintage)."""
    allowed = tuple(allowed)
    bad = ~values.isin(allowed) & values.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(f"unknown value {values.iloc[i]!r}; expected one of {list(allowed)}",
                                  file=file, row=i + 2, column=column)


def check_complete(present: Iterable[tuple[Any, ...]], expected: Iterable[tuple[Any, ...]], *,
                   file: str, what: str) -> None:
    """Raise if any expected key (e.g. a ``(province, year)`` pair) is absent.

    Parameters
    ----------
    present, expected
        Keys found and keys required.
    file
        File or dataset named in the message.
    what
        Names the key's parts, e.g. ``"(province, year)"``.
    """
    missing = sorted(set(expected) - set(present))
    if missing:
        shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
        raise DataValidationError(f"missing {len(missing)} expected {what} key(s): {shown}", file=file)
