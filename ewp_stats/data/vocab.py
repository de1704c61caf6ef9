"""The vocabularies of the shipped datasets, in one place: vintages, Table 1 and Table 2 items,
which rows make up each accounting convention of Table 1, the Table 1 identities (as data), and
how an identity is checked against printed rounding.

The build (``ewp_stats.pipeline``) writes these names into the datasets and the paper's
analyses (``ewp_stats.paper``) read them back, so both import them from here and neither
defines them again.

References
----------
The East-West Partnership for Poverty Reduction paper, ``seeds/004_de9daaf1b232b997``, Table 1
"Funding Situation of EW Partnerships (2003~2007)" and Table 2 "Professional Technicians and
Management Personnel Exchanging and Training (2003~2010)"; ``seeds/tables.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "GDP_VINTAGES",
    "POPULATION_VINTAGES",
    "RATIO_VINTAGES",
    "REAL_GDP_VINTAGE",
    "REAL_GDP_BASE_YEAR",
    "PERIOD_TYPES",
    "FundingItem",
    "FUNDING_ITEMS",
    "FUNDING_ITEM_IDS",
    "FUNDING_ROWS",
    "FUNDING_ROLES",
    "GOVERNMENT_LEVELS",
    "FUNDING_YEARS",
    "FUNDING_TOTAL_PERIOD",
    "FUNDING_PERIODS",
    "ConventionItems",
    "FUNDING_CONVENTIONS",
    "Identity",
    "TABLE1_IDENTITIES",
    "RECORDED_IDENTITIES",
    "RECONSTRUCTION_IDENTITIES",
    "row_sum_identity",
    "check_identity",
    "PersonnelItem",
    "PERSONNEL_ITEMS",
    "PERSONNEL_CATEGORIES",
    "PERSONNEL_UNITS",
    "PERSONNEL_YEARS",
    "PERSONNEL_TOTAL_PERIOD",
    "CLAIM_DOCUMENTS",
    "CLAIM_RELATIONS",
    "CLAIM_QUALIFIERS",
    "CLAIM_DISCREPANCY_KINDS",
    "CLAIM_EXACT_UNITS",
]

# --------------------------------------------------------------------------- data vintages
#: GDP vintages of ``province_gdp`` (source and revision state; never mixed inside a series).
GDP_VINTAGES: tuple[str, ...] = ("gcam_compendium", "nbs_2021", "csy2009_first_release",
                                 "csy2000_first_release")
#: Population vintages of ``province_population``.
POPULATION_VINTAGES: tuple[str, ...] = ("gcam_compendium", "nbs_2021")
#: For each GDP vintage of ``east_west_ratio``, the population vintage of its per-capita ratio
#: (None when there is none).
RATIO_VINTAGES: Mapping[str, str | None] = {
    "gcam_compendium": "gcam_compendium",
    "nbs_2021": "nbs_2021",
    "csy2009_first_release": None,
}
#: The vintage whose nominal GDP and real index give ``province_real_gdp``.
REAL_GDP_VINTAGE = "nbs_2021"
#: The price base of ``province_real_gdp`` (its chained level equals nominal GDP there).
REAL_GDP_BASE_YEAR = 2000

#: ``period_type`` of the paper tables: a calendar year or a printed multi-year total column.
PERIOD_TYPES: tuple[str, ...] = ("year", "printed_total")


# --------------------------------------------------------------------------- Table 1 (funding)
@dataclass(frozen=True)
class FundingItem:
    """One printed row of Table 1.

    Attributes
    ----------
    item
        Row id used in the ``funding`` dataset.
    label
        Row label exactly as printed.
    parent
        Id of the row this one is a part of (``""`` if none).
    role
        ``"subtotal"``, ``"component"``, ``"memo"`` or ``"total"``.
    """

    item: str
    label: str
    parent: str
    role: str


#: Table 1 rows in printed order. ``parent`` and ``role`` encode the hierarchy (see tables.md):
#: the three levels are components of government funds; government funds, enterprise investments
#: and social donations are the sources that make up funds; real investments are the paid-in part
#: of (contracted) enterprise investments and tax payments are taxes paid by those enterprises, so
#: both are memo items, not further sources. The printed Total nevertheless adds all eight rows.
FUNDING_ITEMS: tuple[FundingItem, ...] = (
    FundingItem("government_funds", "Government Funds", "total", "subtotal"),
    FundingItem("provincial_level", "Provincial level", "government_funds", "component"),
    FundingItem("prefectural_level", "Prefectural level", "government_funds", "component"),
    FundingItem("county_level", "County level", "government_funds", "component"),
    FundingItem("enterprise_investments", "Enterprise Investments", "total", "component"),
    FundingItem("real_investments", "Real investments", "enterprise_investments", "memo"),
    FundingItem("tax_payments", "Taxes Payments", "", "memo"),
    FundingItem("social_donations", "Social Donations", "total", "component"),
    FundingItem("total", "Total", "", "total"),
)
#: The ids of :data:`FUNDING_ITEMS`: the eight printed rows plus the printed Total row.
FUNDING_ITEM_IDS: tuple[str, ...] = tuple(i.item for i in FUNDING_ITEMS)
#: The eight printed rows that the printed Total adds up (every item but ``total``).
FUNDING_ROWS: tuple[str, ...] = tuple(i.item for i in FUNDING_ITEMS if i.role != "total")
#: Allowed ``role`` values.
FUNDING_ROLES: tuple[str, ...] = ("subtotal", "component", "memo", "total")
#: The three government levels (components of ``government_funds``).
GOVERNMENT_LEVELS: tuple[str, ...] = tuple(
    i.item for i in FUNDING_ITEMS if i.parent == "government_funds")
#: The years of Table 1.
FUNDING_YEARS: tuple[int, ...] = (2003, 2004, 2005, 2006, 2007)
#: The period label of Table 1's printed Total column.
FUNDING_TOTAL_PERIOD = "2003-2007"
#: Every period of the ``funding`` dataset: the years (as text) and the printed Total column.
FUNDING_PERIODS: tuple[str, ...] = (*(str(y) for y in FUNDING_YEARS), FUNDING_TOTAL_PERIOD)


@dataclass(frozen=True)
class Identity:
    """An accounting identity (or inequality) between cells of Table 1.

    Attributes
    ----------
    id
        Identifier, e.g. ``"government.levels"``.
    description
        What is checked.
    lhs, rhs
        Items summed on each side; a column identity compares them within one period.
    relation
        ``"="`` (within rounding) or ``"<="`` (lhs at most rhs, within rounding).
    periods
        For a row identity: ``(lhs period, rhs periods)``; empty for a column identity, which
        holds in every period.
    """

    id: str
    description: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    relation: str = "="
    periods: tuple[str, tuple[str, ...]] | tuple[()] = ()

    def terms(self, period: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The (item, period) cells on each side when checked for ``period``."""
        if self.periods:
            lhs_period, rhs_periods = self.periods
            return ([(i, lhs_period) for i in self.lhs],
                    [(i, p) for i in self.rhs for p in rhs_periods])
        return [(i, period) for i in self.lhs], [(i, period) for i in self.rhs]


