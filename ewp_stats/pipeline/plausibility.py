"""Plausibility rules: bands a raw value must lie in, checked before anything is derived from it.

Each check is a named rule of ``ewp_stats.pipeline.rules.RULES``. A value outside its band
stops the build with a :class:`~ewp_stats.errors.DataValidationError` naming the file, line,
column, rule and band, unless a named, documented exception (a definition break of the
population series, or an entry of :data:`~ewp_stats.pipeline.plausibility.POPULATION_EXCEPTIONS`) covers it. What an exception
let through is listed under the rule in the dataset's metadata (``findings``), so nothing is
accepted silently.

The bands were chosen from the observed ranges of the shipped raw files (printed by the build's
authors before fixing them) with a margin, and are wide enough that only a typo or a definition
break leaves them:

* nominal GRP, year on year: observed -6.9% (Chongqing 1999, GCAM) to +53.4% (Hainan 1992,
  GCAM); NBS 2021 -4.0% to +29.8%. Band :data:`~ewp_stats.pipeline.plausibility.NOMINAL_CHANGE_BAND`.
* real index (previous year = 100): observed 100.5 (Liaoning 2016) to 119.6 (Inner Mongolia
  2005). Band :data:`~ewp_stats.pipeline.plausibility.REAL_INDEX_BAND`.
* sum of the 31 provinces (NBS 2021) over national GDP (same vintage): observed -2.5% (2001) to
  +0.9% (2005). Tolerance :data:`~ewp_stats.pipeline.plausibility.NATIONAL_TOTAL_TOLERANCE`.
* year-end population, year on year, outside the definition breaks: observed -2.2% (Sichuan 2001,
  NBS) to +5.7% (Beijing 2008, NBS), plus Beijing 1995 (+11.2%, compendium; a documented
  exception). Band :data:`~ewp_stats.pipeline.plausibility.POPULATION_CHANGE_BAND`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline.rules import RuleLog

__all__ = [
    "NOMINAL_CHANGE_BAND",
    "REAL_INDEX_BAND",
    "NATIONAL_TOTAL_TOLERANCE",
    "POPULATION_CHANGE_BAND",
    "VALUE_ADDED_TOLERANCE",
    "check_value_added_sum",
    "PopulationBreak",
    "POPULATION_BREAKS",
    "POPULATION_EXCEPTIONS",
    "check_nominal_change",
    "check_real_index",
    "check_national_total",
    "check_population_change",
    "break_at",
    "read_national_gdp",
]

#: Allowed year-on-year change of nominal GRP, as a fraction (-10% to +60%).
NOMINAL_CHANGE_BAND: tuple[float, float] = (-0.10, 0.60)
#: Allowed real growth index, previous year = 100.
REAL_INDEX_BAND: tuple[float, float] = (95.0, 125.0)
#: Allowed absolute gap of the sum of provinces from national GDP, as a fraction of national GDP.
NATIONAL_TOTAL_TOLERANCE: float = 0.03
#: Allowed year-on-year change of year-end population (fraction) outside definition breaks.
POPULATION_CHANGE_BAND: tuple[float, float] = (-0.03, 0.06)


@dataclass(frozen=True)
class PopulationBreak:
    """A definition break of a population series: ``year`` is the first year on the new basis.

    Attributes
    ----------
    vintage
        Population vintage of ``province_population``.
    year
        First year on the new basis (the change from ``year - 1`` crosses the break).
    before, after
        ``population_basis`` labels of the years before and from ``year``.
    provinces
        Provinces the break applies to (empty: all 31).
    description
        What changed.
    """

    vintage: str
    year: int
    before: str
    after: str
    provinces: tuple[str, ...]
    description: str


#: The named definition breaks of the population series (oldest first within a vintage).
POPULATION_BREAKS: tuple[PopulationBreak, ...] = (
    PopulationBreak("gcam_compendium", 1996, "compendium_chongqing_pre_1996", "compendium_registered",
                    ("Chongqing",),
                    "Chongqing's compendium series breaks between 1995 and 1996 (3001.77 -> 2875.3, -4.2%): "
                    "the pre-municipality series is on another territorial/registration basis."),
    PopulationBreak("gcam_compendium", 2000, "compendium_registered", "compendium_census_2000", (),
                    "2000 census: the compendium re-bases every province on the 2000 census "
                    "(e.g. Beijing 1257.2 -> 1363.6, +8.5%)."),
    PopulationBreak("gcam_compendium", 2005, "compendium_census_2000", "usual_resident_2005", (),
                    "From 2005 the compendium reports usual residents (1% sample survey), e.g. "
                    "Sichuan 8595.3 -> 8212 (-4.5%), Guangxi 4889 -> 4660 (-4.7%)."),
    PopulationBreak("nbs_2021", 2005, "nbs_pre_2005", "usual_resident_2005", (),
                    "The NBS 2021 file is not on one basis: 2000-2004 are not usual residents for every "
                    "province; 2004 -> 2005 is -4.7% Guangxi, -5.6% Hunan, -4.5% Guizhou, -3.5% Henan."),
    PopulationBreak("nbs_2021", 2010, "usual_resident_2005", "usual_resident_census_2010", (),
                    "2010 census: 2010-2019 are on the 2010-census level, 2005-2009 are not revised back "
                    "(2009 -> 2010 is -5.1% Guangxi, -2.8% Anhui)."),
)

#: Named, documented exceptions to the population band, keyed by (vintage, province, year), with the reason.
POPULATION_EXCEPTIONS: dict[tuple[str, str, int], str] = {
    ("gcam_compendium", "Beijing", 1995):
        "compendium Beijing 1994 -> 1995 is +11.2% (1125 -> 1251.1), then -1.5% in 1997: a level change in the "
        "compendium series, not a named definition break; kept as published and listed here.",
}


def _band_text(band: tuple[float, float], percent: bool = True) -> str:
    lo, hi = band
    return f"[{lo:+.0%}, {hi:+.0%}]" if percent else f"[{lo:g}, {hi:g}]"


def _changes(long: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of ``value`` within each province (consecutive years only)."""
    d = long.sort_values(["province", "year"]).reset_index(drop=True)
    prev = d.groupby("province")["value"].shift(1)
    prev_year = d.groupby("province")["year"].shift(1)
    d["previous"] = prev.where(prev_year == d["year"] - 1)
    d["change"] = d["value"] / d["previous"] - 1.0
    return d[d["change"].notna()]


