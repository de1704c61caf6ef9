"""Tidy the paper's Table 1 (funding) and Table 2 (personnel) from their as-printed transcriptions.

The transcriptions live in ``seeds/`` as CSV files in which every cell is the string exactly as
printed in the paper (``seeds/tables.md`` documents layout, units and artefacts). The functions here
are pure: they read those CSVs, turn each printed string into a number under an explicit, named
parsing rule, validate the result and return tidy :class:`pandas.DataFrame` objects. Item names,
the Table 1 identities and their rounding check come from :mod:`ewp_stats.data.vocab`; the
datasets' schemas are declared in :mod:`ewp_stats.pipeline.catalog`.

Parsing rules (the ``rule`` column names the one applied to each cell; ``""`` means the string was a
plain non-negative decimal and was read as is):

``strip_trailing_period``
    A decimal number followed by one stray period, e.g. ``83.2521.`` (Table 1, County level, 2007),
    is read as the number without that period. Only one trailing period is removed; ``83.2521..``
    is rejected as text.

Anything else in a numeric cell (text, an empty cell, a negative sign, thousands separators) raises
:class:`ewp_stats.errors.DataValidationError` naming the file, the file line (header = line 1) and the column.

References
----------
The East-West Partnership for Poverty Reduction paper, ``seeds/004_de9daaf1b232b997``, Table 1
"Funding Situation of EW Partnerships (2003~2007)" and Table 2 "Professional Technicians and
Management Personnel Exchanging and Training (2003~2010)".
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ewp_stats._files import read_text, sha256_of
from ewp_stats.data.vocab import (
    FUNDING_ITEMS,
    FUNDING_PERIODS,
    FUNDING_TOTAL_PERIOD,
    FUNDING_YEARS,
    PERSONNEL_CATEGORIES,
    PERSONNEL_ITEMS,
    PERSONNEL_TOTAL_PERIOD,
    PERSONNEL_UNITS,
    PERSONNEL_YEARS,
    RECORDED_IDENTITIES,
    TABLE1_IDENTITIES,
    Identity,
    check_identity,
    row_sum_identity,
)
from ewp_stats.errors import DataValidationError
from ewp_stats.printed import printed_half_unit

__all__ = [
    "FUNDING_FILE",
    "PERSONNEL_FILE",
    "PARSE_RULES",
    "parse_printed_number",
    "build_funding",
    "build_personnel",
    "paper_table_datasets",
]

FUNDING_FILE = "table1_funding_as_printed.csv"
PERSONNEL_FILE = "table2_personnel_as_printed.csv"

#: Printed column headers of the transcriptions (the years, then the printed total column).
_FUNDING_COLUMNS: tuple[str, ...] = (*(str(y) for y in FUNDING_YEARS), "Total")
_PERSONNEL_TOTAL_COLUMN = "Total of 2003-2010"

#: Rule id -> description; the ``rule`` column of the tidy datasets uses these ids.
PARSE_RULES: dict[str, str] = {
    "strip_trailing_period": (
        "A decimal number followed by exactly one stray period (e.g. '83.2521.') is read without "
        "that period; the printed string is kept in column 'printed'."
    ),
}

_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_TRAILING_PERIOD = re.compile(r"^([0-9]+\.[0-9]+)\.$")
_PLAIN_INT = re.compile(r"^[0-9]+$")


# --------------------------------------------------------------------------------------------
# parsing


def parse_printed_number(
    text: str, *, file: str, row: int, column: str, integer: bool = False
) -> tuple[float, str]:
    """Parse one printed cell into a number under an explicit rule.

    Parameters
    ----------
    text
        The cell exactly as printed (surrounding whitespace is an error, not trimmed silently).
    file, row, column
        Where the cell is, for error messages (``row`` is the 1-based line of the file, the header being line 1).
    integer
        If True the cell must be a plain non-negative integer (Table 2 counts).

    Returns
    -------
    value, rule
        The number (float) and the id of the parsing rule applied (``""`` for a plain number).

    Raises
    ------
    DataValidationError
        For an empty cell, a negative number, or any text that no rule covers.
    """
    where = {"file": file, "row": row, "column": column}
    if text == "":
        raise DataValidationError("missing cell; expected a printed number", **where)
    if text.lstrip().startswith("-"):
        raise DataValidationError(
            f"negative amount {text!r}; amounts and counts must be >= 0", **where
        )
    if integer:
        if _PLAIN_INT.match(text):
            return float(int(text)), ""
        raise DataValidationError(
            f"text {text!r} in a numeric cell; expected a non-negative integer", **where
        )
    if _PLAIN.match(text):
        return float(text), ""
    m = _TRAILING_PERIOD.match(text)
    if m:
        return float(m.group(1)), "strip_trailing_period"
    raise DataValidationError(
        f"text {text!r} in a numeric cell; expected a non-negative decimal number "
        f"(rules known: plain decimal, {', '.join(PARSE_RULES)})",
        **where,
    )


def _read_csv(path: Path, expected_header: list[str]) -> list[list[str]]:
    """Read an as-printed CSV as strings and check its header."""
    if not path.is_file():
        raise DataValidationError(f"file not found: {path}", file=path.name)
    text = read_text(path, file=path.name, allow_empty=True)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise DataValidationError("empty file; expected a header row", file=path.name)
    header = rows[0]
    if header != expected_header:
        missing = [c for c in expected_header if c not in header]
        extra = [c for c in header if c not in expected_header]
        raise DataValidationError(
            f"unexpected header {header!r}; expected {expected_header!r} "
            f"(missing {missing!r}, unexpected {extra!r})",
            file=path.name,
            row=1,
        )
    body = rows[1:]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise DataValidationError(
                f"{len(r)} cells; expected {len(header)} (missing cell or stray comma)",
                file=path.name,
                row=i,
            )
    return body


# --------------------------------------------------------------------------------------------
# Table 1: funding


def _parse_funding(seeds_dir: Path) -> dict[str, dict[str, tuple[float, str, str]]]:
    """item -> period -> (amount, printed, rule), validated."""
    body = _read_csv(Path(seeds_dir) / FUNDING_FILE, ["Categories", *_FUNDING_COLUMNS])
    by_label = {it.label: it for it in FUNDING_ITEMS}
    out: dict[str, dict[str, tuple[float, str, str]]] = {}
    first_row: dict[str, int] = {}
    for i, r in enumerate(body, start=2):
        label = r[0]
        if label not in by_label:
            raise DataValidationError(
                f"unknown row label {label!r}; expected one of {list(by_label)}",
                file=FUNDING_FILE, row=i, column="Categories",
            )
        item = by_label[label].item
        if item in out:
            raise DataValidationError(
                f"duplicated key: row label {label!r} already on line {first_row[item]}",
                file=FUNDING_FILE, row=i, column="Categories",
            )
        first_row[item] = i
        cells: dict[str, tuple[float, str, str]] = {}
        for col, period, text in zip(_FUNDING_COLUMNS, FUNDING_PERIODS, r[1:], strict=True):
            value, rule = parse_printed_number(text, file=FUNDING_FILE, row=i, column=col)
            cells[period] = (value, text, rule)
        out[item] = cells
    missing = [it.label for it in FUNDING_ITEMS if it.item not in out]
    if missing:
        raise DataValidationError(
            f"missing rows {missing!r}; Table 1 has {len(FUNDING_ITEMS)} printed rows",
            file=FUNDING_FILE, column="Categories",
        )
    return out


def _period_of(period: str) -> tuple[str, int, int]:
    """``period_type``, first and last year of a Table 1 period."""
    if period == FUNDING_TOTAL_PERIOD:
        return "printed_total", FUNDING_YEARS[0], FUNDING_YEARS[-1]
    return "year", int(period), int(period)


#: The identities recorded in ``funding_checks``, in row order: column identities, row sums.
_RECORDED: tuple[Identity, ...] = (
    *(TABLE1_IDENTITIES[k] for k in RECORDED_IDENTITIES),
    *(row_sum_identity(it.item) for it in FUNDING_ITEMS),
)
_CHECK_COLUMNS = ("relation", "description", "lhs", "rhs", "difference", "tolerance", "holds")


def _funding_checks(cells: dict[str, dict[str, tuple[float, str, str]]]) -> pd.DataFrame:
    """The recorded identities checked on the printed cells (:func:`~ewp_stats.data.vocab.check_identity`)."""
    items = [it.item for it in FUNDING_ITEMS]
    amounts = pd.DataFrame({p: [cells[i][p][0] for i in items] for p in FUNDING_PERIODS}, index=items)
    half = pd.DataFrame({p: [printed_half_unit(cells[i][p][1]) for i in items] for p in FUNDING_PERIODS},
                        index=items)
    rows = []
    for identity in _RECORDED:
        periods = [identity.periods[0]] if identity.periods else list(FUNDING_PERIODS)
        for period in periods:
            row = check_identity(identity, amounts, half, period)
            # inputs carry at most 4 decimals: round away float summation noise in the file
            row["lhs"], row["rhs"] = round(row["lhs"], 10), round(row["rhs"], 10)
            rows.append({"id": row["identity"], "period": period, **{c: row[c] for c in _CHECK_COLUMNS}})
    return pd.DataFrame(rows).set_index(["id", "period"])


def build_funding(seeds_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the tidy ``funding`` dataset (Table 1) and its ``funding_checks``.

    Parameters
    ----------
    seeds_dir
        Directory holding ``table1_funding_as_printed.csv``.

    Returns
    -------
    funding
        Index (``item``, ``period``) in printed order; ``period`` is ``"2003"`` .. ``"2007"`` for
        the year columns and ``"2003-2007"`` for the printed Total column (``period_type``
        ``"printed_total"``). Columns: ``label``, ``parent``, ``role``, ``period_type``,
        ``first_year``, ``last_year``, ``amount`` (million yuan), ``printed``, ``rule``, ``failed_checks``.
        Column descriptions: ``SPECS['funding']`` in :mod:`ewp_stats.pipeline.catalog`.
    funding_checks
        Index (``id``, ``period``); columns ``relation``, ``description``, ``lhs``, ``rhs``,
        ``difference`` (lhs - rhs), ``tolerance`` (worst-case rounding bound: half a unit in the
        last printed decimal of every printed figure in the identity) and ``holds``.

    Raises
    ------
    DataValidationError
        On text in a numeric cell, negative or missing amounts, unknown, missing or duplicated row
        labels, or a wrong header; the message names the file, row and column.

    Notes
    -----
    Nothing is corrected: a failing identity (government subtotal vs. its levels in 2003, 2006 and
    the Total column) is reported in ``funding_checks`` and its cells carry the check id in
    ``failed_checks``.
    """
    cells = _parse_funding(Path(seeds_dir))
    checks = _funding_checks(cells)
    involved = {i.id: {*i.lhs, *i.rhs} for i in _RECORDED}  # the items each identity checks
    failed_by_period: dict[str, list[str]] = {}
    for check_id, period in checks.index[~checks["holds"].to_numpy()]:
        failed_by_period.setdefault(period, []).append(check_id)
    records = []
    for it in FUNDING_ITEMS:
        for period in FUNDING_PERIODS:
            ptype, first, last = _period_of(period)
            amount, printed, rule = cells[it.item][period]
            flags = [c for c in failed_by_period.get(period, []) if it.item in involved[c]]
            records.append({
                "item": it.item, "period": period, "label": it.label, "parent": it.parent,
                "role": it.role, "period_type": ptype, "first_year": first, "last_year": last,
                "amount": amount, "printed": printed, "rule": rule, "failed_checks": ";".join(flags),
            })
    return pd.DataFrame(records).set_index(["item", "period"]), checks