@dataclass(frozen=True)
class ConventionItems:
    """Which printed rows of Table 1 make up "all funds" in one accounting convention.

    The paper's :class:`~ewp_stats.paper.funding_table.Convention` adds a title and the evidence
    for the reading; the identities "printed Total = this convention's rows" of
    :data:`TABLE1_IDENTITIES` are built from the same items.

    Attributes
    ----------
    components
        ``source -> items``: the additive parts of total funds and the printed rows each adds.
    government, enterprise
        Items whose sum is "government funds" and "enterprise investment" in this reading.
    printed_total
        Whether total funds are the printed Total row (True) or the sum of the components.
    """

    components: tuple[tuple[str, tuple[str, ...]], ...]
    government: tuple[str, ...]
    enterprise: tuple[str, ...]
    printed_total: bool

    @property
    def items(self) -> tuple[str, ...]:
        """Every printed row the components add, in component order."""
        return tuple(i for _, items in self.components for i in items)


def _three_sources(government: tuple[str, ...], enterprise: tuple[str, ...]) -> ConventionItems:
    return ConventionItems((("government", government), ("enterprise", enterprise),
                            ("donations", ("social_donations",))), government, enterprise, False)


_SUBTOTAL, _CONTRACTED, _PAID_IN = ("government_funds",), ("enterprise_investments",), ("real_investments",)
#: The items of each named accounting convention, keyed by name (see :class:`ConventionItems`).
FUNDING_CONVENTIONS: Mapping[str, ConventionItems] = {
    "as_printed": ConventionItems(tuple((i, (i,)) for i in FUNDING_ROWS), _SUBTOTAL, _CONTRACTED,
                                  True),
    "sources": _three_sources(_SUBTOTAL, _CONTRACTED),
    "sources_levels": _three_sources(GOVERNMENT_LEVELS, _CONTRACTED),
    "paid_in": _three_sources(_SUBTOTAL, _PAID_IN),
    "paid_in_levels": _three_sources(GOVERNMENT_LEVELS, _PAID_IN),
}

