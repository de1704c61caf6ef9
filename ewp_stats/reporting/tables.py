"""Tables for reading: each book table is a small CSV of formatted cells behind a numbered caption.

A chapter notebook formats a result table with :func:`write_table` (labels in words with units,
meaningful digits per column, no index noise) into ``tables/<name>.csv`` beside the notebook; the
page shows it with a numbered, captioned ``csv-table`` that ``{numref}`` can refer to::

    ```{code-cell} ipython3
    :tags: [remove-cell]
    write_table(chow, "eras_chow", {
        "vintage": Column("Vintage"),
        "F": Column("F statistic", ".1f"),
        "p_hac": Column("p-value, Newey-West", ".3f"),
    })
    ```

    ```{csv-table} Chow tests at the paper's era starts (F statistics and p-values)
    :file: tables/eras_chow.csv
    :header-rows: 1
    :name: tbl-eras-chow
    ```

The CSV is written atomically and deterministically (same table, same bytes), so the book's
tables are as reproducible as its numbers. :func:`group_tables` splits a long table into one file
per group (one compact table per source document, say) instead of a table thousands of pixels tall.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats._files import atomic_write_text
from ewp_stats._typing import PathLike
from ewp_stats.errors import InputError

__all__ = ["Column", "format_cell", "format_table", "write_table", "group_tables", "MISSING"]

#: What an empty cell shows (a missing value, or a value that does not apply).
MISSING = "–"


@dataclass(frozen=True)
class Column:
    """How one column of a book table reads.

    Parameters
    ----------
    label
        Header in words, with the unit in brackets where there is one: ``"Share of total (%)"``.
    fmt
        A format spec for numbers (``".2f"``, ``".1e"``, ``",.0f"``, ``".3g"``), ``""`` for
        ``str(value)``, or a callable ``value -> str``.
    scale
        Multiply numbers by this before formatting (``100`` turns a share into a percentage).
    """

    label: str
    fmt: str | Callable[[Any], str] = ""
    scale: float = 1.0


def format_cell(value: Any, column: Column) -> str:
    """One cell as it is printed.

    Parameters
    ----------
    value
        The raw value.
    column
        Its column's :class:`Column`.

    Returns
    -------
    str
        :data:`MISSING` for None/NaN/NA; ``column.fmt(value)`` for a callable; a number scaled and
        formatted with the spec (an integer exactly, a whole float without decimals when there is
        no spec), a minus sign as U+2212 and no sign on a value that rounds to zero; else
        ``str(value)``.
    """
    if value is None or (np.ndim(value) == 0 and not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if callable(column.fmt):
        return str(column.fmt(value))
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    if not is_number:
        return str(value)
    if isinstance(value, numbers.Integral) and column.scale == 1 and not column.fmt:
        return str(int(value)).replace("-", "\u2212")  # exact, however large
    number = float(value) * column.scale
    if math.isnan(number):
        return MISSING
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    spec = column.fmt or ("" if not number.is_integer() else ".0f")
    text = format(number, spec) if spec else repr(number)
    if text.lstrip("-").strip("0.,%e+") == "":  # rounds to zero: no sign ("−0.00" reads as a loss)
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def format_table(frame: pd.DataFrame, columns: Mapping[str, Column | str]) -> pd.DataFrame:
    """The printed form of ``frame``: the chosen columns, in order, relabelled, every cell a string.

    Parameters
    ----------
    frame
        The result table; named index levels count as columns (the index itself is never shown).
    columns
        ``{source column: Column or label}``, in display order; a plain label means ``Column(label)``.

    Returns
    -------
    DataFrame
        String cells, headers = the labels, a plain ``RangeIndex``.

    Raises
    ------
    InputError
        A column named in ``columns`` is not in ``frame``, or two columns get the same label.
    """
    clash = [n for n in frame.index.names if n is not None and n in frame.columns]
    if clash:
        raise InputError(f"format_table: index level(s) {clash} have the same name as a column")
    flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame.reset_index(drop=True)
    specs = {src: (c if isinstance(c, Column) else Column(str(c))) for src, c in columns.items()}
    missing = [src for src in specs if src not in flat.columns]
    if missing:
        raise InputError(f"format_table: columns {missing} are not in the table (it has {list(flat.columns)})")
    labels = [c.label for c in specs.values()]
    if len(set(labels)) != len(labels):
        raise InputError(f"format_table: column labels must be distinct, got {labels}")
    out = pd.DataFrame({c.label: [format_cell(v, c) for v in flat[src]] for src, c in specs.items()})
    return out


def write_table(
    frame: pd.DataFrame, name: str, columns: Mapping[str, Column | str], *, folder: PathLike = "tables"
) -> Path:
    """Format ``frame`` (:func:`format_table`) and write it as ``<folder>/<name>.csv`` for a ``csv-table``.

    Parameters
    ----------
    frame, columns
        As for :func:`format_table`.
    name
        File stem: letters, digits, ``_`` and ``-``.
    folder
        Target folder, relative to the notebook (created if needed).

    Returns
    -------
    Path
        The CSV written (header row = labels; UTF-8; ``\\n`` line ends; every cell quoted).

    Raises
    ------
    InputError
        A bad ``name``, an empty table, or a column problem (:func:`format_table`).
    """
    if not name or not all(ch.isalnum() or ch in "_-" for ch in name):
        raise InputError(f"write_table: table name must be letters, digits, '_' or '-', got {name!r}")
    printed = format_table(frame, columns)
    if printed.empty:
        raise InputError(f"write_table: table {name!r} has no rows to show")
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(printed.columns)
    writer.writerows(printed.itertuples(index=False))
    path = Path(folder) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, buffer.getvalue())
    return path


def group_tables(
    frame: pd.DataFrame, by: str, name: str, columns: Mapping[str, Column | str], *, folder: PathLike = "tables"
) -> dict[Any, Path]:
    """:func:`write_table` once per value of column ``by``: ``<name>-<group>.csv``, in sorted order.

    Parameters
    ----------
    frame
        The long table.
    by
        The grouping column (not shown in the group tables unless listed in ``columns``).
    name, columns, folder
        As for :func:`write_table`; each group's file is ``<name>-<group>.csv`` (the group label
        reduced to letters, digits, ``_`` and ``-``).

    Returns
    -------
    dict
        ``{group value: path}``.

    Raises
    ------
    InputError
        ``by`` is not a column of ``frame``.
    """
    if by not in frame.columns:
        raise InputError(f"group_tables: grouping column {by!r} is not in the table (it has {list(frame.columns)})")
    if frame[by].isna().any():
        raise InputError(f"group_tables: column {by!r} has missing values in rows "
                         f"{list(frame.index[frame[by].isna()][:5])}; every row needs a group")
    stems: dict[str, Any] = {}
    for group in sorted(frame[by].unique()):
        stem = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in str(group))
        if stem in stems:
            raise InputError(f"group_tables: groups {stems[stem]!r} and {group!r} would both be written "
                             f"to {name}-{stem}.csv")
        stems[stem] = group
    return {group: write_table(frame[frame[by] == group], f"{name}-{stem}", columns, folder=folder)
            for stem, group in stems.items()}