# --------------------------------------------------------------------------------------------
# Table 2: personnel


def build_personnel(seeds_dir: Path) -> pd.DataFrame:
    """Build the tidy ``personnel`` dataset (Table 2).

    Parameters
    ----------
    seeds_dir
        Directory holding ``table2_personnel_as_printed.csv``.

    Returns
    -------
    pandas.DataFrame
        Index (``item``, ``period``) in printed order; ``period`` is ``"2009"``, ``"2010"`` or
        ``"2003-2010"`` (the printed "Total of 2003-2010" column). Columns ``category``,
        ``group``, ``label``, ``unit``, ``period_type``, ``first_year``, ``last_year``, ``count``
        (int), ``printed``, ``rule`` (see ``SPECS['personnel']``).

    Raises
    ------
    DataValidationError
        On text in a count cell, negative or missing counts, unknown, missing or duplicated rows,
        an unknown unit or a wrong header; the message names the file, row and column.
    """
    columns = [*PERSONNEL_YEARS, _PERSONNEL_TOTAL_COLUMN]
    body = _read_csv(
        Path(seeds_dir) / PERSONNEL_FILE, ["Categories", "Group", "Item", "Unit", *columns]
    )
    by_key = {(p.category, p.group, p.label): p for p in PERSONNEL_ITEMS}
    seen: dict[str, int] = {}
    records = []
    for i, r in enumerate(body, start=2):
        key = (r[0], r[1], r[2])
        if key not in by_key:
            raise DataValidationError(
                f"unknown row {key!r}; expected one of the {len(by_key)} printed rows of Table 2",
                file=PERSONNEL_FILE, row=i, column="Item",
            )
        spec = by_key[key]
        if spec.item in seen:
            raise DataValidationError(
                f"duplicated key: row {key!r} already on line {seen[spec.item]}",
                file=PERSONNEL_FILE, row=i, column="Item",
            )
        seen[spec.item] = i
        unit = r[3]
        if unit not in PERSONNEL_UNITS:
            raise DataValidationError(
                f"unknown unit {unit!r}; expected one of {list(PERSONNEL_UNITS)}",
                file=PERSONNEL_FILE, row=i, column="Unit",
            )
        for col, text in zip(columns, r[4:], strict=True):
            value, rule = parse_printed_number(
                text, file=PERSONNEL_FILE, row=i, column=col, integer=True
            )
            if col == _PERSONNEL_TOTAL_COLUMN:
                period, ptype, first, last = PERSONNEL_TOTAL_PERIOD, "printed_total", 2003, 2010
            else:
                period, ptype, first, last = col, "year", int(col), int(col)
            records.append({
                "item": spec.item, "period": period, "category": PERSONNEL_CATEGORIES[spec.category],
                "group": spec.group.lower(), "label": spec.label, "unit": unit,
                "period_type": ptype, "first_year": first, "last_year": last,
                "count": int(value), "printed": text, "rule": rule,
            })
    missing = [p.item for p in PERSONNEL_ITEMS if p.item not in seen]
    if missing:
        raise DataValidationError(
            f"missing rows {missing!r}; Table 2 has {len(PERSONNEL_ITEMS)} printed rows",
            file=PERSONNEL_FILE, column="Item",
        )
    frame = pd.DataFrame(records).set_index(["item", "period"])
    frame["count"] = frame["count"].astype("int64")
    return frame


