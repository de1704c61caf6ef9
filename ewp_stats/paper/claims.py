"""Audit of every numeric claim in the five source documents.

Longer than most modules, but one cohesive thing: the register (read, validate), the audit of each claim and its
result; the check language is in :mod:`ewp_stats.engines.checklang`, the paper's check functions
in :mod:`ewp_stats.paper.claim_functions`.

The register ``seeds/claims.csv`` (shipped as the dataset ``claims_register``; layout and check
language in ``seeds/claims.md``) holds one row per printed figure. Each row either carries a
machine-readable *check*, an expression that recomputes the figure from the shipped data or from
other printed figures, or says why it cannot be checked. :func:`audit` evaluates every check and
gives each claim one verdict (:data:`VERDICTS`, meanings in :data:`VERDICT_MEANINGS`):

``reproduced``, ``reproduced_under_convention``, ``bound_satisfied``
    the printed figure agrees with a check on the shipped data or the paper's tables: plainly,
    only under the row's named convention, or as a bound;
``consistent_with_claim``, ``arithmetic_agrees``, ``count_matches_listing``
    it agrees with a check that rests on the documents themselves: other printed figures, date
    arithmetic, or the list the same passage names (the basis is tested before any convention or
    bound, so neither promotes such a check);
``discrepant_explained``, ``discrepant_unexplained``
    it does not; the result gives the gap, the alternative readings (the first that reproduces the
    figure as one plausible reading, the others with their values) and the ``discrepancy_kind``;
``not_checkable``
    the register gives no check, only the data that would be needed.

The checks between claims (:mod:`ewp_stats.paper.claim_consistency`) are part of the result.

Check language
--------------
Checks are written in the safe expression language of :mod:`ewp_stats.engines.checklang`
(numbers, string literals, ``+ - * / **``, parentheses and calls of registered functions by
bare name). The paper's functions are registered in
:data:`~ewp_stats.paper.claim_functions.LANGUAGE` (:func:`check_functions` lists them;
``seeds/claims.md`` documents them).

Rounding and qualifiers
-----------------------
A printed figure stands for an interval that its precision and qualifier give it
(:func:`~ewp_stats.printed.printed_interval`): ``2.86`` means [2.855, 2.865], "more than 100"
(100, inf), "2-3" [2, 3], "doubled" [1.8, 2.2]. ``claim()`` and ``table1()`` return such intervals
(:class:`Bounded`), arithmetic propagates them (interval arithmetic), data functions return exact
points and ``at_least``/``at_most`` one-sided bounds. A claim agrees with its check when the two
intervals meet: with a data-only check of a plain figure this is exactly
``|recomputed - value| <= half unit``; with checks on other printed figures it also allows for
*their* rounding (e.g. (2.86 - 2.12) / 20 is 3.70 +- 0.05 percentage points, which covers a
printed 3.71).

References
----------
.. [1] The research paper on the East-West Partnership for Poverty Reduction,
   ``seeds/004_de9daaf1b232b997.txt``; the four news items ``seeds/000_*`` to ``003_*``
   (see ``seeds/bibliography.csv``).
.. [2] R. E. Moore, R. B. Kearfott and M. J. Cloud, *Introduction to Interval Analysis*,
   SIAM, 2009 (interval arithmetic used for the rounding bounds).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from ewp_stats._results import Result
from ewp_stats.data.vocab import CLAIM_DISCREPANCY_KINDS as DISCREPANCY_KINDS
from ewp_stats.data.vocab import CLAIM_DOCUMENTS as DOCUMENTS
from ewp_stats.data.vocab import CLAIM_QUALIFIERS as QUALIFIERS
from ewp_stats.engines.checklang import (
    Bounded,
    CheckExpressionError,
    CheckFunction,
    CheckLanguage,
    ParsedCheck,
)
from ewp_stats.errors import DataValidationError, InputError, UnknownDatasetError
from ewp_stats.paper.claim_functions import LANGUAGE, CheckContext, is_exact_figure, make_context
from ewp_stats.printed import printed_interval

if TYPE_CHECKING:
    from ewp_stats.paper.claim_consistency import ConsistencyResult

#: Make a function callable from register checks (see :meth:`CheckLanguage.register`).
register_function = LANGUAGE.register
#: The functions available to check expressions: name, signature, basis, description.
check_functions = LANGUAGE.functions
#: Parse and validate a check expression without evaluating it (:meth:`CheckLanguage.parse`).
parse_check = LANGUAGE.parse

__all__ = [
    "format_recomputed",
    "format_recomputed_with_unit",
    "group_digits",
    "interval_in_words",
    "natural_sort_key",
    "VERDICTS",
    "VERDICT_MEANINGS",
    "AGREEING_VERDICTS",
    "ALT_SEPARATOR",
    "REGISTER_COLUMNS",
    "Bounded",
    "CheckExpressionError",
    "CheckFunction",
    "CheckLanguage",
    "LANGUAGE",
    "ParsedCheck",
    "DOCUMENTS",
    "QUALIFIERS",
    "DISCREPANCY_KINDS",
    "ClaimAudit",
    "AuditResult",
    "register_function",
    "check_functions",
    "parse_check",
    "evaluate_check",
    "read_register",
    "load_register",
    "validate_register",
    "audit",
]

#: Columns of the register, in file order (all are text in the CSV).
REGISTER_COLUMNS: tuple[str, ...] = (
    "id", "document", "section", "location", "line", "start", "end", "printed", "value",
    "value_high", "unit", "period", "quantity", "qualifier", "decimals", "check", "check_label",
    "convention", "alt_check", "alt_explanation", "discrepancy_explanation", "discrepancy_kind", "context",
    "context_label", "not_checkable_reason",
)

_EXPRESSION_COLUMNS = ("check", "alt_check", "context")
_REGISTER_NAME = "claims_register"


def evaluate_check(
    expression: str,
    *,
    register: pd.DataFrame | None = None,
    datasets: Mapping[str, pd.DataFrame] | None = None,
) -> Bounded:
    """Evaluate one check expression.

    Parameters
    ----------
    expression
        A check expression (see the module docstring and ``seeds/claims.md``).
    register
        The register that ``claim()`` reads; default: the shipped ``claims_register``.
    datasets
        Optional ``name -> DataFrame`` overrides of the shipped datasets.

    Returns
    -------
    Bounded
        The value and its rounding bounds.

    Raises
    ------
    CheckExpressionError
        If the expression is refused by the safe parser or cannot be evaluated.
    """
    parsed = parse_check(expression)
    reg = load_register(register) if (register is not None or "claim" in parsed.functions) else None
    ctx = make_context(reg if reg is not None else pd.DataFrame(), datasets)
    return LANGUAGE.evaluate(parsed, ctx)


# --------------------------------------------------------------------------------------------
# register I/O and validation


def read_register(path: str | Path) -> pd.DataFrame:
    """Read a register CSV (e.g. ``seeds/claims.csv``) and return it validated, indexed by id."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return validate_register(frame, source=str(path))