#: The column identities of Table 1, by id (each is checked in every period).
TABLE1_IDENTITIES: Mapping[str, Identity] = {i.id: i for i in (
    Identity("total.all_rows", "printed Total = all eight printed rows", ("total",), FUNDING_ROWS),
    Identity("total.sources", "printed Total = government + enterprise + donations", ("total",),
             FUNDING_CONVENTIONS["sources"].items),
    Identity("total.sources_levels", "printed Total = three levels + enterprise + donations",
             ("total",), FUNDING_CONVENTIONS["sources_levels"].items),
    Identity("total.paid_in", "printed Total = government + real investments + donations",
             ("total",), FUNDING_CONVENTIONS["paid_in"].items),
    Identity("total.contracted_and_paid_in",
             "printed Total = government + enterprise + real investments + donations", ("total",),
             ("government_funds", "enterprise_investments", "real_investments", "social_donations")),
    Identity("total.without_levels", "printed Total = all rows except the three levels",
             ("total",), tuple(i for i in FUNDING_ROWS if i not in GOVERNMENT_LEVELS)),
    Identity("government.levels", "government funds = provincial + prefectural + county",
             ("government_funds",), GOVERNMENT_LEVELS),
    Identity("real_le_enterprise",
             "real (paid-in) investments do not exceed enterprise (contracted) investments",
             ("real_investments",), ("enterprise_investments",), "<="),
)}
#: The identities recorded in the shipped ``funding_checks`` dataset (plus every row sum).
RECORDED_IDENTITIES: tuple[str, ...] = ("total.all_rows", "government.levels", "real_le_enterprise")
#: The identities :func:`ewp_stats.paper.funding.reconstruct` reports (plus every row sum).
RECONSTRUCTION_IDENTITIES: tuple[str, ...] = tuple(
    k for k in TABLE1_IDENTITIES if k.startswith(("total.", "government.")))


def row_sum_identity(item: str) -> Identity:
    """The identity "the printed Total column of ``item`` is the sum of its year cells"."""
    return Identity(f"row_sum.{item}", f"printed Total column of {item} = sum of 2003-2007",
                    (item,), (item,), "=",
                    (FUNDING_TOTAL_PERIOD, tuple(str(y) for y in FUNDING_YEARS)))


def check_identity(identity: Identity, amounts: pd.DataFrame, half_units: pd.DataFrame,
                   period: str) -> dict[str, Any]:
    """Check one identity in one period against the worst-case printed rounding.

    Parameters
    ----------
    identity
        The identity.
    amounts, half_units
        Wide tables (rows items, columns periods): the amounts and half a unit of the last
        printed decimal of each cell (:mod:`ewp_stats.printed`).
    period
        The period checked (a row identity is always checked in its own periods).

    Returns
    -------
    dict
        ``identity``, ``period``, ``relation``, ``description``, ``lhs``, ``rhs``,
        ``difference`` (lhs - rhs, rounded to 10 decimals), ``relative_difference`` (to lhs),
        ``tolerance`` (the correctly rounded sum of the half units of every cell involved)
        and ``holds``.
    """
    lhs_terms, rhs_terms = identity.terms(period)
    lhs = math.fsum(float(amounts.at[i, p]) for i, p in lhs_terms)
    rhs = math.fsum(float(amounts.at[i, p]) for i, p in rhs_terms)
    tol = math.fsum(float(half_units.at[i, p]) for i, p in [*lhs_terms, *rhs_terms])
    diff = round(lhs - rhs, 10) + 0.0  # + 0.0 turns -0.0 into 0.0
    holds = abs(diff) <= tol if identity.relation == "=" else diff <= tol
    return {"identity": identity.id, "period": period, "relation": identity.relation,
            "description": identity.description, "lhs": lhs, "rhs": rhs, "difference": diff,
            "relative_difference": diff / lhs, "tolerance": tol, "holds": bool(holds)}