# --------------------------------------------------------------------------------------------
# hook for the cleaning pipeline (ewp_stats.pipeline.build)


def _file_source(seeds_dir: Path, file: str, table: str) -> dict[str, str]:
    return {"file": f"seeds/{file}", "sha256": sha256_of(Path(seeds_dir) / file),
            "document": "seeds/004_de9daaf1b232b997", "table": table}


def paper_table_datasets(seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, object]]]:
    """The three paper-table datasets in the form :mod:`ewp_stats.pipeline.build` expects.

    Returns
    -------
    dict
        ``name -> (frame, provenance)`` for ``funding``, ``funding_checks`` and ``personnel``;
        ``provenance`` has ``sources`` (transcription file with sha256) and ``rules`` (parsing
        rules with the number of cells they were applied to; no value is excluded). Titles and
        schemas are declared in :data:`ewp_stats.pipeline.catalog.SPECS`.
    """
    funding, checks = build_funding(seeds_dir)
    personnel = build_personnel(seeds_dir)
    t1 = _file_source(seeds_dir, FUNDING_FILE, "Table 1")
    t2 = _file_source(seeds_dir, PERSONNEL_FILE, "Table 2")
    out: dict[str, tuple[pd.DataFrame, dict[str, object]]] = {}
    for name, frame, src in (("funding", funding, t1), ("funding_checks", checks, t1),
                             ("personnel", personnel, t2)):
        rules = []
        if "rule" in frame.columns:
            for rule_id, n in frame["rule"][frame["rule"] != ""].value_counts().sort_index().items():
                rules.append({"id": rule_id, "description": PARSE_RULES[rule_id],
                              "values_excluded": 0, "values_affected": int(n)})
        out[name] = (frame, {"sources": [src], "rules": rules})
    return out