#: Columns that hold numbers (typed in the shipped ``claims_register``, text in seeds/claims.csv).
_NUMERIC_COLUMNS = ("value", "value_high", "decimals", "line", "start", "end")


def _cell_text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


def _normalise(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """The register's columns in file order: text columns as stripped strings, numeric ones as given."""
    frame = frame.copy()
    if "id" not in frame.columns:
        frame = frame.reset_index()
    missing = [c for c in REGISTER_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"missing columns {missing}; the register needs {list(REGISTER_COLUMNS)}", file=source)
    frame = frame[list(REGISTER_COLUMNS)]
    cols = {c: (frame[c].astype(object) if c in _NUMERIC_COLUMNS and pd.api.types.is_numeric_dtype(frame[c])
                else frame[c].map(_cell_text)) for c in REGISTER_COLUMNS}
    return pd.DataFrame(cols)


def _number(v: Any) -> float:
    """A register number: a float or int as is, a string parsed (ValueError when it is not one)."""
    if isinstance(v, bool):
        raise ValueError(v)
    return float(v)


def _integer(v: Any) -> int:
    """A register integer: an int, an integral float, or the text of an integer."""
    if isinstance(v, str):
        return int(v)
    f = _number(v)
    if not f.is_integer():
        raise ValueError(v)
    return int(f)


def validate_register(frame: pd.DataFrame, *, source: str = _REGISTER_NAME) -> pd.DataFrame:
    """Validate a register and return it typed (``value`` float, ``decimals`` int) indexed by id.

    Every row must have a unique id, a known document, a numeric value, an integer ``decimals``,
    a known ``qualifier`` and ``discrepancy_kind``, and either a ``check`` or a ``not_checkable_reason`` (not both). Every
    expression (``check``, ``alt_check``, ``context``) must pass the safe parser, call only known
    functions and cite only existing claim ids; a check may not cite its own claim.

    Raises
    ------
    DataValidationError
        Naming the register, the claim id (row) and the column.
    """
    flat = _normalise(frame, source)
    dup = flat["id"][flat["id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"duplicated claim ids {dup}; ids must be unique",
                                  file=source, column="id")
    ids = set(flat["id"])
    values, decimals, highs, anchors = [], [], [], []
    for _, row in flat.iterrows():
        cid = row["id"]

        def bad(msg: str, column: str, cid: str = cid) -> DataValidationError:
            return DataValidationError(msg, file=source, row=cid, column=column)

        if not cid:
            raise bad("empty claim id", "id")
        if row["document"] not in DOCUMENTS:
            raise bad(f"unknown document {row['document']!r}; expected one of {list(DOCUMENTS)}",
                      "document")
        for col in ("section", "location", "printed", "unit", "quantity"):
            if not row[col]:
                raise bad(f"empty {col}; every claim needs it", col)
        try:
            value = _number(row["value"])
        except (TypeError, ValueError):
            raise bad(f"value {row['value']!r} is not a number", "value") from None
        if not math.isfinite(value):
            raise bad(f"value {row['value']!r} is not finite", "value")
        try:
            dec = _integer(row["decimals"])
        except (TypeError, ValueError):
            raise bad(f"decimals {row['decimals']!r} is not an integer", "decimals") from None
        qualifier = row["qualifier"]
        if qualifier not in QUALIFIERS:
            raise bad(f"qualifier {qualifier!r} unknown; expected one of {list(QUALIFIERS)}",
                      "qualifier")
        if row["discrepancy_kind"] not in DISCREPANCY_KINDS:
            raise bad(f"discrepancy_kind {row['discrepancy_kind']!r} unknown; expected one of "
                      f"{list(DISCREPANCY_KINDS)}", "discrepancy_kind")
        anchor = []
        for col in ("line", "start", "end"):
            try:
                anchor.append(_integer(row[col]))
            except (TypeError, ValueError):
                raise bad(f"{col} {row[col]!r} is not an integer", col) from None
        if anchor[0] < 1 or not 0 <= anchor[1] < anchor[2]:
            raise bad(f"anchor line {anchor[0]}, start {anchor[1]}, end {anchor[2]} is not a "
                      "span (line >= 1, 0 <= start < end)", "start")
        high_text = _cell_text(row["value_high"])
        if (qualifier == "range") != bool(high_text):
            raise bad("value_high is given exactly when the qualifier is 'range'", "value_high")
        if high_text:
            try:
                high = _number(row["value_high"])
            except (TypeError, ValueError):
                raise bad(f"value_high {row['value_high']!r} is not a number", "value_high") from None
            if not high > value:
                raise bad(f"range {value}-{high}: value_high must exceed value", "value_high")
        highs.append(_number(row["value_high"]) if high_text else math.nan)
        anchors.append(anchor)
        has_check, has_reason = bool(row["check"]), bool(row["not_checkable_reason"])
        if not has_check and not has_reason:
            raise bad("neither a check nor a not_checkable_reason; every claim needs one",
                      "check")
        if has_check and has_reason:
            raise bad("both a check and a not_checkable_reason; give exactly one", "check")
        if row["alt_check"] and not row["alt_explanation"]:
            raise bad("alt_check without alt_explanation", "alt_explanation")
        n_alt = len(_split_alternatives(row["alt_check"]))
        if n_alt != len(_split_alternatives(row["alt_explanation"])):
            raise bad(f"alt_check has {n_alt} alternatives (separated by {ALT_SEPARATOR!r}) but "
                      "alt_explanation does not explain each", "alt_explanation")
        if row["discrepancy_kind"] and not (row["discrepancy_explanation"] or row["alt_check"]):
            raise bad("discrepancy_kind without a discrepancy_explanation or alt_check that gives "
                      "the explanation", "discrepancy_kind")
        if row["context"] and not row["context_label"]:
            raise bad("context without context_label", "context_label")
        n_ctx = len(_split_alternatives(row["context"]))
        if n_ctx != len(_split_alternatives(row["context_label"])):
            raise bad(f"context has {n_ctx} expressions (separated by {ALT_SEPARATOR!r}) but "
                      "context_label does not label each", "context_label")
        for col in _EXPRESSION_COLUMNS:
            for expr in _split_alternatives(row[col]) if col in ("alt_check", "context") else [row[col]]:
                if not expr:
                    continue
                try:
                    parsed = parse_check(expr)
                except CheckExpressionError as exc:
                    raise bad(str(exc), col) from None
                unknown = sorted(parsed.references - ids)
                if unknown:
                    raise bad(f"claim() cites unknown ids {unknown}", col)
                if col != "context" and cid in parsed.references:
                    raise bad(f"a {col} may not cite its own claim", col)
        values.append(value)
        decimals.append(dec)
    line, start, end = (list(col) for col in zip(*anchors)) if anchors else ([], [], [])
    out = flat.assign(value=values, decimals=decimals, value_high=highs, line=line, start=start,
                      end=end)
    return out.set_index("id")


def _dev_register_path() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds" / "claims.csv"


def load_register(register: pd.DataFrame | None = None) -> pd.DataFrame:
    """The validated register: ``register`` if given, else the shipped ``claims_register``.

    When the package data do not (yet) include ``claims_register``, a checkout's
    ``seeds/claims.csv`` is read instead.
    """
    if register is not None:
        return validate_register(register, source="register argument")
    from ewp_stats import data

    try:
        frame = data.load(_REGISTER_NAME)
    except UnknownDatasetError:
        path = _dev_register_path()
        if not path.is_file():
            raise
        return read_register(path)
    return validate_register(frame)


# --------------------------------------------------------------------------------------------
# the audit

#: The verdicts, in display order, with what each means.
VERDICT_MEANINGS: dict[str, str] = {
    "reproduced": "the check recomputes the printed figure from the shipped data or the paper's "
                  "tables (Table 1, Table 2), within the interval its printed precision and qualifier "
                  "give it, with no convention",
    "reproduced_under_convention": "it reproduces from the data or the tables only under the named "
                                   "convention of the register (e.g. the paper's double-counted total "
                                   "of Table 1, or its printed government subtotal)",
    "consistent_with_claim": "it agrees with other printed figures of the documents (its check "
                             "cites only claims, whatever the convention or bound), which no data "
                             "confirm",
    "arithmetic_agrees": "it agrees with date arithmetic alone (a reference year, the calendar of "
                         "five-year plans): the dates hang together, which no data confirm",
    "count_matches_listing": "a count equals the number of items the same passage names (listed()); "
                             "it checks the text against itself and can fail only if the text "
                             "miscounts its own list",
    "bound_satisfied": "the figure or its check is a bound (more than, less than, at least, at most) "
                       "and the bound holds against the data or the tables",
    "discrepant_explained": "it does not reproduce; an alternative reading reproduces it or the "
                            "register names the kind of discrepancy (vintage, formula, convention, "
                            "definition, misprint)",
    "discrepant_unexplained": "it does not reproduce and nothing explains it (a conjecture the "
                              "register notes, or a fitted reading the text does not support, is "
                              "shown but not counted as an explanation)",
    "not_checkable": "no shipped data or printed figure can check it; the reason names the data needed",
}
#: The verdicts, in display order.
VERDICTS: tuple[str, ...] = tuple(VERDICT_MEANINGS)
#: The verdicts under which the printed figure agrees with its check.
AGREEING_VERDICTS: frozenset[str] = frozenset(VERDICTS[:6])
#: Separator of several alternatives in ``alt_check`` and ``alt_explanation``.
ALT_SEPARATOR = "||"


def _split_alternatives(text: str) -> list[str]:
    return [part.strip() for part in text.split(ALT_SEPARATOR)] if text else []


@dataclass(frozen=True)
class ClaimAudit:
    """The audit of one claim (one row of :meth:`AuditResult.to_frame`).

    ``printed_lower`` / ``printed_upper`` are the interval the printed figure stands for
    (:func:`~ewp_stats.printed.printed_interval`; infinite for a one-sided bound),
    ``recomputed_lower`` / ``recomputed_upper`` the interval of the check given its inputs'
    rounding, ``verdict`` one of :data:`VERDICTS` and ``reason`` why.
    """

    id: str
    document: str
    section: str
    location: str
    quantity: str
    printed: str
    value: float
    value_high: float | None
    unit: str
    period: str
    qualifier: str
    decimals: int
    printed_lower: float
    printed_upper: float
    printed_interval: str
    verdict: str
    reason: str
    basis: str
    recomputed: float | None
    recomputed_lower: float | None
    recomputed_upper: float | None
    difference: float | None
    relative_difference: float | None
    convention: str
    discrepancy_kind: str
    alt_value: float | None
    alt_reproduces: bool | None
    context_value: float | None
    check: str

    @property
    def agrees(self) -> bool:
        """Whether the verdict says the printed figure agrees with its check."""
        return self.verdict in AGREEING_VERDICTS


def format_recomputed(value: float | None, decimals: int) -> str:
    """A recomputed value at the printed figure's precision plus one digit, for a table beside it.

    Parameters
    ----------
    value
        The recomputed value (None or NaN: not checked).
    decimals
        Decimals of the printed figure (negative for tens, hundreds, ...; see
        :func:`~ewp_stats.printed.printed_decimals`).

    Returns
    -------
    str
        ``""`` for a missing value; ``"∞"``/``"−∞"`` for an unbounded one; a whole number without
        decimals (an exact count or year reads as itself); else the value with ``decimals + 1``
        decimals (a figure printed as 482.952 is compared with 482.9523, not 483; one printed as
        2,600 with a value rounded to tens), digits grouped with commas from 10,000 and a minus
        sign U+2212.

    Notes
    -----
    One digit beyond the printed precision is what a reader needs to see whether the recomputed
    value rounds to the printed one; more digits would suggest a precision the inputs lack.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    x = float(value)
    if math.isinf(x):
        return "\u221e" if x > 0 else "\u2212\u221e"
    places = int(decimals) + 1
    if x.is_integer():
        places = 0
    elif places < 0:
        x, places = round(x, places), 0
    grouping = "," if abs(x) >= 10_000 else ""
    return format(x, f"{grouping}.{places}f").replace("-", "\u2212")


def format_recomputed_with_unit(value: float | None, decimals: int, unit: str) -> str:
    """:func:`format_recomputed` with the sign of the printed figure's unit, for a table.

    Parameters
    ----------
    value
        The recomputed value (None or NaN: not checked).
    decimals
        Decimals of the printed figure.
    unit
        The register's unit of the claim.

    Returns
    -------
    str
        ``""`` for a missing value; a percent (unit ``percent``, ``percent per year``) with ``%``;
        a change in ratio or percentage points (printed as words, ``decimals`` 0) with two
        decimals, percentage points followed by "points"; else as :func:`format_recomputed`.

    Notes
    -----
    A comparison printed without a figure ("the gap widened") has no precision of its own; two
    decimals show the change in the ratio as the ratios themselves are printed.
    """
    unit = str(unit)
    if unit == "ratio points" or unit.startswith("percentage points"):
        decimals = max(int(decimals), 1)
    text = format_recomputed(value, decimals)
    if text and unit in ("percent", "percent per year"):
        text += "%"
    elif text and unit.startswith("percentage points"):
        text += " points"
    return text


def group_digits(text: str) -> str:
    """Commas between thousands in each whole number of five or more digits in ``text``, as
    :func:`format_recomputed` groups them (``"487719.01"`` reads ``"487,719.01"``).

    >>> group_digits("487719.01"), group_digits("2377.197"), group_digits("1998-2007")
    ('487,719.01', '2377.197', '1998-2007')
    """
    return re.sub(r"(?<![\d.,])\d{5,}", lambda m: f"{int(m.group()):,}", str(text))


def interval_in_words(text: str) -> str:
    """An ``expected`` cell of the consistency checks in words: ``[1, inf)`` reads "at least 1",
    ``(0, inf)`` "more than 0", ``[25, 63]`` "25 to 63", ``(50, 100]`` "more than 50, at most 100";
    a single number reads as itself.

    >>> interval_in_words("[1, inf)"), interval_in_words("[25, 63]"), interval_in_words("1996")
    ('at least 1', '25 to 63', '1996')
    """
    m = re.fullmatch(r"\s*([\[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])\s*", str(text))
    if not m:
        return str(text).strip()
    lower_open, lo, hi, upper_open = m.group(1) == "(", m.group(2), m.group(3), m.group(4) == ")"
    if hi in ("inf", "+inf"):
        return f"more than {lo}" if lower_open else f"at least {lo}"
    if not lower_open and not upper_open:
        return f"{lo} to {hi}"
    low_words = f"more than {lo}" if lower_open else f"at least {lo}"
    high_words = f"less than {hi}" if upper_open else f"at most {hi}"
    return f"{low_words}, {high_words}"


def natural_sort_key(claim_id: str) -> str:
    """A key that sorts claim IDs by their numbers: every run of digits zero-padded to six places
    (``"P11"`` before ``"P103"``; ``"N3-08"`` before ``"N3-10"``).

    >>> sorted(["P103", "P11", "P02"], key=natural_sort_key)
    ['P02', 'P11', 'P103']
    """
    return re.sub(r"\d+", lambda m: m.group().zfill(6), str(claim_id))


def _fmt(x: float, decimals: int = 2) -> str:
    """A number shown two decimals finer than a figure printed with ``decimals`` decimals."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:.0f}"
    if abs(x) < 1e-3 or abs(x) >= 1e12:
        return f"{x:.4g}"
    return f"{x:.{max(int(decimals), 0) + 2}f}"


def _fmt_bounded(b: Bounded, decimals: int) -> str:
    """Value, plus its range when the inputs' rounding makes it inexact (or it is a bound)."""
    if b.one_sided:
        return (f"at least {_fmt(b.lower, decimals)}" if math.isinf(b.upper)
                else f"at most {_fmt(b.upper, decimals)}")
    text, lo, hi = (_fmt(x, decimals) for x in (b.value, b.lower, b.upper))
    if lo != hi:
        text += f" ({lo} to {hi} given the inputs' rounding)"
    return text


#: The register's conventions in words, where its name is a code identifier and not the funding
#: table's (whose conventions are named by their title).
CONVENTION_WORDS: dict[str, str] = {
    "printed_government_subtotal": "shares of the printed government subtotal (not the sum of its levels)",
}


def _convention_text(name: str) -> str:
    """A convention of the register in words: the title of the funding table's convention of that
    name, a phrase of :data:`CONVENTION_WORDS`, or the register's own words."""
    from ewp_stats.paper.funding_table import list_conventions

    conventions = list_conventions()
    if name in conventions.index:
        return f"'{conventions.loc[name, 'title']}'"
    return f"'{CONVENTION_WORDS.get(name, name)}'"


def _cites_claims_only(parsed: ParsedCheck) -> bool:
    """Whether a check rests on other claims only: it cites claims and every other function it
    calls is a formula without a basis of its own (e.g. ``cagr``)."""
    functions = LANGUAGE.functions()
    others = parsed.functions - {"claim"}
    return bool(parsed.references) and all(functions.loc[f, "basis"] == "" for f in others)


def _agreeing_verdict(parsed: ParsedCheck, printed_bound: bool, convention: str, computed: str,
                      printed_text: str) -> tuple[str, str]:
    """The verdict of an agreeing check and its reason, by what the check rests on.

    The basis comes first, so that a convention or a bound never promotes a check beyond it: a
    count of a listing, then a check on other claims only, then date arithmetic, and only then a
    bound, a convention or a plain reproduction from the data or the tables.
    """
    conv = (f" (under the convention {_convention_text(convention)})" if convention else "")
    if parsed.basis == "count":
        return ("count_matches_listing",
                f"Count matches the listing in the same passage (the text against itself){conv}: "
                f"{computed}; {printed_text}.")
    if _cites_claims_only(parsed):
        return ("consistent_with_claim",
                f"Consistent with {', '.join(sorted(parsed.references))} (printed figures only, no "
                f"data){conv}: {computed}; {printed_text}.")
    if parsed.basis == "arithmetic":
        return ("arithmetic_agrees",
                f"Date arithmetic agrees (no data){conv}: {computed}; {printed_text}.")
    if parsed.one_sided or printed_bound:
        return "bound_satisfied", f"Bound satisfied{conv}: {printed_text}, {computed}."
    if convention:
        return ("reproduced_under_convention",
                f"Reproduced only under the convention {_convention_text(convention)}: {computed}; "
                f"{printed_text}.")
    return "reproduced", f"Reproduced: {computed}; {printed_text}."


def _audit_row(cid: str, row: pd.Series, ctx: CheckContext) -> ClaimAudit:
    def run(expr: str, col: str) -> Bounded:
        try:
            return LANGUAGE.evaluate(parse_check(expr), ctx)
        except CheckExpressionError as exc:
            raise CheckExpressionError(f"claim {cid}, column {col}: {exc}") from None

    dec = int(row["decimals"])
    value = float(row["value"])
    high = None if math.isnan(row["value_high"]) else float(row["value_high"])
    interval = printed_interval(value, dec, qualifier=row["qualifier"], value_high=high,
                                exact=is_exact_figure(row["unit"], dec, value))
    contexts = [(label, run(expr, "context").value) for expr, label in
                zip(_split_alternatives(row["context"]), _split_alternatives(row["context_label"]))]
    context_value = contexts[0][1] if contexts else None
    context_text = (" Context: " + "; ".join(f"{label} = {_fmt(v, dec)}" for label, v in contexts) + "."
                    if contexts else "")
    base = dict(id=cid, document=row["document"], section=row["section"], location=row["location"],
                quantity=row["quantity"], printed=row["printed"], value=value, value_high=high,
                unit=row["unit"], period=row["period"], qualifier=row["qualifier"], decimals=dec,
                printed_lower=interval.lower, printed_upper=interval.upper,
                printed_interval=interval.text(), convention=row["convention"],
                context_value=context_value, check=row["check"])
    if not row["check"]:
        return ClaimAudit(**base, verdict="not_checkable", basis="none", recomputed=None,
                          recomputed_lower=None, recomputed_upper=None, difference=None,
                          relative_difference=None, discrepancy_kind="", alt_value=None,
                          alt_reproduces=None,
                          reason=f"Not checkable: {row['not_checkable_reason']}.{context_text}")
    parsed = parse_check(row["check"])
    rec = run(row["check"], "check")
    diff = round(rec.value - value, 12) + 0.0
    reldiff = diff / value if value != 0 else None
    alternatives = []
    for expr, label in zip(_split_alternatives(row["alt_check"]),
                           _split_alternatives(row["alt_explanation"])):
        alt = run(expr, "alt_check")
        alternatives.append((label, alt, interval.meets(alt.lower, alt.upper)))
    good = [a for a in alternatives if a[2]]
    failing = [a for a in alternatives if not a[2]]
    alt_value = (good or alternatives or [(None, None, None)])[0][1]
    computed = f"{row['check_label']} = {_fmt_bounded(rec, dec)}"
    printed_text = f"printed {row['printed']!r} stands for {interval.text()}"
    kind = row["discrepancy_kind"]
    if interval.meets(rec.lower, rec.upper):
        verdict, reason = _agreeing_verdict(parsed, interval.bound, row["convention"], computed,
                                            printed_text)
        if kind:
            reason += f" Note: the register expected a discrepancy ({kind}), yet the check agrees."
        kind = ""
    else:
        gap = f"{diff:+.4g}" + (f", {reldiff:+.1%}" if reldiff is not None else "")
        reason = f"Recomputed minus printed = {gap}: {computed}; {printed_text}."
        if kind == "unknown" or not (good or kind):
            verdict = "discrepant_unexplained"
        else:
            verdict = "discrepant_explained"
            kind = kind or "formula"
        if good and verdict == "discrepant_unexplained":
            label, alt, _ = good[0]
            reason += (f" A reading that matches, found by fitting and not supported by the text, "
                       f"so not counted as an explanation: {label} = {_fmt_bounded(alt, dec)}.")
        elif good:
            label, alt, _ = good[0]
            how = " (found by fitting, not stated by the source)" if kind == "formula" else ""
            reason += (f" One plausible reading{how}: {label} = {_fmt_bounded(alt, dec)} "
                       "reproduces it.")
        if row["discrepancy_explanation"]:
            lead = (f"Most likely ({kind})" if verdict == "discrepant_explained"
                    else "Unexplained; the register notes")
            reason += f" {lead}: {row['discrepancy_explanation']}."
        if failing:
            reason += " Readings that fail: " + "; ".join(
                f"{label} = {_fmt_bounded(alt, dec)}" for label, alt, _ in failing) + "."
    return ClaimAudit(**base, verdict=verdict, reason=reason + context_text, basis=parsed.basis,
                      recomputed=rec.value, recomputed_lower=rec.lower, recomputed_upper=rec.upper,
                      difference=diff, relative_difference=reldiff, discrepancy_kind=kind,
                      alt_value=None if alt_value is None else alt_value.value,
                      alt_reproduces=bool(good) if alternatives else None)


_FRAME_COLUMNS = tuple(f.name for f in fields(ClaimAudit))
_FLOAT_COLUMNS = ("value", "value_high", "printed_lower", "printed_upper", "recomputed",
                  "recomputed_lower", "recomputed_upper", "difference", "relative_difference",
                  "alt_value", "context_value")


def _meaningful(x: float | None, decimals: int) -> float | None:
    """``x`` rounded three digits finer than a figure printed with ``decimals`` decimals."""
    if x is None or not math.isfinite(x):
        return x
    return round(float(x), max(int(decimals) + 3, 0)) + 0.0


@dataclass(frozen=True)
class AuditResult(Result):
    """The audit of the claims register.

    Attributes
    ----------
    claims
        One :class:`ClaimAudit` per claim, in register order (after filtering).
    document, verdict
        The filters applied (None = all).
    n_register
        Number of claims in the register before filtering.
    consistency
        The checks between claims (:func:`~ewp_stats.paper.claim_consistency.check_consistency`).
    counts
        Number of claims by verdict (all verdicts, in display order), derived from ``claims``.
    """

    claims: tuple[ClaimAudit, ...]
    document: str | None
    verdict: str | None
    n_register: int
    consistency: ConsistencyResult | None = None
    counts: Mapping[str, int] = field(init=False, compare=False)
    _title: ClassVar[str] = "Claims audit"

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts",
                           {s: sum(c.verdict == s for c in self.claims) for s in VERDICTS})

    @property
    def scorecard(self) -> pd.DataFrame:
        """Claims by document (rows, plus ``all``) and verdict (columns, plus ``total``)."""
        frame = self.to_frame()
        table = pd.crosstab(frame["document"], frame["verdict"]).reindex(
            index=[d for d in DOCUMENTS if d in set(frame["document"])], columns=list(VERDICTS),
            fill_value=0)
        table.loc["all"] = table.sum()
        table["total"] = table.sum(axis=1)
        table.columns.name = None
        table.index.name = "document"
        return table.astype("int64")

    @property
    def counts_by_document(self) -> pd.DataFrame:
        """Claims by document (rows) and verdict (columns), without the margins of :attr:`scorecard`."""
        return self.scorecard.drop(index="all", columns="total")

    def to_frame(self) -> pd.DataFrame:
        """One row per claim, indexed by ``id`` (columns as in :class:`ClaimAudit`), full precision."""
        rows = [{k: getattr(c, k) for k in _FRAME_COLUMNS} for c in self.claims]
        frame = pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))
        for col in _FLOAT_COLUMNS:
            frame[col] = frame[col].astype("float64")
        return frame.set_index("id")

    def report_frame(self) -> pd.DataFrame:
        """The table of ``ewp-stats claims --format csv|json``: the figure, its precision and
        tolerance, the recomputed value and interval rounded to meaningful digits, the verdict and
        its reason in separate columns."""
        rows = []
        for c in self.claims:
            symmetric = not (math.isinf(c.printed_lower) or math.isinf(c.printed_upper))
            rows.append({
                "id": c.id, "document": c.document, "section": c.section, "location": c.location,
                "quantity": c.quantity, "printed": c.printed, "value": c.value,
                "value_high": c.value_high, "unit": c.unit, "period": c.period,
                "qualifier": c.qualifier, "precision": 10.0 ** -c.decimals if c.decimals > 0
                else float(10 ** -c.decimals),
                "tolerance": _meaningful((c.printed_upper - c.printed_lower) / 2, c.decimals)
                if symmetric and c.qualifier in ("", "about") else None,
                "printed_interval": c.printed_interval,
                "recomputed": _meaningful(c.recomputed, c.decimals),
                "recomputed_lower": _meaningful(c.recomputed_lower, c.decimals),
                "recomputed_upper": _meaningful(c.recomputed_upper, c.decimals),
                "difference": _meaningful(c.difference, c.decimals),
                "verdict": c.verdict, "reason": c.reason, "convention": c.convention,
                "discrepancy_kind": c.discrepancy_kind, "basis": c.basis, "check": c.check})
        return pd.DataFrame(rows).set_index("id")

    def _filters_text(self) -> str:
        parts = [f"document {self.document}" if self.document else "",
                 f"verdict {self.verdict}" if self.verdict else ""]
        parts = [p for p in parts if p]
        return f" (filtered: {', '.join(parts)})" if parts else ""

    def summary(self) -> str:
        """Plain-text report: the scorecard, then each claim with its printed text, recomputed value
        and interval, verdict and reason, then the checks between claims."""
        lines = [f"{self.title}: {len(self.claims)} of {self.n_register} claims{self._filters_text()}",
                 "", "Scorecard (claims by document and verdict):",
                 self.scorecard.to_string(), ""]
        header = f"{'id':<6} {'doc':<4} {'verdict':<28} printed -> recomputed [interval]"
        lines += [header, "-" * len(header)]
        for c in self.claims:
            rec = "" if c.recomputed is None else (
                f" -> {_fmt(c.recomputed, c.decimals)} [{_fmt(c.recomputed_lower, c.decimals)}, "
                f"{_fmt(c.recomputed_upper, c.decimals)}]")
            lines.append(f"{c.id:<6} {c.document:<4} {c.verdict:<28} {c.printed}{rec}")
            lines.append(f"{'':<11}{c.reason}")
        if self.consistency is not None:
            lines += ["", self.consistency.summary()]
        return "\n".join(lines)

    def _rows(self) -> list[tuple[str, str]]:
        rows = [("claims", f"{len(self.claims)} of {self.n_register}{self._filters_text()}")]
        return rows + [(s.replace("_", " "), str(n)) for s, n in self.counts.items()]

    def _display_frame(self) -> pd.DataFrame:
        cols = ["document", "location", "quantity", "printed", "recomputed", "difference",
                "verdict", "reason"]
        return self.to_frame()[cols]