def _column(r: pd.Series, column: str | None) -> str:
    return str(int(r["year"])) if column is None else column


def check_nominal_change(long: pd.DataFrame, *, file: str, vintage: str, log: RuleLog,
                         column: str | None = None) -> None:
    """Rule ``nominal_gdp_change_band``: nominal GRP year on year within :data:`~ewp_stats.pipeline.plausibility.NOMINAL_CHANGE_BAND`.

    Parameters
    ----------
    long
        Columns ``province``, ``year``, ``value``, ``line`` (as read from ``file``).
    file, vintage
        Raw file and the vintage it gives (for the message).
    log
        Where the number of values checked is recorded.
    column
        The raw column of the values (None: the year is the column, as in the GCAM wide files).
    """
    ch = _changes(long)
    lo, hi = NOMINAL_CHANGE_BAND
    bad = ch[(ch["change"] < lo) | (ch["change"] > hi)]
    if not bad.empty:
        r = bad.iloc[0]
        raise DataValidationError(
            f"rule nominal_gdp_change_band: {vintage} nominal GRP of {r['province']} changes "
            f"{r['change']:+.1%} from {int(r['year']) - 1} ({r['previous']:g}) to {int(r['year'])} "
            f"({r['value']:g}); expected a change within {_band_text(NOMINAL_CHANGE_BAND)}",
            file=file, row=int(r["line"]), column=_column(r, column))
    log.check("nominal_gdp_change_band", len(ch))


def check_real_index(long: pd.DataFrame, *, file: str, column: str, log: RuleLog) -> None:
    """Rule ``real_index_band``: the previous-year = 100 index within :data:`~ewp_stats.pipeline.plausibility.REAL_INDEX_BAND`."""
    lo, hi = REAL_INDEX_BAND
    bad = long[(long["value"] < lo) | (long["value"] > hi)]
    if not bad.empty:
        r = bad.iloc[0]
        raise DataValidationError(
            f"rule real_index_band: real GRP index of {r['province']} {int(r['year'])} is {r['value']:g}; "
            f"expected a previous-year = 100 index within {_band_text(REAL_INDEX_BAND, percent=False)}",
            file=file, row=int(r["line"]), column=column)
    log.check("real_index_band", len(long))


def read_national_gdp(path: Path, *, file: str) -> pd.DataFrame:
    """Read national GDP (``国内生产总值``) by year from the NBS national file.

    Returns
    -------
    DataFrame
        Columns ``year`` (int), ``gdp`` (float, 100 million yuan), ``line`` (1-based file line).
    """
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or "年份" not in rows[0] or "国内生产总值" not in rows[0]:
        raise DataValidationError("expected a header with columns '年份' and '国内生产总值'", file=file, row=1)
    iy, ig = rows[0].index("年份"), rows[0].index("国内生产总值")
    out = []
    for lineno, cells in enumerate(rows[1:], start=2):
        if not cells:
            continue
        try:
            out.append((int(cells[iy]), float(cells[ig]), lineno))
        except (ValueError, IndexError) as exc:
            raise DataValidationError(f"expected a year and a number, found {cells!r}", file=file, row=lineno,
                                      column="国内生产总值") from exc
    return pd.DataFrame(out, columns=["year", "gdp", "line"])