# --------------------------------------------------------------------------- Table 2 (personnel)
@dataclass(frozen=True)
class PersonnelItem:
    """One printed row of Table 2: id, printed category, printed group and printed label."""

    item: str
    category: str
    group: str
    label: str


#: Printed category of Table 2 -> its id in the ``personnel`` dataset.
PERSONNEL_CATEGORIES: Mapping[str, str] = {
    "Cadre Exchange": "cadre_exchange",
    "Professional Technician Exchange": "technician_exchange",
    "Management Personnel Exchange": "management_exchange",
}
#: Units printed in Table 2.
PERSONNEL_UNITS: tuple[str, ...] = ("Person-time", "Terms")
#: The years printed in Table 2 (as text) and the period label of its printed total column.
PERSONNEL_YEARS: tuple[str, ...] = ("2009", "2010")
PERSONNEL_TOTAL_PERIOD = "2003-2010"

_E2W, _W2E = ("Exchanging from the eastern to the western region",
              "Exchanging from the western to the eastern region")
_CADRE, _TECH, _MGMT = PERSONNEL_CATEGORIES
#: Table 2 rows in printed order, keyed by (printed category, printed group, printed item).
PERSONNEL_ITEMS: tuple[PersonnelItem, ...] = (
    PersonnelItem("cadre_east_to_west", _CADRE, "", _E2W),
    PersonnelItem("cadre_west_to_east", _CADRE, "", _W2E),
    PersonnelItem("cadre_training", _CADRE, "", "Training Course"),
    PersonnelItem("technician_east_to_west", _TECH, "", _E2W),
    PersonnelItem("technician_west_to_east", _TECH, "", _W2E),
    PersonnelItem("technician_training_terms", _TECH, "", "Training Course"),
    PersonnelItem("technician_attendees_teacher", _TECH, "Attendees", "Teacher"),
    PersonnelItem("technician_attendees_doctor", _TECH, "Attendees", "Doctor"),
    PersonnelItem("technician_attendees_agriculture", _TECH, "Attendees", "Agriculture Technicians"),
    PersonnelItem("management_training_terms", _MGMT, "", "Training Course"),
    PersonnelItem("management_attendees", _MGMT, "", "Attendees"),
)


# --------------------------------------------------------------------------- claims register
#: Document ids of the five source documents (seeds/bibliography.csv).
CLAIM_DOCUMENTS: tuple[str, ...] = ("000", "001", "002", "003", "004")
#: ``relation`` values: "=" (the figure is a rounded value), ">=" (the text says "more than",
#: "over", "at least": the true figure is at least the printed one), "<=" ("less than", "within",
#: "no more than").
CLAIM_RELATIONS: tuple[str, ...] = ("=", ">=", "<=")
#: ``qualifier`` values of the register: the approximate word of a printed figure ("" for a plain
#: rounded figure). Their semantics are defined once, in :mod:`ewp_stats.printed`.
CLAIM_QUALIFIERS: tuple[str, ...] = ("", "about", "nearly", "over", "at_least", "under", "at_most",
                                     "range", "multiple")
#: ``discrepancy_kind`` values: why a claim is expected to be discrepant ("" when it is not):
#: another data ``vintage``, another ``formula`` (e.g. a change over years read as a rate), a
#: ``convention`` of counting, another ``definition`` of the quantity, a ``misprint``, or
#: ``unknown``.
CLAIM_DISCREPANCY_KINDS: tuple[str, ...] = ("", "vintage", "formula", "convention", "definition",
                                            "misprint", "unknown")
#: Units whose figures printed without decimals are exact integers (counts of named or listed
#: things, calendar years, whole numbers of years, plan numbers, positions, the two tables' head
#: counts, a 0/1 indicator). Such a plain figure stands for itself ([x, x]), not for x +- 0.5.
CLAIM_EXACT_UNITS: frozenset[str] = frozenset({
    "cases", "cities", "governments", "items", "parties", "parts", "periods", "plan number",
    "provinces", "towns", "year", "years", "terms", "schools", "persons", "person-times", "position",
    "indicator (1 = holds)"})