def audit(
    *,
    document: str | None = None,
    verdict: str | None = None,
    register: pd.DataFrame | None = None,
    datasets: Mapping[str, pd.DataFrame] | None = None,
    consistency: pd.DataFrame | None = None,
) -> AuditResult:
    """Audit every claim of the register (or those of one document / one verdict).

    Parameters
    ----------
    document
        Only claims of this document id ("000" .. "004"); None for all.
    verdict
        Only claims with this verdict (one of :data:`VERDICTS`); None for all.
    register
        A register frame to audit instead of the shipped ``claims_register`` (for tests).
    datasets
        Optional ``name -> DataFrame`` overrides of the shipped datasets used by the checks.
    consistency
        The checks between claims (default: the shipped ``claim_consistency``); they are run on the
        whole register, whatever the filters.

    Returns
    -------
    AuditResult

    Raises
    ------
    InputError
        Unknown document id or verdict.
    DataValidationError
        The register breaks its rules (see :func:`validate_register`).
    CheckExpressionError
        A check cannot be evaluated (e.g. it asks for a year outside a dataset).

    Notes
    -----
    Every claim is evaluated (filters apply afterwards), so a broken check anywhere fails the
    audit loudly rather than silently losing a verdict. The interval each qualifier gives a
    printed figure is :func:`~ewp_stats.printed.printed_interval`'s.
    """
    from ewp_stats.paper.claim_consistency import check_consistency

    if document is not None and document not in DOCUMENTS:
        raise InputError(f"unknown document {document!r}; expected one of {list(DOCUMENTS)}")
    if verdict is not None and verdict not in VERDICTS:
        raise InputError(f"unknown verdict {verdict!r}; expected one of {list(VERDICTS)}")
    reg = load_register(register)
    ctx = make_context(reg, datasets)
    rows = tuple(_audit_row(str(cid), row, ctx) for cid, row in reg.iterrows())
    kept = tuple(c for c in rows if (document is None or c.document == document)
                 and (verdict is None or c.verdict == verdict))
    checks = check_consistency(consistency, register=reg, context=ctx)
    return AuditResult(claims=kept, document=document, verdict=verdict, n_register=len(rows),
                       consistency=checks)
