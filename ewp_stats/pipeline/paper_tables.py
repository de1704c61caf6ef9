"""Tidy the paper's Table 1 (funding) and Table 2 (personnel) from their as-printed transcriptions.

The transcriptions live in ``seeds/`` as CSV files in which every cell is the string exactly as
printed in the paper (``seeds/tables.md`` documents layout, units and artefacts). The functions here
are pure: they read those CSVs, turn each printed string into a number under an explicit, named
parsing rule, validate the result and return tidy :class:`pandas.DataFrame` objects plus a
metadata dict per dataset for ``datapackage.json``.

Parsing rules (the ``rule`` column names the one applied to each cell; ``""`` means the string was a
plain non-negative decimal and was read as is):

``strip_trailing_period``
    A decimal number followed by one stray period, e.g. ``83.2521.`` (Table 1, County level, 2007),
    is read as the number without that period. Only one trailing period is removed; ``83.2521..``
    is rejected as text.

Anything else in a numeric cell (text, an empty cell, a negative sign, thousands separators) raises
:class:`ewp_stats.errors.DataValidationError` naming the file, the 1-based data row and the column.

References
----------
The East-West Partnership for Poverty Reduction paper, ``seeds/004_de9daaf1b232b997``, Table 1
"Funding Situation of EW Partnerships (2003~2007)" and Table 2 "Professional Technicians and
Management Personnel Exchanging and Training (2003~2010)".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ewp_stats.errors import DataValidationError
from ewp_stats.printed import half_unit_decimal

__all__ = [
    "FUNDING_FILE",
    "PERSONNEL_FILE",
    "FUNDING_ITEMS",
    "PERSONNEL_ITEMS",
    "PARSE_RULES",
    "parse_printed_number",
    "build_funding",
    "build_personnel",
    "funding_metadata",
    "funding_checks_metadata",
    "personnel_metadata",
    "paper_table_datasets",
]

FUNDING_FILE = "table1_funding_as_printed.csv"
PERSONNEL_FILE = "table2_personnel_as_printed.csv"

FUNDING_YEARS: tuple[str, ...] = ("2003", "2004", "2005", "2006", "2007")
FUNDING_TOTAL_COLUMN = "Total"
FUNDING_TOTAL_PERIOD = "2003-2007"
PERSONNEL_YEARS: tuple[str, ...] = ("2009", "2010")
PERSONNEL_TOTAL_COLUMN = "Total of 2003-2010"
PERSONNEL_TOTAL_PERIOD = "2003-2010"

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


@dataclass(frozen=True)
class _Item:
    """One printed row of Table 1: id, printed label, parent id and role."""

    item: str
    label: str
    parent: str
    role: str


#: Table 1 rows in printed order. ``parent`` and ``role`` encode the hierarchy (see tables.md):
#: the three levels are components of government funds; government funds, enterprise investments
#: and social donations are the sources that make up funds; real investments are the paid-in part
#: of (contracted) enterprise investments and tax payments are taxes paid by those enterprises, so
#: both are memo items, not further sources. The printed Total nevertheless adds all eight rows.
FUNDING_ITEMS: tuple[_Item, ...] = (
    _Item("government_funds", "Government Funds", "total", "subtotal"),
    _Item("provincial_level", "Provincial level", "government_funds", "component"),
    _Item("prefectural_level", "Prefectural level", "government_funds", "component"),
    _Item("county_level", "County level", "government_funds", "component"),
    _Item("enterprise_investments", "Enterprise Investments", "total", "component"),
    _Item("real_investments", "Real investments", "enterprise_investments", "memo"),
    _Item("tax_payments", "Taxes Payments", "", "memo"),
    _Item("social_donations", "Social Donations", "total", "component"),
    _Item("total", "Total", "", "total"),
)

LEVELS: tuple[str, ...] = ("provincial_level", "prefectural_level", "county_level")


@dataclass(frozen=True)
class _PersonnelItem:
    item: str
    category: str
    group: str
    label: str


_CATEGORY_IDS = {
    "Cadre Exchange": "cadre_exchange",
    "Professional Technician Exchange": "technician_exchange",
    "Management Personnel Exchange": "management_exchange",
}

#: Table 2 rows in printed order, keyed by (printed category, printed group, printed item).
PERSONNEL_ITEMS: tuple[_PersonnelItem, ...] = (
    _PersonnelItem("cadre_east_to_west", "Cadre Exchange", "",
                   "Exchanging from the eastern to the western region"),
    _PersonnelItem("cadre_west_to_east", "Cadre Exchange", "",
                   "Exchanging from the western to the eastern region"),
    _PersonnelItem("cadre_training", "Cadre Exchange", "", "Training Course"),
    _PersonnelItem("technician_east_to_west", "Professional Technician Exchange", "",
                   "Exchanging from the eastern to the western region"),
    _PersonnelItem("technician_west_to_east", "Professional Technician Exchange", "",
                   "Exchanging from the western to the eastern region"),
    _PersonnelItem("technician_training_terms", "Professional Technician Exchange", "",
                   "Training Course"),
    _PersonnelItem("technician_attendees_teacher", "Professional Technician Exchange",
                   "Attendees", "Teacher"),
    _PersonnelItem("technician_attendees_doctor", "Professional Technician Exchange",
                   "Attendees", "Doctor"),
    _PersonnelItem("technician_attendees_agriculture", "Professional Technician Exchange",
                   "Attendees", "Agriculture Technicians"),
    _PersonnelItem("management_training_terms", "Management Personnel Exchange", "",
                   "Training Course"),
    _PersonnelItem("management_attendees", "Management Personnel Exchange", "", "Attendees"),
)


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
        Where the cell is, for error messages (``row`` is the 1-based data row, header excluded).
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
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
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
            row=0,
        )
    body = rows[1:]
    for i, r in enumerate(body, start=1):
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
    """item -> printed column -> (amount, printed, rule), validated."""
    columns = [*FUNDING_YEARS, FUNDING_TOTAL_COLUMN]
    body = _read_csv(Path(seeds_dir) / FUNDING_FILE, ["Categories", *columns])
    by_label = {it.label: it for it in FUNDING_ITEMS}
    out: dict[str, dict[str, tuple[float, str, str]]] = {}
    first_row: dict[str, int] = {}
    for i, r in enumerate(body, start=1):
        label = r[0]
        if label not in by_label:
            raise DataValidationError(
                f"unknown row label {label!r}; expected one of {list(by_label)}",
                file=FUNDING_FILE, row=i, column="Categories",
            )
        item = by_label[label].item
        if item in out:
            raise DataValidationError(
                f"duplicated key: row label {label!r} already on data row {first_row[item]}",
                file=FUNDING_FILE, row=i, column="Categories",
            )
        first_row[item] = i
        cells: dict[str, tuple[float, str, str]] = {}
        for col, text in zip(columns, r[1:], strict=True):
            value, rule = parse_printed_number(text, file=FUNDING_FILE, row=i, column=col)
            cells[col] = (value, text, rule)
        out[item] = cells
    missing = [it.label for it in FUNDING_ITEMS if it.item not in out]
    if missing:
        raise DataValidationError(
            f"missing rows {missing!r}; Table 1 has {len(FUNDING_ITEMS)} printed rows",
            file=FUNDING_FILE, column="Categories",
        )
    return out


def _period_of(col: str) -> tuple[str, str, int, int]:
    if col == FUNDING_TOTAL_COLUMN:
        return FUNDING_TOTAL_PERIOD, "printed_total", 2003, 2007
    return col, "year", int(col), int(col)


def _check_row(
    check_id: str, period: str, relation: str, description: str,
    lhs: tuple[float, list[str]], rhs: tuple[float, list[str]],
) -> dict[str, object]:
    """One identity: values, difference and a worst-case rounding tolerance."""
    lhs_value, lhs_printed = lhs
    rhs_value, rhs_printed = rhs
    tol = float(sum((half_unit_decimal(t) for t in [*lhs_printed, *rhs_printed]), Decimal(0)))
    diff = round(lhs_value - rhs_value, 10) + 0.0  # + 0.0 turns -0.0 into 0.0
    holds = abs(diff) <= tol if relation == "=" else diff <= tol
    return {
        "id": check_id, "period": period, "relation": relation, "description": description,
        "lhs": round(lhs_value, 10), "rhs": round(rhs_value, 10), "difference": diff,
        "tolerance": tol, "holds": bool(holds),
    }


def _funding_checks(cells: dict[str, dict[str, tuple[float, str, str]]]) -> pd.DataFrame:
    columns = [*FUNDING_YEARS, FUNDING_TOTAL_COLUMN]
    rows: list[dict[str, object]] = []
    parts = [it.item for it in FUNDING_ITEMS if it.item != "total"]

    def term(item: str, col: str) -> tuple[float, list[str]]:
        return cells[item][col][0], [cells[item][col][1]]

    def total_of(items: list[str], col: str) -> tuple[float, list[str]]:
        return sum(cells[i][col][0] for i in items), [cells[i][col][1] for i in items]

    for col in columns:
        period = _period_of(col)[0]
        rows.append(_check_row(
            "column_sum.all_rows", period, "=",
            "printed Total equals the sum of all eight printed rows (government subtotal, its "
            "three levels, enterprise and real investments, tax payments, social donations)",
            term("total", col), total_of(parts, col)))
    for col in columns:
        period = _period_of(col)[0]
        rows.append(_check_row(
            "government.levels", period, "=",
            "government funds equal provincial + prefectural + county level",
            term("government_funds", col), total_of(list(LEVELS), col)))
    for it in FUNDING_ITEMS:
        year_terms = [cells[it.item][y] for y in FUNDING_YEARS]
        rows.append(_check_row(
            f"row_sum.{it.item}", FUNDING_TOTAL_PERIOD, "=",
            f"printed Total column of {it.label!r} equals the sum of its 2003-2007 cells",
            term(it.item, FUNDING_TOTAL_COLUMN),
            (sum(v for v, _, _ in year_terms), [p for _, p, _ in year_terms])))
    for col in columns:
        period = _period_of(col)[0]
        rows.append(_check_row(
            "real_le_enterprise", period, "<=",
            "real (paid-in) investments do not exceed enterprise (contracted) investments",
            term("real_investments", col), term("enterprise_investments", col)))
    frame = pd.DataFrame(rows).set_index(["id", "period"])
    return frame


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
        See :func:`funding_metadata` for descriptions.
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
    failed = checks[~checks["holds"]]
    failed_by_period: dict[str, list[str]] = {}
    for check_id, period in failed.index:
        failed_by_period.setdefault(period, []).append(check_id)

    involved = {  # which items take part in each check family
        "column_sum.all_rows": {it.item for it in FUNDING_ITEMS},
        "government.levels": {"government_funds", *LEVELS},
        "real_le_enterprise": {"real_investments", "enterprise_investments"},
    }
    records = []
    for it in FUNDING_ITEMS:
        for col in [*FUNDING_YEARS, FUNDING_TOTAL_COLUMN]:
            period, ptype, first, last = _period_of(col)
            amount, printed, rule = cells[it.item][col]
            flags = [
                c for c in failed_by_period.get(period, [])
                if it.item in involved.get(c, {c.removeprefix("row_sum.")})
            ]
            records.append({
                "item": it.item, "period": period, "label": it.label, "parent": it.parent,
                "role": it.role, "period_type": ptype, "first_year": first, "last_year": last,
                "amount": amount, "printed": printed, "rule": rule, "failed_checks": ";".join(flags),
            })
    funding = pd.DataFrame(records).set_index(["item", "period"])
    funding.attrs["metadata"] = funding_metadata()
    checks.attrs["metadata"] = funding_checks_metadata()
    return funding, checks


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
        (int), ``printed``, ``rule``. See :func:`personnel_metadata`.

    Raises
    ------
    DataValidationError
        On text in a count cell, negative or missing counts, unknown, missing or duplicated rows,
        an unknown unit or a wrong header; the message names the file, row and column.
    """
    columns = [*PERSONNEL_YEARS, PERSONNEL_TOTAL_COLUMN]
    body = _read_csv(
        Path(seeds_dir) / PERSONNEL_FILE, ["Categories", "Group", "Item", "Unit", *columns]
    )
    by_key = {(p.category, p.group, p.label): p for p in PERSONNEL_ITEMS}
    seen: dict[str, int] = {}
    records = []
    for i, r in enumerate(body, start=1):
        key = (r[0], r[1], r[2])
        if key not in by_key:
            raise DataValidationError(
                f"unknown row {key!r}; expected one of the {len(by_key)} printed rows of Table 2",
                file=PERSONNEL_FILE, row=i, column="Item",
            )
        spec = by_key[key]
        if spec.item in seen:
            raise DataValidationError(
                f"duplicated key: row {key!r} already on data row {seen[spec.item]}",
                file=PERSONNEL_FILE, row=i, column="Item",
            )
        seen[spec.item] = i
        unit = r[3]
        if unit not in ("Person-time", "Terms"):
            raise DataValidationError(
                f"unknown unit {unit!r}; expected 'Person-time' or 'Terms'",
                file=PERSONNEL_FILE, row=i, column="Unit",
            )
        for col, text in zip(columns, r[4:], strict=True):
            value, rule = parse_printed_number(
                text, file=PERSONNEL_FILE, row=i, column=col, integer=True
            )
            if col == PERSONNEL_TOTAL_COLUMN:
                period, ptype, first, last = PERSONNEL_TOTAL_PERIOD, "printed_total", 2003, 2010
            else:
                period, ptype, first, last = col, "year", int(col), int(col)
            records.append({
                "item": spec.item, "period": period, "category": _CATEGORY_IDS[spec.category],
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
    frame.attrs["metadata"] = personnel_metadata()
    return frame


# --------------------------------------------------------------------------------------------
# metadata

_SOURCE = {
    "document": "seeds/004_de9daaf1b232b997 (research paper on the East-West Partnership for "
                "Poverty Reduction; see seeds/ bibliography)",
}


def _rules() -> list[dict[str, str]]:
    return [{"id": k, "description": v} for k, v in PARSE_RULES.items()]


def funding_metadata() -> dict[str, object]:
    """Metadata of the ``funding`` dataset (for ``datapackage.json``)."""
    return {
        "name": "funding",
        "title": "Funding of the East-West partnership by source, 2003-2007 (paper Table 1, tidy)",
        "unit": "million yuan (nominal; Table 1 'Unit: Million')",
        "coverage": "2003-2007 by year plus the printed 2003-2007 Total column",
        "source": {**_SOURCE, "table": "Table 1: Funding Situation of EW Partnerships (2003~2007)",
                   "transcription": f"seeds/{FUNDING_FILE}",
                   "original_source": "LGOP International Cooperation and Social Mobilization "
                                      "Department, 2009 (as cited under the table)"},
        "index": ["item", "period"],
        "columns": {
            "item": "row id: government_funds, provincial_level, prefectural_level, county_level, "
                    "enterprise_investments, real_investments, tax_payments, social_donations, total",
            "period": "'2003'..'2007' for the year columns, '2003-2007' for the printed Total column",
            "label": "row label exactly as printed",
            "parent": "item this row is a part of ('' if none): levels -> government_funds; "
                      "government_funds, enterprise_investments, social_donations -> total; "
                      "real_investments -> enterprise_investments (paid-in part of contracted "
                      "investment; a memo item); tax_payments -> '' (taxes paid by the investing "
                      "enterprises; a memo item)",
            "role": "'subtotal' (has components), 'component', 'memo' (not a source of funds, "
                    "shown for information) or 'total' (the printed Total row)",
            "period_type": "'year' or 'printed_total' (the printed Total column; not a year)",
            "first_year": "first year covered by the period (int)",
            "last_year": "last year covered by the period (int)",
            "amount": "amount in million yuan (float), parsed from 'printed' under 'rule'",
            "printed": "the cell exactly as printed",
            "rule": "parsing rule applied ('' = plain number)",
            "failed_checks": "';'-separated ids of funding_checks identities that fail and involve this "
                     "cell ('' = none)",
        },
        "rules": _rules(),
        "notes": [
            "The printed Total row equals the column sum of all eight printed rows within "
            "rounding, i.e. it counts the government subtotal and its three levels, and real "
            "investments and tax payments next to enterprise investments (see funding_checks "
            "'column_sum.all_rows').",
            "Government funds differ from the sum of their three levels in 2003 (-2.6176) and "
            "2006 (+231.1, 534.553 vs 303.453); both are flagged, not corrected.",
            "Real investments are below enterprise investments in every period, consistent with "
            "a paid-in part of contracted investment.",
            "The printed Total column equals the sum of the year columns within rounding for "
            "every row.",
        ],
    }


def funding_checks_metadata() -> dict[str, object]:
    """Metadata of the ``funding_checks`` dataset."""
    return {
        "name": "funding_checks",
        "title": "Accounting identities of paper Table 1 checked on the printed figures",
        "unit": "million yuan (lhs, rhs, difference, tolerance)",
        "source": {**_SOURCE, "table": "Table 1", "transcription": f"seeds/{FUNDING_FILE}"},
        "index": ["id", "period"],
        "columns": {
            "id": "identity id: column_sum.all_rows, government.levels, row_sum.<item>, "
                  "real_le_enterprise",
            "period": "'2003'..'2007' or '2003-2007' (the printed Total column)",
            "relation": "'=' (identity) or '<=' (inequality lhs <= rhs)",
            "description": "what is checked",
            "lhs": "left-hand side (the printed aggregate)",
            "rhs": "right-hand side (computed from printed components)",
            "difference": "lhs - rhs",
            "tolerance": "worst-case rounding bound: sum of half a unit in the last printed "
                         "decimal of every printed figure in the identity",
            "holds": "True if |difference| <= tolerance ('=') or difference <= tolerance ('<=')",
        },
        "rules": [],
        "notes": ["Failing identities are reported, never corrected."],
    }


def personnel_metadata() -> dict[str, object]:
    """Metadata of the ``personnel`` dataset (for ``datapackage.json``)."""
    return {
        "name": "personnel",
        "title": "Personnel exchange and training under the East-West partnership "
                 "(paper Table 2, tidy)",
        "unit": "person-times or training terms (column 'unit')",
        "coverage": "2009, 2010 and the printed 2003-2010 total",
        "source": {**_SOURCE,
                   "table": "Table 2: Professional Technicians and Management Personnel "
                            "Exchanging and Training (2003~2010)",
                   "transcription": f"seeds/{PERSONNEL_FILE}",
                   "original_source": "LGOP, 2011 (as cited under the table)"},
        "index": ["item", "period"],
        "columns": {
            "item": "row id, e.g. cadre_east_to_west, technician_attendees_teacher",
            "period": "'2009', '2010' or '2003-2010' (the printed 'Total of 2003-2010' column)",
            "category": "cadre_exchange, technician_exchange or management_exchange",
            "group": "'attendees' for the rows printed under the 'Attendees' group, else ''",
            "label": "item label as printed (line wraps joined with one space)",
            "unit": "unit as printed: 'Person-time' or 'Terms'",
            "period_type": "'year' or 'printed_total'",
            "first_year": "first year covered by the period (int)",
            "last_year": "last year covered by the period (int)",
            "count": "the printed count (int)",
            "printed": "the cell exactly as printed",
            "rule": "parsing rule applied ('' = plain integer)",
        },
        "rules": [],
        "notes": [
            "Only 2009, 2010 and the 2003-2010 total are printed; 2003-2008 cannot be recovered "
            "individually.",
            "The three 'Attendees' rows of technician exchange do not add up to the technician "
            "'Training Course' row (different units: person-times vs terms); no identity is "
            "asserted between them.",
        ],
    }


# --------------------------------------------------------------------------------------------
# hook for the cleaning pipeline (ewp_stats.pipeline.build)

_FIELD_TYPES: dict[str, dict[str, tuple[str, bool, float | None]]] = {
    # column -> (frictionless type, required, minimum); "" strings are optional (missing = none)
    "funding": {
        "item": ("string", True, None), "period": ("string", True, None),
        "label": ("string", True, None), "parent": ("string", False, None),
        "role": ("string", True, None), "period_type": ("string", True, None),
        "first_year": ("integer", True, 2003), "last_year": ("integer", True, 2003),
        "amount": ("number", True, 0), "printed": ("string", True, None),
        "rule": ("string", False, None), "failed_checks": ("string", False, None),
    },
    "funding_checks": {
        "id": ("string", True, None), "period": ("string", True, None),
        "relation": ("string", True, None), "description": ("string", True, None),
        "lhs": ("number", True, None), "rhs": ("number", True, None),
        "difference": ("number", True, None), "tolerance": ("number", True, 0),
        "holds": ("boolean", True, None),
    },
    "personnel": {
        "item": ("string", True, None), "period": ("string", True, None),
        "category": ("string", True, None), "group": ("string", False, None),
        "label": ("string", True, None), "unit": ("string", True, None),
        "period_type": ("string", True, None), "first_year": ("integer", True, 2003),
        "last_year": ("integer", True, 2003), "count": ("integer", True, 0),
        "printed": ("string", True, None), "rule": ("string", False, None),
    },
}

_ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    "funding": {"item": tuple(i.item for i in FUNDING_ITEMS),
                "role": ("subtotal", "component", "memo", "total"),
                "period_type": ("year", "printed_total")},
    "funding_checks": {"relation": ("=", "<=")},
    "personnel": {"item": tuple(p.item for p in PERSONNEL_ITEMS),
                  "category": tuple(_CATEGORY_IDS.values()), "unit": ("Person-time", "Terms"),
                  "period_type": ("year", "printed_total")},
}


def _schema_dict(name: str, meta: dict[str, object]) -> dict[str, object]:
    """Frictionless table schema for one of the three datasets (see ewp_stats.data.schema)."""
    from ewp_stats.data.schema import Field, Schema  # local: keeps this module importable alone

    columns = meta["columns"]
    assert isinstance(columns, dict)
    unit = {"amount": "million yuan", "lhs": "million yuan", "rhs": "million yuan",
            "difference": "million yuan", "tolerance": "million yuan"}
    fields = tuple(
        Field(col, typ, str(columns[col]), unit.get(col, ""), req, mini)
        for col, (typ, req, mini) in _FIELD_TYPES[name].items()
    )
    index = meta["index"]
    assert isinstance(index, list)
    return Schema(fields, tuple(index), _ALLOWED[name]).to_dict()


def _file_source(seeds_dir: Path, file: str, table: str) -> dict[str, str]:
    import hashlib

    digest = hashlib.sha256((Path(seeds_dir) / file).read_bytes()).hexdigest()
    return {"file": f"seeds/{file}", "sha256": digest, "document": "seeds/004_de9daaf1b232b997",
            "table": table}


def paper_table_datasets(seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, object]]]:
    """The three paper-table datasets in the form :mod:`ewp_stats.pipeline.build` expects.

    Returns
    -------
    dict
        ``name -> (frame, provenance)`` for ``funding``, ``funding_checks`` and ``personnel``;
        ``provenance`` has ``metadata`` (title, description, unit, schema, notes, columns),
        ``sources`` (transcription file with sha256) and ``rules`` (parsing rules with the number
        of cells they were applied to; no value is excluded).
    """
    funding, checks = build_funding(seeds_dir)
    personnel = build_personnel(seeds_dir)
    t1 = _file_source(seeds_dir, FUNDING_FILE, "Table 1")
    t2 = _file_source(seeds_dir, PERSONNEL_FILE, "Table 2")
    out: dict[str, tuple[pd.DataFrame, dict[str, object]]] = {}
    for name, frame, meta, src in (
        ("funding", funding, funding_metadata(), t1),
        ("funding_checks", checks, funding_checks_metadata(), t1),
        ("personnel", personnel, personnel_metadata(), t2),
    ):
        rules = []
        if "rule" in frame.columns:
            for rule_id, n in frame["rule"][frame["rule"] != ""].value_counts().sort_index().items():
                rules.append({"id": rule_id, "description": PARSE_RULES[rule_id],
                              "values_excluded": 0, "values_affected": int(n)})
        metadata = {
            "title": meta["title"], "description": meta["title"], "unit": meta["unit"],
            "schema": _schema_dict(name, meta), "notes": list(meta["notes"]),
        }
        clean = frame.copy()
        clean.attrs = {}
        out[name] = (clean, {"metadata": metadata, "sources": [src], "rules": rules})
    return out
