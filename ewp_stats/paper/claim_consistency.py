"""Checks between claims: do the documents agree with each other?

A claim can reproduce on its own and still disagree with another claim: the paper gives the
partnership's age as 10, 11, 15 and 16 years; it names nine eastern partner provinces where the news
items name eight; its periodisations do not line up. The table ``seeds/claim_consistency.csv``
(shipped as the dataset ``claim_consistency``) holds one row per such check:

``id``
    ``C01``, ``C02``, ...
``claims``
    the register ids the check compares, separated by ``;`` (empty for a check on the tables'
    printed cells only);
``expression``
    a check-language expression (:mod:`ewp_stats.engines.checklang`, with the functions of
    :data:`~ewp_stats.paper.claim_functions.LANGUAGE`) over those claims;
``expected``
    the interval the expression must meet for the claims to be consistent: a number (``1996``) or
    an interval in the usual notation (``[25, 62]``, ``(1, inf)``);
``description``
    what is compared, in words.

:func:`check_consistency` evaluates them: a check is *consistent* when the interval of the
expression (its inputs' rounding propagated) meets the expected interval, else *inconsistent*.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd

from ewp_stats._results import Result
from ewp_stats.engines.checklang import CheckExpressionError
from ewp_stats.errors import DataValidationError, UnknownDatasetError
from ewp_stats.paper.claim_functions import LANGUAGE, CheckContext, make_context
from ewp_stats.printed import PrintedInterval

__all__ = ["CONSISTENCY_COLUMNS", "ConsistencyCheck", "ConsistencyResult", "parse_expected",
           "load_consistency", "check_consistency"]

#: Columns of ``seeds/claim_consistency.csv``, in file order.
CONSISTENCY_COLUMNS: tuple[str, ...] = ("id", "claims", "expression", "expected", "description")

_NAME = "claim_consistency"
_NUMBER = r"[-+]?(?:inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)"
_INTERVAL = re.compile(rf"^([\[(])\s*({_NUMBER})\s*,\s*({_NUMBER})\s*([\])])$")


def parse_expected(text: str) -> PrintedInterval:
    """The interval of an ``expected`` cell: a number (a point) or ``[a, b]``, ``(a, inf)``, ...

    >>> parse_expected("[25, 62]").text(), parse_expected("1996").text()
    ('[25, 62]', '[1996, 1996]')

    Raises
    ------
    DataValidationError
        If the text is neither.
    """
    t = str(text).strip()
    try:
        x = float(t)
    except ValueError:
        pass
    else:
        if math.isfinite(x):
            return PrintedInterval(x, x)
    m = _INTERVAL.match(t)
    if not m or float(m.group(2)) > float(m.group(3)):
        raise DataValidationError(
            f"expected {text!r} is neither a number nor an interval such as '[25, 62]' or '(1, inf)'",
            file=_NAME, column="expected")
    return PrintedInterval(float(m.group(2)), float(m.group(3)), lower_open=m.group(1) == "(",
                           upper_open=m.group(4) == ")")


def _validate(frame: pd.DataFrame, register: pd.DataFrame, source: str) -> pd.DataFrame:
    frame = frame.reset_index() if "id" not in frame.columns else frame
    missing = [c for c in CONSISTENCY_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(f"missing columns {missing}; needs {list(CONSISTENCY_COLUMNS)}",
                                  file=source)
    frame = frame[list(CONSISTENCY_COLUMNS)].astype(object).where(frame[list(CONSISTENCY_COLUMNS)].notna(), "")
    frame = frame.astype(str).apply(lambda c: c.str.strip())
    dup = frame["id"][frame["id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"duplicated ids {dup}", file=source, column="id")
    for _, row in frame.iterrows():
        def bad(msg: str, column: str, rid: str = row["id"]) -> DataValidationError:
            return DataValidationError(msg, file=source, row=rid, column=column)

        cited = {c.strip() for c in row["claims"].split(";") if c.strip()}
        unknown = sorted(cited - set(register.index))
        if unknown:
            raise bad(f"unknown claim ids {unknown}", "claims")
        try:
            parsed = LANGUAGE.parse(row["expression"])
        except CheckExpressionError as exc:
            raise bad(str(exc), "expression") from None
        if parsed.references != cited:
            raise bad(f"the expression cites {sorted(parsed.references)}, the claims column names "
                      f"{sorted(cited)}; they must be the same", "claims")
        parse_expected(row["expected"])
        if not row["description"]:
            raise bad("empty description", "description")
    return frame.set_index("id")


def _dev_path() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds" / "claim_consistency.csv"


def load_consistency(frame: pd.DataFrame | None = None, *, register: pd.DataFrame) -> pd.DataFrame:
    """The validated checks: ``frame`` if given, else the shipped ``claim_consistency`` (a checkout's
    ``seeds/claim_consistency.csv`` when the package data do not include it)."""
    if frame is not None:
        return _validate(frame, register, "consistency argument")
    from ewp_stats import data

    try:
        shipped = data.load(_NAME)
        source = _NAME
    except UnknownDatasetError:
        shipped = pd.read_csv(_dev_path(), dtype=str, keep_default_na=False)
        source = "seeds/claim_consistency.csv"
    return _validate(shipped, register, source)


@dataclass(frozen=True)
class ConsistencyCheck:
    """One check between claims: its value (with the inputs' rounding) and whether it holds."""

    id: str
    claims: str
    expression: str
    expected: str
    description: str
    value: float
    lower: float
    upper: float
    consistent: bool


@dataclass(frozen=True)
class ConsistencyResult(Result):
    """The checks between claims (one :class:`ConsistencyCheck` each, in file order)."""

    checks: tuple[ConsistencyCheck, ...]
    _title: ClassVar[str] = "Consistency between claims"

    @property
    def n_consistent(self) -> int:
        """Number of checks that hold."""
        return sum(c.consistent for c in self.checks)

    def to_frame(self) -> pd.DataFrame:
        """One row per check, indexed by id."""
        rows = [vars(c) for c in self.checks]
        cols = [f for f in ConsistencyCheck.__dataclass_fields__]
        return pd.DataFrame(rows, columns=cols).set_index("id")

    def _rows(self) -> list[tuple[str, str]]:
        return [("checks", str(len(self.checks))), ("consistent", str(self.n_consistent)),
                ("inconsistent", str(len(self.checks) - self.n_consistent))]

    def summary(self) -> str:
        """One line per check: id, verdict, value and interval, expected, description."""
        lines = [f"{self.title}: {self.n_consistent} of {len(self.checks)} consistent"]
        for c in self.checks:
            word = "consistent" if c.consistent else "INCONSISTENT"
            lines.append(f"  {c.id} {word:<12} {c.value:.4g} [{c.lower:.4g}, {c.upper:.4g}] "
                         f"expected {c.expected}: {c.description} ({c.claims})")
        return "\n".join(lines)


def check_consistency(frame: pd.DataFrame | None = None, *, register: pd.DataFrame,
                      context: CheckContext | None = None) -> ConsistencyResult:
    """Evaluate the checks between claims.

    Parameters
    ----------
    frame
        The checks (columns :data:`CONSISTENCY_COLUMNS`); default: the shipped ones.
    register
        The validated claims register (:func:`~ewp_stats.paper.claims.load_register`).
    context
        The evaluation context (default: one over ``register`` and the shipped datasets).

    Returns
    -------
    ConsistencyResult

    Raises
    ------
    DataValidationError
        A row names unknown claims, an expression that does not parse or cites other claims than
        it names, or an ``expected`` that is not an interval.
    ewp_stats.engines.checklang.CheckExpressionError
        An expression cannot be evaluated.
    """
    checks = load_consistency(frame, register=register)
    ctx = context if context is not None else make_context(register, None)
    out = []
    for cid, row in checks.iterrows():
        try:
            b = LANGUAGE.evaluate(LANGUAGE.parse(row["expression"]), ctx)
        except CheckExpressionError as exc:
            raise CheckExpressionError(f"consistency check {cid}: {exc}") from None
        ok = parse_expected(row["expected"]).meets(b.lower, b.upper)
        out.append(ConsistencyCheck(str(cid), row["claims"], row["expression"], row["expected"],
                                    row["description"], b.value, b.lower, b.upper, ok))
    return ConsistencyResult(tuple(out))
