"""Named exclusion rules: the only ways a raw value can be left out of a shipped dataset.

Each rule has an id, a statement of what it removes and why, and is applied by
:func:`apply_rule`, which returns the kept rows and records how many values the rule removed
(the count goes into the dataset's metadata, so nothing is dropped silently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Rule", "RULES", "RuleLog", "apply_rule"]


@dataclass(frozen=True)
class Rule:
    """An explicit exclusion rule."""

    id: str
    description: str


RULES: dict[str, Rule] = {r.id: r for r in [
    Rule("aggregate_rows",
         "GCAM rows 'National Total', 'sum' and 'difference' are aggregates, not provinces. The 'sum' row is "
         "checked to equal the sum of the 31 provinces (to 1e-6) in every year kept before the rows are removed; "
         "'National Total' is the older pre-2004-census national series and is not used."),
    Rule("before_1978",
         "Years 1975-1977 are excluded: Hainan has no GDP before 1978 and the paper's east/west series starts "
         "in 1978, so the shipped series start in 1978 with all 31 provinces."),
    Rule("gcam_gdp_2010_2017_defective",
         "GCAM GDP columns 2010-2017 match no NBS vintage (e.g. Beijing 2010 = 19,034.98 against NBS 14,964; "
         "Xinjiang 2010 = 6,647.28 against 5,360.2) and are excluded."),
    Rule("gcam_gdp_2018_2019_after_gap",
         "GCAM GDP 2018-2019 are NBS unified-accounting values, separated from the 1978-2009 compendium series "
         "by the excluded 2010-2017 gap; the same vintage is shipped as 'nbs_2021', so they are excluded here."),
    Rule("population_after_2008_not_in_compendium",
         "Not an exclusion of values: the compendium population ends in 2008, so per-capita ratios of the "
         "'gcam_compendium' vintage end in 2008 (2009 is NaN)."),
    Rule("yearbook_population_cross_check_only",
         "The China Statistical Yearbook population file (GCAM) is not shipped: it duplicates the NBS 2021 "
         "population. It is used as a cross-check: every cell must agree with nbs_2021 within 1 (10 000 persons) "
         "except Heilongjiang 2013, where the yearbook file has 3535 for 3835 (a typo)."),
    # plausibility rules (ewp_stats.pipeline.plausibility): they exclude nothing; a value outside the band
    # stops the build unless a named exception covers it, and what an exception lets through is listed.
    Rule("nominal_gdp_change_band",
         "Plausibility: nominal GRP changes year on year by -10% to +60% in every province (observed -6.9% to "
         "+53.4% in GCAM 1978-2009, -4.0% to +29.8% in NBS 2021); a tenfold typo leaves the band and stops the build."),
    Rule("real_index_band",
         "Plausibility: the real GRP index (previous year = 100) lies in [95, 125] (observed 100.5 to 119.6); "
         "e.g. 1067 for 106.7 stops the build."),
    Rule("national_total_tolerance",
         "Plausibility: the sum of the 31 provinces (NBS 2021) is within 3% of national GDP "
         "(nbs-easyquery-2021/国内生产总值_全国.csv; observed -2.5% in 2001 to +0.9% in 2005); findings list the "
         "gap of every year."),
    Rule("population_change_band",
         "Plausibility: year-end population changes year on year by -3% to +6% (observed -2.2% to +5.7% outside "
         "the breaks), except across the named definition breaks (compendium: Chongqing 1996, census 2000, usual "
         "residents 2005; NBS 2021: 2005 and the 2010 census) and the documented exception Beijing 1995 "
         "(compendium, +11.2%); findings list every change those let through."),
    Rule("value_added_sums_to_gdp",
         "Plausibility: the value added of the three industries (NBS 2021) sums to GRP within 0.1% in every "
         "province-year (observed at most 0.03%, a rounding difference); a mistyped cell stops the build."),
    Rule("nominal_gdp_one_year_dip",
         "Flag, not an exclusion: a province whose nominal GRP is below both the previous and the next year "
         "(e.g. GCAM Chongqing 1999 = 1491.99 below 1998 = 1602.38 and 2000 = 1791.00) is listed with the ratio "
         "recomputed with that value replaced by the geometric mean of its neighbours, i.e. the effect on the ratio."),
]}


@dataclass
class RuleLog:
    """Counts of values removed by each rule while building one dataset."""

    counts: dict[str, int] = field(default_factory=dict)
    #: values checked by each plausibility rule (a check excludes nothing)
    checked: dict[str, int] = field(default_factory=dict)
    #: what each plausibility rule or flag found (exceptions it let through, flagged anomalies)
    findings: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    def add(self, rule_id: str, n: int) -> None:
        if rule_id not in RULES:
            raise KeyError(f"unknown rule {rule_id!r}; known rules: {sorted(RULES)}")
        self.counts[rule_id] = self.counts.get(rule_id, 0) + int(n)

    def check(self, rule_id: str, n: int) -> None:
        """Record that a plausibility rule checked ``n`` values (and excluded none)."""
        self.add(rule_id, 0)
        self.checked[rule_id] = self.checked.get(rule_id, 0) + int(n)

    def to_list(self) -> list[dict[str, object]]:
        """Rules applied, with their description, the number of values removed and, for
        plausibility rules, the number of values checked and the findings."""
        out: list[dict[str, object]] = []
        for k, v in sorted(self.counts.items()):
            entry: dict[str, object] = {"id": k, "description": RULES[k].description, "values_excluded": v}
            if k in self.checked:
                entry["values_checked"] = self.checked[k]
            if k in self.findings:
                entry["findings"] = self.findings[k]
            out.append(entry)
        return out


def apply_rule(frame: pd.DataFrame, rule_id: str, drop: Callable[[pd.DataFrame], pd.Series],
               log: RuleLog) -> pd.DataFrame:
    """Remove the rows where ``drop(frame)`` is True, logging the count under ``rule_id``.

    Parameters
    ----------
    frame
        Long frame of values.
    rule_id
        A key of ``RULES``.
    drop
        Function returning a boolean mask of rows to remove.
    log
        Where the count is recorded.
    """
    mask = drop(frame).to_numpy(dtype=bool)
    log.add(rule_id, int(mask.sum()))
    return frame.loc[~mask].reset_index(drop=True)