def check_national_total(provinces: pd.DataFrame, national: pd.DataFrame, *, file: str, log: RuleLog,
                         n_provinces: int = 31) -> None:
    """Rule ``national_total_tolerance``: sum of provinces within the tolerance of national GDP.

    Parameters
    ----------
    provinces
        Province GRP of one vintage: columns ``province``, ``year``, ``value``.
    national
        :func:`~ewp_stats.pipeline.plausibility.read_national_gdp` of ``file``.
    file
        The national GDP file (named in the message).
    log
        Where the per-year gaps are recorded.
    n_provinces
        Provinces a year must have to be compared.
    """
    counts = provinces.groupby("year")["province"].nunique()
    sums = provinces.groupby("year")["value"].sum()
    nat = national.set_index("year")
    findings = []
    for year in sorted(set(sums.index) & set(nat.index)):
        if counts[year] != n_provinces:
            continue
        gap = float(sums[year] / nat.loc[year, "gdp"] - 1.0)
        if abs(gap) > NATIONAL_TOTAL_TOLERANCE:
            raise DataValidationError(
                f"rule national_total_tolerance: the sum of the {n_provinces} provinces in {year} "
                f"({sums[year]:.1f}) differs from national GDP ({nat.loc[year, 'gdp']:.1f}) by {gap:+.2%}; "
                f"expected within +-{NATIONAL_TOTAL_TOLERANCE:.0%}",
                file=file, row=int(nat.loc[year, "line"]), column="国内生产总值")
        findings.append({"year": int(year), "sum_of_provinces": round(float(sums[year]), 4),
                         "national": round(float(nat.loc[year, "gdp"]), 4), "gap": round(gap, 6)})
    log.check("national_total_tolerance", len(findings))
    log.findings["national_total_tolerance"] = findings


def break_at(vintage: str, province: str, year: int) -> PopulationBreak | None:
    """The definition break crossed by the change from ``year - 1`` to ``year``, if any."""
    for b in POPULATION_BREAKS:
        if b.vintage == vintage and b.year == year and (not b.provinces or province in b.provinces):
            return b
    return None


def check_population_change(long: pd.DataFrame, *, file: str, vintage: str, log: RuleLog,
                            column: str | None = None) -> None:
    """Rule ``population_change_band``: year-end population within :data:`~ewp_stats.pipeline.plausibility.POPULATION_CHANGE_BAND`
    year on year, except across a :data:`~ewp_stats.pipeline.plausibility.POPULATION_BREAKS` break or a :data:`~ewp_stats.pipeline.plausibility.POPULATION_EXCEPTIONS`
    entry; the changes those let through are listed in the rule's ``findings``."""
    ch = _changes(long)
    lo, hi = POPULATION_CHANGE_BAND
    findings = log.findings.setdefault("population_change_band", [])
    for _, r in ch[(ch["change"] < lo) | (ch["change"] > hi)].iterrows():
        province, year = str(r["province"]), int(r["year"])
        brk = break_at(vintage, province, year)
        reason = POPULATION_EXCEPTIONS.get((vintage, province, year))
        if brk is None and reason is None:
            raise DataValidationError(
                f"rule population_change_band: {vintage} population of {province} changes {r['change']:+.1%} "
                f"from {year - 1} ({r['previous']:g}) to {year} ({r['value']:g}); expected a change within "
                f"{_band_text(POPULATION_CHANGE_BAND)} outside the named definition breaks",
                file=file, row=int(r["line"]), column=_column(r, column))
        findings.append({"vintage": vintage, "province": province, "year": year,
                         "change": round(float(r["change"]), 6),
                         "covered_by": f"break {vintage} {brk.year} ({brk.before} -> {brk.after})" if brk
                         else "exception: " + str(reason)})
    log.check("population_change_band", len(ch))


#: Largest relative gap between the sum of the three industries' value added and GRP (rounding of
#: the published figures; observed at most 0.03% in NBS 2021).
VALUE_ADDED_TOLERANCE = 1e-3


def check_value_added_sum(frame: pd.DataFrame, parts: list[str], *, file: str, log: RuleLog) -> None:
    """Rule ``value_added_sums_to_gdp``: the parts (value added by industry) sum to ``gdp`` within
    :data:`~ewp_stats.pipeline.plausibility.VALUE_ADDED_TOLERANCE`.

    Parameters
    ----------
    frame
        Long frame with ``province``, ``year``, ``gdp``, the ``parts`` columns and the raw ``line``.
    parts
        The value-added columns.
    file, log
        The raw file (for the message) and the dataset's rule log.

    Raises
    ------
    DataValidationError
        Naming the province, year and raw line of the largest gap, if any exceeds the tolerance.
    """
    gap = (frame[parts].sum(axis=1) - frame["gdp"]).abs() / frame["gdp"]
    if (gap > VALUE_ADDED_TOLERANCE).any():
        r = frame.loc[gap.idxmax()]
        raise DataValidationError(
            f"rule value_added_sums_to_gdp: the value added of the three industries of {r['province']} "
            f"{int(r['year'])} sums to {float(r[parts].sum()):g}, not GRP {float(r['gdp']):g} "
            f"({float(gap.max()):.1%} off); expected agreement within {VALUE_ADDED_TOLERANCE:.1%}",
            file=file, row=int(r["line"]), column=", ".join(parts))
    log.check("value_added_sums_to_gdp", len(frame))
