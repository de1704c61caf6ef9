"""The one base class of every result object, and the formatting it uses.

Every estimator and analysis returns a frozen dataclass that derives from :class:`Result`.
A subclass states what it is and what it holds; the base turns that into text, HTML and JSON
the same way everywhere:

* ``_title`` (class attribute) -- one line saying what the result is (override the ``title``
  property instead when it depends on the fields);
* ``_rows()`` -- optional ``(label, value)`` lines of headline numbers, already formatted;
* ``to_frame()`` -- optional main table (raise :class:`NotImplementedError` when there is none);
* ``summary()`` -- title, rows and table as plain text (override to say more); ``str(result)``
  is the summary;
* ``_repr_html_()`` -- the same for notebooks: an HTML caption and the rows, or else the summary
  (without its first line when that repeats the title);
* ``to_dict()`` -- every public dataclass field, JSON-serialisable (:func:`jsonable`).

Fields whose names start with an underscore are implementation detail: they are left out of
``to_dict()`` and ``repr()``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

__all__ = ["Result", "fmt", "fmt_date", "fmt_number", "html_block", "html_table", "jsonable", "public_dict"]


# --------------------------------------------------------------------------- formatting
def fmt(x: float, *, digits: int = 3) -> str:
    """A float with ``digits`` decimals."""
    return f"{x:.{digits}f}"


def fmt_number(v: Any, *, digits: int = 4) -> str:
    """A number for a summary line: integers as such, NaN/None as ``NA``, very small or very
    large values in ``g`` notation, others with ``digits`` decimals."""
    if v is None:
        return "NA"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(v):
            return "NA"
        if float(v).is_integer() and abs(v) < 1e7:
            return str(int(v))
        return f"{v:.{digits}g}" if abs(v) < 1e-3 or abs(v) >= 1e6 else f"{v:.{digits}f}"
    return str(v)


def fmt_date(v: float) -> str:
    """A date (year or fractional period) with up to six significant digits."""
    return fmt_number(v, digits=6)


def html_table(rows: Sequence[tuple[str, str]], title: str) -> str:
    """A two-column HTML table (label, value) with a caption, every string escaped."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


def html_block(title: str, text: str, frame: pd.DataFrame | None = None) -> str:
    """A titled block: preformatted ``text`` and, if given, ``frame`` as an HTML table."""
    body = f"<pre>{html.escape(text)}</pre>"
    if frame is not None:
        body += frame.to_html(float_format=lambda x: f"{x:.6g}", na_rep="NA")
    return f"<div><strong>{html.escape(title)}</strong>{body}</div>"


# --------------------------------------------------------------------------- serialisation
def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(n is not None for n in frame.index.names)


def jsonable(v: Any) -> Any:
    """A JSON-serialisable copy of ``v``.

    DataFrames become lists of records (a named index becomes columns), Series and mappings
    become dicts with string keys, numpy scalars and arrays become Python numbers and lists,
    NaN, infinities, ``None`` and ``pd.NA`` become ``None``; objects with ``to_dict()`` (results)
    are serialised by it, other dataclass instances by :func:`public_dict` (their public fields)
    and anything else by ``str``.
    """
    if v is None or v is pd.NA:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, pd.DataFrame):
        flat = v.reset_index() if _has_named_index(v) else v
        return [{str(k): jsonable(x) for k, x in rec.items()} for rec in flat.to_dict("records")]
    if isinstance(v, pd.Series):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, Mapping):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return [jsonable(x) for x in v.tolist()]
    if isinstance(v, (list, tuple, set, frozenset)):
        return [jsonable(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    if hasattr(v, "to_dict"):
        return v.to_dict()
    if is_dataclass(v) and not isinstance(v, type):
        return public_dict(v)
    return str(v)


def public_dict(obj: Any) -> dict[str, Any]:
    """Every dataclass field of ``obj`` not starting with ``_``, through :func:`jsonable`."""
    return {f.name: jsonable(getattr(obj, f.name)) for f in fields(obj) if not f.name.startswith("_")}


# --------------------------------------------------------------------------- the base class
class Result:
    """Base of every result object: text, HTML and JSON from one description.

    Subclasses are frozen dataclasses. They set ``_title`` and implement ``_rows()`` and/or
    ``to_frame()``; they override ``summary()`` only to add what rows and a table cannot say.
    """

    _title: ClassVar[str] = ""

    @property
    def title(self) -> str:
        """What the result is, in one line."""
        return self._title

    def _rows(self) -> list[tuple[str, str]]:
        """Headline ``(label, value)`` lines (none by default)."""
        return []

    def to_frame(self) -> pd.DataFrame:
        """The main table of the result."""
        raise NotImplementedError(f"{type(self).__name__} has no table; see its fields or to_dict()")

    def _frame_or_none(self) -> pd.DataFrame | None:
        try:
            return self.to_frame()
        except NotImplementedError:
            return None

    def summary(self) -> str:
        """Plain text: the title, one aligned ``label  value`` line per row, then the table."""
        lines = [self.title]
        rows = self._rows()
        if rows:
            width = max(len(k) for k, _ in rows)
            lines += [f"{k:<{width}}  {v}" for k, v in rows]
        frame = self._frame_or_none()
        if frame is not None and not rows:
            lines.append(frame.to_string(float_format=lambda x: f"{x:.6g}"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """The title as a caption, the rows (or the summary text), then the table, if any."""
        rows = self._rows()
        if rows:
            out = html_table(rows, self.title)
        else:
            lines = self.summary().splitlines()
            if lines and lines[0] == self.title:  # the caption already says it
                lines = lines[1:]
            out = html_block(self.title, "\n".join(lines))
        frame = self._display_frame()
        if frame is not None:
            out += frame.to_html(float_format=lambda x: f"{x:.6g}", na_rep="NA")
        return out

    def _display_frame(self) -> pd.DataFrame | None:
        """The table shown in notebooks (default: :meth:`to_frame`, or none)."""
        return self._frame_or_none()

    def to_dict(self) -> dict[str, Any]:
        """Every public field, JSON-serialisable (frames as lists of records, NaN as None)."""
        if is_dataclass(self):
            return public_dict(self)
        raise NotImplementedError(f"{type(self).__name__} is not a dataclass")  # pragma: no cover
