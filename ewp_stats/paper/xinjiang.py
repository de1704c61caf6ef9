"""Xinjiang after the 2010 pairing-assistance programme: outcomes, peers, synthetic control, claims.

The large Xinjiang pairing programme (19 assisting provinces and cities) was
decided in 2010 and funded from 2011. This module measures Xinjiang's outcomes
in the NBS 2021-vintage data (2000-2019), compares them with provinces outside
comparable programmes before (2000-2010) and after (2011-2019), fits a synthetic
control, and computes the numbers needed to check the news item's claims.

Design decisions (all explicit and tested):

* **Treatment**: Xinjiang from 2011 by default (:data:`PRE_PERIOD`, :data:`POST_PERIOD`).
  All western provinces were already paired under the 1996 East-West
  partnership; the treatment studied is the 2010 scale-up for Xinjiang.
* **Donor / control rule** (:func:`donor_pool`): provinces under a programme of
  the same design, started at the same time, are not controls. ``"baseline"``
  excludes Tibet and Qinghai (:data:`COMPARABLE_PROGRAMMES`). ``"strict"``
  also drops Sichuan, Gansu and Yunnan (:data:`PARTLY_COVERED`), whose Tibetan
  autonomous areas were included in the 2010 support policy for Tibetan areas,
  and where (Sichuan, Gansu) the 2008-2010 earthquake reconstruction was itself
  organised as province-to-county pairing, inside the pre-period.
  ``"assisting"`` drops, beyond the baseline, the provinces that assist Xinjiang under the
  2010 programme (:data:`ASSISTING_PROVINCES`, recorded with a source per row in
  ``seeds/xinjiang_assisting_provinces.csv``): they are part of the treatment, and several carry
  most of the baseline synthetic Xinjiang's weight. ``"pairing_change"`` drops, beyond the
  baseline, the western provinces whose own East-West partner changed in 2010
  (:data:`PAIRING_CHANGED_2010`). ``"none"`` excludes only Xinjiang.
* **Timing** (:data:`TREATMENT_YEARS`): the decision and pilot funds came in 2010, the
  programme's budgets from 2011; every estimator is run with treatment from either year, and
  with a fake start inside the pre-period (:data:`IN_TIME_PLACEBO_YEAR`, data up to 2009 only).
* **Growth or levels**: the DiD in growth rates assumes Xinjiang's pre-period growth gap would
  have persisted; the DiD in log real GDP assumes its pre-period level gap would have (so its
  growth would have matched the controls'). Both are reported (:func:`did_comparison`).
* **Sectoral predictors** (``sectoral=True``): the synthetic control can also match the pre-period
  shares of the primary and secondary industries in GRP (:func:`sector_shares`, from the
  ``province_value_added`` dataset). :func:`design_sensitivity` runs every estimator under every
  rule and timing.
* **Outcomes**: real GDP is chained from the NBS previous-year index
  (:func:`ewp_stats.pipeline.derive.chain_real_gdp`, shipped as the ``province_real_gdp``
  dataset); per-capita values divide by year-end usual-resident
  population (NBS 2021 vintage).

References
----------
Abadie, Diamond and Hainmueller (2010, 2015); Conley and Taber (2011); see
:mod:`ewp_stats.engines.synth` and :mod:`ewp_stats.engines.did`. News item: ``seeds/003_ed645b433e14ce15.txt``.

The module is over 800 lines because it is one cohesive thing: the chapter's question, from the
donor rules and timings through the outcomes, both designs and their sensitivity grid to the news
item's numbers, each function small. (Splitting the grid off would leave it importing every other
function of this module.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ewp_stats import data
from ewp_stats.engines.did import DidResult, did_single_treated
from ewp_stats.errors import InputError
from ewp_stats.engines.synth import (
    LeaveOneOutResult,
    PlaceboResult,
    SynthResult,
    leave_one_out,
    placebo_in_space,
    synth_control,
)

__all__ = [
    "TREATED",
    "PRE_PERIOD",
    "POST_PERIOD",
    "VINTAGE",
    "COMPARABLE_PROGRAMMES",
    "PARTLY_COVERED",
    "ASSISTING_PROVINCES",
    "ASSISTING_INFERRED",
    "PAIRING_CHANGED_2010",
    "RULES",
    "TREATMENT_YEARS",
    "IN_TIME_PLACEBO_YEAR",
    "OUTCOMES",
    "DID_OUTCOMES",
    "CLAIMED_AVERAGE_GROWTH",
    "CLAIMED_AID_TOTAL",
    "CLAIMED_AID_YEARS",
    "CLAIMED_GDP_2022",
    "CLAIMED_PARTNERS",
    "PLACEBO_MAX_PRE_RMSPE_MULTIPLE",
    "donor_pool",
    "population_panel",
    "real_gdp_panel",
    "outcome_panel",
    "outcome_series",
    "design_periods",
    "did_comparison",
    "growth_comparison",
    "design_sensitivity",
    "xinjiang_synth",
    "xinjiang_placebo",
    "xinjiang_leave_one_out",
    "provinces_slowed",
    "growth_change_rank_correlation",
    "synth_pre_rmspe_share",
    "synth_mean_post_gap_share",
    "synth_gap_share",
    "synth_detectable_post_rmspe_share",
    "synth_weight_share",
    "SYNTH_OUTCOMES",
    "SECTOR_PREDICTORS",
    "sector_shares",
    "annualised_growth",
    "average_growth",
    "average_real_growth",
    "median_population_growth",
    "real_multiple_at_average_growth",
    "real_gdp_multiple",
    "nominal_gdp_multiple",
    "implied_real_growth_2020_2022",
    "implied_real_growth_for_real_doubling",
    "implied_nominal_growth_2020_2022",
    "aid_share_of_gdp",
    "news_claims",
]

TREATED = "Xinjiang"
#: Years before the programme was funded (the 2010 decision year counts as pre).
PRE_PERIOD = (2000, 2010)
#: Programme years covered by the data.
POST_PERIOD = (2011, 2019)
#: The data vintage used throughout (NBS, post-2020 revision, as served around 2021).
VINTAGE = "nbs_2021"

#: Provinces never used as controls (rule "baseline" and "strict"), with the reason.
COMPARABLE_PROGRAMMES: dict[str, str] = {
    "Tibet": (
        "receives counterpart (pairing) assistance from provinces, cities and central enterprises since 1994, "
        "scaled up after the 2010 central work conference on Tibet: the same design as Xinjiang's programme, "
        "so Tibet is treated, not a control"
    ),
    "Qinghai": (
        "its Tibetan autonomous prefectures, most of the province's territory, were assigned eastern "
        "pairing partners in 2010, at the same time as Xinjiang; treated in the same years"
    ),
}

#: Provinces dropped in addition under the "strict" rule, with the reason.
PARTLY_COVERED: dict[str, str] = {
    "Sichuan": (
        "Tibetan autonomous areas covered by the 2010 support policy for Tibetan areas; the 2008 Wenchuan "
        "earthquake reconstruction (2008-2010) was organised as province-to-county pairing"
    ),
    "Gansu": (
        "Tibetan autonomous areas covered by the 2010 support policy for Tibetan areas; parts of the province "
        "were in the 2008 earthquake zone, whose reconstruction was organised by pairing"
    ),
    "Yunnan": "Tibetan autonomous prefecture covered by the 2010 support policy for Tibetan areas",
}

#: Provinces assisting Xinjiang under the 2010 programme (province -> the area in Xinjiang the
#: sources give). The 19 partners are 18 provinces and Shenzhen (a city of Guangdong, so it maps
#: to Guangdong). Transcribed from ``seeds/xinjiang_assisting_provinces.csv``, which gives a source
#: per row; a test checks that the two agree.
ASSISTING_PROVINCES: dict[str, str] = {
    "Beijing": "Hotan prefecture (Hotan City, Hotan, Moyu, Lop); XPCC 14th division",
    "Tianjin": "Hotan prefecture",
    "Hebei": "an XPCC division",
    "Liaoning": "Tacheng prefecture",
    "Shanghai": "Kashgar prefecture (Bachu, Shache, Zepu, Yecheng)",
    "Jiangsu": "Yili prefecture; Kizilsu prefecture (Atushi, Akqi, Wuqia); XPCC 4th and 7th divisions",
    "Zhejiang": "Aksu prefecture; Alar City (XPCC 1st division)",
    "Anhui": "Hotan prefecture",
    "Fujian": "Changji prefecture",
    "Jiangxi": "Kizilsu prefecture",
    "Shandong": "Kashgar prefecture (Shule, Yengisar, Markit, Yopurga)",
    "Henan": "Hami prefecture; XPCC 13th division",
    "Hubei": "Bortala prefecture",
    "Hunan": "Turpan prefecture",
    "Guangdong": "Kashgar prefecture (Shufu, Jiashi; through Shenzhen Kashgar City, Tashkorgan); Tumushuke City",
    "Shanxi": "not given by the stored sources",
    "Jilin": "not given by the stored sources",
    "Heilongjiang": "not given by the stored sources",
}

#: The assisting provinces that no stored source names directly. They are included because a source says
#: the partners are the 2008 Wenchuan reconstruction partners, whose list names them (see the seeds file).
ASSISTING_INFERRED: tuple[str, ...] = ("Shanxi", "Jilin", "Heilongjiang")

#: Western provinces whose East-West partner changed in 2010 (the paper's 2010 list,
#: ``seeds/004_*.txt``), with the change. Their pairing was treated in the same year.
PAIRING_CHANGED_2010: dict[str, str] = {
    "Chongqing": "new eastern partner in 2010 (Shandong), after Zhuhai and Xiamen from 2002",
    "Sichuan": "Zhuhai added in 2010 for Liangshan prefecture (besides Zhejiang)",
    "Gansu": "Xiamen added in 2010 for Linxia prefecture (besides Tianjin)",
}

Rule = Literal["baseline", "strict", "assisting", "pairing_change", "none"]
Region = Literal["west", "all"]

#: The donor rules of :func:`donor_pool`, in the order the chapter reports them.
RULES: tuple[str, ...] = ("baseline", "strict", "assisting", "pairing_change", "none")

#: The first treated years studied, 2010 (decision, pilot funds) and 2011 (budgeted programme; the default).
TREATMENT_YEARS: tuple[int, ...] = (2010, 2011)

#: The fake start of the in-time placebo. The estimators run on 2000-2009 only (before either treatment
#: year), "treated" from 2006.
IN_TIME_PLACEBO_YEAR = 2006

#: Outcomes available to :func:`outcome_panel` (name -> label with unit).
OUTCOMES: dict[str, str] = {
    "real_growth": "real GDP growth, percent",
    "real_gdp_per_capita": "real GDP per capita, yuan at 2000 prices",
    "real_gdp_index": "real GDP, index 2000 = 100",
    "real_per_capita_growth": "real GDP per capita growth, percent",
    "log_real_gdp": "log real GDP, 100 x natural log (2000 prices)",
    "log_real_gdp_per_capita": "log real GDP per capita, 100 x natural log (2000 prices)",
}

#: Outcomes of the difference-in-differences (:func:`did_comparison`), growth rates and log levels.
DID_OUTCOMES: tuple[str, ...] = ("real_growth", "real_per_capita_growth", "log_real_gdp", "log_real_gdp_per_capita")

#: The news item's average annual growth over the decade to 2022, percent (it does not say real or
#: nominal; read as real growth, the basis on which NBS reports growth rates).
CLAIMED_AVERAGE_GROWTH = 6.6
#: The news item's total assistance over the decade, 100 million yuan (170 billion yuan).
CLAIMED_AID_TOTAL = 1700.0
#: The years over which the news item's assistance was given ("over the past decade").
CLAIMED_AID_YEARS = 10
#: The news item's 2022 GDP of Xinjiang, 100 million yuan (1.7 trillion yuan).
CLAIMED_GDP_2022 = 17000.0
#: The news item's number of assisting provinces and cities (18 provinces and Shenzhen).
CLAIMED_PARTNERS = 19

#: Placebos fitted this many times worse than Xinjiang before 2011 (pre-period RMSPE) are left
#: out of the gaps figure, as in Abadie, Diamond and Hainmueller (2010); all count in the p-value.
PLACEBO_MAX_PRE_RMSPE_MULTIPLE = 5


# --------------------------------------------------------------------------- donors
def donor_pool(*, region: Region = "all", rule: Rule = "baseline") -> list[str]:
    """Control provinces for Xinjiang under an explicit rule.

    Parameters
    ----------
    region
        ``"west"``: the other NBS western provinces; ``"all"``: all other provinces.
    rule
        ``"baseline"`` drops :data:`COMPARABLE_PROGRAMMES` (Tibet, Qinghai);
        ``"strict"`` also drops :data:`PARTLY_COVERED` (Sichuan, Gansu, Yunnan);
        ``"assisting"`` drops the baseline's and :data:`ASSISTING_PROVINCES`;
        ``"pairing_change"`` drops the baseline's and :data:`PAIRING_CHANGED_2010`;
        ``"none"`` drops only Xinjiang.

    Returns
    -------
    list of str
        Province names (as in the ``regions`` dataset), in the dataset's order.
    """
    if region not in ("west", "all"):
        raise InputError(f"region must be 'west' or 'all', got {region!r}")
    if rule not in RULES:
        raise InputError(f"rule must be one of {list(RULES)}, got {rule!r}")
    reg = data.load("regions")
    units = reg.index[reg["nbs_region"] == "west"] if region == "west" else reg.index
    drop = {TREATED}
    if rule != "none":
        drop |= set(COMPARABLE_PROGRAMMES)
    drop |= {"strict": set(PARTLY_COVERED), "assisting": set(ASSISTING_PROVINCES),
             "pairing_change": set(PAIRING_CHANGED_2010)}.get(rule, set())
    return [u for u in units if u not in drop]


def design_periods(treatment_year: int, *, first_year: int = PRE_PERIOD[0],
                   last_year: int = POST_PERIOD[1]) -> tuple[tuple[int, int], tuple[int, int]]:
    """Pre- and post-period of a design treated from ``treatment_year``.

    Parameters
    ----------
    treatment_year
        First treated year: one of :data:`TREATMENT_YEARS` (2011 is the default of the estimators), or :data:`IN_TIME_PLACEBO_YEAR` (or
        any year) with ``last_year`` <= 2010 for an in-time placebo.
    first_year, last_year
        First and last year of the data used.

    Returns
    -------
    pre, post
        Inclusive year ranges ``(first_year, treatment_year - 1)`` and ``(treatment_year, last_year)``.

    Raises
    ------
    InputError
        A non-integer year, fewer than two pre or post years, a window outside 2000-2019, or a
        placebo window (``treatment_year`` before 2010) that reaches into the programme years.
    """
    for name, y in (("treatment_year", treatment_year), ("first_year", first_year), ("last_year", last_year)):
        _check_int_year(y, name)
    if not (2000 <= first_year and last_year <= POST_PERIOD[1]):
        raise InputError(f"years {first_year}-{last_year} are outside the data (2000-{POST_PERIOD[1]})")
    if not first_year + 2 <= treatment_year <= last_year - 1:
        raise InputError(f"treatment year {treatment_year} leaves fewer than two pre or post years in "
                         f"{first_year}-{last_year}")
    if treatment_year < min(TREATMENT_YEARS) and last_year >= min(TREATMENT_YEARS):
        raise InputError(f"an in-time placebo from {treatment_year} must end before the programme "
                         f"({min(TREATMENT_YEARS)}); got last_year={last_year}")
    return (first_year, treatment_year - 1), (treatment_year, last_year)


# --------------------------------------------------------------------------- series
def _wide(name: str, column: str, vintage: str | None) -> pd.DataFrame:
    df = data.load(name)
    if vintage is not None:
        df = df.xs(vintage, level="vintage")
    return df[column].unstack("province").sort_index()


def population_panel(*, spliced: bool = True) -> pd.DataFrame:
    """Year-end population (10 000 persons) of all 31 provinces (NBS 2021 vintage).

    Parameters
    ----------
    spliced
        True (default): the spliced series of ``province_population_spliced``, on the 2010-census
        basis throughout (rule ``population_splice_neighbour_growth``); False: the population as
        published (``province_population``), whose definition changes in 2005 and 2010.

    Returns
    -------
    DataFrame
        Index year, one column per province.
    """
    if spliced:
        return _wide("province_population_spliced", "population_spliced", VINTAGE)
    return _wide("province_population", "population", VINTAGE)


def real_gdp_panel(*, base_year: int = 2000) -> pd.DataFrame:
    """Real GDP (100 million yuan, ``base_year`` prices) for all 31 provinces, 2000-2019.

    The shipped ``province_real_gdp`` dataset (chained at 2000 prices by the build), rebased so
    that it equals nominal GDP in ``base_year``.

    Returns
    -------
    DataFrame
        Index year, one column per province.
    """
    real = _wide("province_real_gdp", "real_gdp_2000", None)
    real.columns.name = None
    if base_year not in real.index:
        raise InputError(f"base year {base_year} is outside {real.index[0]}-{real.index[-1]}")
    gdp = _wide("province_gdp", "gdp", VINTAGE)
    rebased = real * (gdp.loc[base_year, real.columns] / real.loc[base_year])
    # Built column by column so that the array layout (and so the floating-point summation order
    # of the estimators downstream) is the same as for a panel assembled province by province.
    return pd.DataFrame({p: rebased[p] for p in rebased.columns})


def outcome_panel(outcome: str) -> pd.DataFrame:
    """Wide panel (index year, one column per province) of one outcome from :data:`OUTCOMES`.

    ``real_growth`` comes straight from the NBS index (2000-2019); the
    per-capita series divide chained real GDP by the spliced year-end population
    (:func:`population_panel`); the log outcomes are ``100 * ln`` of chained real GDP (2000
    prices) and of its per-capita value, so their differences read as log points (about percent);
    ``real_per_capita_growth`` starts in 2001.
    """
    if outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {outcome!r}; expected one of {sorted(OUTCOMES)}")
    if outcome == "real_growth":
        return _wide("province_gdp_index", "gdp_index", None) - 100.0
    real = real_gdp_panel(base_year=2000)
    if outcome == "real_gdp_index":
        return 100.0 * real / real.loc[2000]
    if outcome == "log_real_gdp":
        return 100.0 * np.log(real)
    pop = population_panel()
    pc = real * 1e4 / pop[real.columns]  # 100 million yuan / 10 000 persons -> yuan per person
    if outcome == "real_gdp_per_capita":
        return pc
    if outcome == "log_real_gdp_per_capita":
        return 100.0 * np.log(pc)
    return (100.0 * pc.pct_change()).loc[2001:]


def outcome_series() -> pd.DataFrame:
    """Xinjiang's outcome series, 2000-2019 (NBS 2021 vintage).

    Returns
    -------
    DataFrame
        Index year; columns ``gdp`` (nominal, 100 million yuan), ``nominal_growth``
        (percent), ``real_gdp_2000`` (chained, 2000 prices), ``real_growth`` (percent,
        from the index), ``population`` (10 000, year-end, as published),
        ``population_spliced`` (the same on one definition basis), ``gdp_per_capita_nbs``
        (yuan, NBS published, average population), ``gdp_per_capita`` (yuan,
        nominal / spliced year-end population), ``real_gdp_per_capita`` (yuan, 2000 prices,
        spliced population) and ``real_per_capita_growth`` (percent).
    """
    gdp = _wide("province_gdp", "gdp", VINTAGE)[TREATED]
    idx = _wide("province_gdp_index", "gdp_index", None)[TREATED]
    published = population_panel(spliced=False)[TREATED]
    pop = population_panel()[TREATED]
    xj = data.load("xinjiang")
    real = xj["real_gdp_2000"]
    out = pd.DataFrame(
        {
            "gdp": gdp,
            "nominal_growth": 100.0 * gdp.pct_change(),
            "real_gdp_2000": real,
            "real_growth": idx - 100.0,
            "population": published,
            "population_spliced": pop,
            "gdp_per_capita_nbs": xj["gdp_per_capita"],
            "gdp_per_capita": gdp * 1e4 / pop,
            "real_gdp_per_capita": real * 1e4 / pop,
        }
    )
    out["real_per_capita_growth"] = 100.0 * out["real_gdp_per_capita"].pct_change()
    out.index.name = "year"
    return out


#: The sectoral predictors of the synthetic control, mean pre-period shares of nominal GRP (the tertiary
#: share is 100 minus the two, so it adds nothing).
SECTOR_PREDICTORS: dict[str, str] = {
    "primary_share": "primary industry value added, percent of GRP (pre-period mean)",
    "secondary_share": "secondary industry (incl. mining) value added, percent of GRP (pre-period mean)",
}


def sector_shares(first_year: int, last_year: int) -> pd.DataFrame:
    """Mean shares of the primary and secondary industries in nominal GRP over ``first_year..last_year``.

    Parameters
    ----------
    first_year, last_year
        Inclusive years of the mean (the design's pre-period).

    Returns
    -------
    DataFrame
        Index :data:`SECTOR_PREDICTORS` names, one column per province (percent), from the
        ``province_value_added`` dataset (NBS 2021 vintage).
    """
    _check_year(first_year, "first year")
    _check_year(last_year, "last year")
    va = data.load("province_value_added").loc[(slice(None), slice(first_year, last_year)), :]
    shares = 100.0 * va[["primary", "secondary"]].div(va["gdp"], axis=0)
    out = shares.groupby(level="province").mean().T
    out.index = pd.Index(list(SECTOR_PREDICTORS), name="predictor")
    out.columns.name = None
    return out


# --------------------------------------------------------------------------- peers
def did_comparison(
    *, region: Region = "west", rule: Rule = "baseline", outcome: str = "real_growth", level: float = 0.95,
    treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1],
) -> DidResult:
    """Xinjiang vs a control group: the gaps before/after and the difference-in-differences.

    Parameters
    ----------
    region, rule
        Control group, see :func:`donor_pool`.
    outcome
        One of :data:`DID_OUTCOMES`: a growth rate (``"real_growth"``, from 2000;
        ``"real_per_capita_growth"``, from 2001) or a log level (``"log_real_gdp"``,
        ``"log_real_gdp_per_capita"``, from 2000).
    level
        Confidence level.
    treatment_year, last_year
        The design's timing, see :func:`design_periods` (default 2011-2019 treated).

    Returns
    -------
    DidResult
        With Conley-Taber and permutation inference (see :mod:`ewp_stats.engines.did`).

    Notes
    -----
    The two kinds of outcome make different counterfactual assumptions. In growth rates, the
    estimate is the change in Xinjiang's mean growth gap to the controls: it assumes that,
    without the programme, Xinjiang's pre-period growth gap would have persisted (its log GDP
    would have kept diverging from the controls' at the pre-period rate). In log levels, it is
    the change in the mean log-level gap: it assumes the pre-period level gap would have
    persisted, that is, Xinjiang would have grown as fast as the controls. With a pre-period
    growth gap the two cannot both hold.
    """
    if outcome not in DID_OUTCOMES:
        raise InputError(f"outcome must be one of {list(DID_OUTCOMES)} (a growth rate or a log level), got {outcome!r}")
    panel = outcome_panel(outcome)
    pre, post = design_periods(treatment_year, first_year=int(panel.index.min()), last_year=last_year)
    return did_single_treated(
        panel, TREATED, donor_pool(region=region, rule=rule), pre_period=pre, post_period=post,
        outcome=OUTCOMES[outcome], level=level,
    )


def growth_comparison(
    *, region: Region = "west", rule: Rule = "baseline", outcome: str = "real_growth", level: float = 0.95,
    treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1],
) -> DidResult:
    """:func:`did_comparison` restricted to the growth outcomes (``"real_growth"``,
    ``"real_per_capita_growth"``): growth 2000-2010 (2001-2010 per person) vs 2011-2019 by default."""
    if outcome not in ("real_growth", "real_per_capita_growth"):
        raise InputError(f"outcome must be a growth rate ('real_growth' or 'real_per_capita_growth'), got {outcome!r}")
    return did_comparison(region=region, rule=rule, outcome=outcome, level=level, treatment_year=treatment_year,
                          last_year=last_year)


# --------------------------------------------------------------------------- synthetic control
def _synth_args(outcome: str, region: Region, rule: Rule, exclude: Sequence[str],
                treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1],
                sectoral: bool = False) -> dict:
    if outcome not in ("real_gdp_per_capita", "real_gdp_index"):
        raise InputError(f"synthetic control outcome must be 'real_gdp_per_capita' or 'real_gdp_index', got {outcome!r}")
    pool = donor_pool(region=region, rule=rule)
    if isinstance(exclude, str):
        raise InputError(f"exclude must be a list of province names, got the string {exclude!r}; write [{exclude!r}]")
    unknown = [d for d in exclude if d not in pool]
    if unknown:
        raise InputError(f"exclude names {unknown}, which are not in the donor pool (region={region!r}, "
                         f"rule={rule!r}); expected names from {pool}")
    donors = [d for d in pool if d not in set(exclude)]
    pre, post = design_periods(treatment_year, last_year=last_year)
    return dict(
        panel=outcome_panel(outcome), treated=TREATED, donors=donors, pre_period=pre,
        post_period=post, allow_more_donors_than_periods=True,
        predictors=sector_shares(*pre) if sectoral else None,
    )


def xinjiang_synth(
    *, outcome: str = "real_gdp_per_capita", region: Region = "all", rule: Rule = "baseline", exclude: Sequence[str] = (),
    treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1], sectoral: bool = False,
) -> SynthResult:
    """Synthetic control for Xinjiang, fitted on 2000-2010, evaluated 2011-2019.

    Parameters
    ----------
    outcome
        ``"real_gdp_per_capita"`` (yuan, 2000 prices; the main specification) or
        ``"real_gdp_index"`` (2000 = 100).
    region, rule
        Donor pool, see :func:`donor_pool`. The default is all provinces under
        the baseline rule (28 donors). The western pool alone cannot reproduce
        Xinjiang's pre-period path (Xinjiang has the highest per-capita GDP of
        the west in 2000 and the slowest per-capita growth), so the wider pool is
        used; because 28 donors exceed the 11 pre-period years the uniqueness
        guard is lifted and :func:`xinjiang_leave_one_out` checks robustness.
    exclude
        Further donors to leave out.
    treatment_year, last_year
        The design's timing, see :func:`design_periods` (default: fitted 2000-2010, evaluated
        2011-2019).
    sectoral
        Add the pre-period mean shares of the primary and secondary industries in GRP
        (:func:`sector_shares`) as predictors, rescaled as in
        :func:`~ewp_stats.engines.synth.synth_control` (each counts like one pre-period year).
    """
    kw = _synth_args(outcome, region, rule, exclude, treatment_year, last_year, sectoral)
    return synth_control(outcome=OUTCOMES[outcome], **kw)


def xinjiang_placebo(
    *, outcome: str = "real_gdp_per_capita", region: Region = "all", rule: Rule = "baseline", exclude: Sequence[str] = (),
    treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1], sectoral: bool = False,
) -> PlaceboResult:
    """In-space placebo test for :func:`xinjiang_synth` (p-value = rank / number of units)."""
    return placebo_in_space(**_synth_args(outcome, region, rule, exclude, treatment_year, last_year, sectoral))


def xinjiang_leave_one_out(
    *, outcome: str = "real_gdp_per_capita", region: Region = "all", rule: Rule = "baseline",
    treatment_year: int = POST_PERIOD[0], last_year: int = POST_PERIOD[1],
) -> LeaveOneOutResult:
    """Leave-one-donor-out refits of :func:`xinjiang_synth`."""
    return leave_one_out(outcome=OUTCOMES[outcome], **_synth_args(outcome, region, rule, (), treatment_year, last_year))


#: The timings of :func:`design_sensitivity`: (treatment_year, last_year).
_TIMINGS: tuple[tuple[int, int], ...] = ((POST_PERIOD[0], POST_PERIOD[1]), (2010, POST_PERIOD[1]),
                                         (IN_TIME_PLACEBO_YEAR, min(TREATMENT_YEARS) - 1))
#: The synthetic-control outcomes of :func:`design_sensitivity`.
SYNTH_OUTCOMES: tuple[str, ...] = ("real_gdp_per_capita", "real_gdp_index")


def _did_row(r: DidResult) -> dict:
    lo, hi = r.ct_np_bounding_controls
    return {"estimate": r.estimate, "ct_lower": r.ct_ci[0], "ct_upper": r.ct_ci[1], "ct_np_lower": r.ct_np_ci[0],
            "ct_np_upper": r.ct_np_ci[1], "ct_np_coverage": r.ct_np_coverage, "pvalue": r.pvalue,
            "rank": float(r.permutation_rank), "n_units": float(r.n_units), "pre_gap": r.pre_gap,
            "pre_rmspe": np.nan, "top_donor": "", "top_weight": np.nan, "ct_np_bounds": f"{lo}|{hi}"}


def _synth_row(fit: SynthResult, test: PlaceboResult) -> dict:
    w = fit.weight_series
    return {"estimate": fit.mean_post_gap, "ct_lower": np.nan, "ct_upper": np.nan, "ct_np_lower": np.nan,
            "ct_np_upper": np.nan, "ct_np_coverage": np.nan, "pvalue": test.pvalue, "rank": float(test.rank),
            "n_units": float(test.n_units), "pre_gap": np.nan, "pre_rmspe": fit.pre_rmspe,
            "top_donor": str(w.index[0]), "top_weight": float(w.iloc[0]), "ct_np_bounds": ""}


def design_sensitivity(*, rules: Sequence[str] = RULES) -> pd.DataFrame:
    """Every headline estimate under every donor rule and timing: the chapter's sensitivity grid.

    Parameters
    ----------
    rules
        Donor rules (:data:`RULES` by default).

    Returns
    -------
    DataFrame
        One row per design, keyed by ``estimator`` (``"did"``, ``"synth"``, ``"synth_sectoral"``: with
        the sectoral predictors of :func:`sector_shares`), ``outcome``, ``region``,
        ``rule`` and ``treatment_year`` (2011, 2010, and :data:`IN_TIME_PLACEBO_YEAR` for the
        in-time placebo on 2000-2009; ``last_year`` says where each window ends). Columns:
        ``estimate`` (DiD estimate, or the synthetic control's mean post-period gap), the
        Conley-Taber t and order-statistic intervals with the order-statistic coverage and the two
        controls that fix it (``ct_np_bounds``, DiD only), the permutation ``pvalue``, ``rank`` and
        ``n_units``, ``pre_gap`` (DiD), and ``pre_rmspe``, ``top_donor`` and ``top_weight``
        (synthetic control).

    Notes
    -----
    Each row is a direct fit of :func:`did_comparison` or of :func:`xinjiang_synth` with
    :func:`xinjiang_placebo`; nothing is re-used between rules or timings.
    """
    rows = []
    for treatment_year, last_year in _TIMINGS:
        timing = dict(treatment_year=treatment_year, last_year=last_year)
        for rule in rules:
            for outcome in DID_OUTCOMES:
                for region in ("west", "all"):
                    r = did_comparison(region=region, rule=rule, outcome=outcome, **timing)
                    rows.append({"estimator": "did", "outcome": outcome, "region": region, "rule": rule,
                                 **timing, **_did_row(r)})
            for estimator, sectoral in (("synth", False), ("synth_sectoral", True)):
                for outcome in SYNTH_OUTCOMES:
                    kw = dict(outcome=outcome, region="all", rule=rule, sectoral=sectoral, **timing)
                    rows.append({"estimator": estimator, "outcome": outcome, "region": "all", "rule": rule,
                                 **timing, **_synth_row(xinjiang_synth(**kw), xinjiang_placebo(**kw))})
    return pd.DataFrame(rows)


def provinces_slowed(*, outcome: str = "real_growth") -> pd.Series:
    """Whether each province's mean growth in :data:`POST_PERIOD` is below its mean in :data:`PRE_PERIOD`.

    Parameters
    ----------
    outcome
        A growth outcome of :data:`OUTCOMES` (default real GDP growth).

    Returns
    -------
    Series of bool
        One entry per province (all 31).
    """
    growth = outcome_panel(outcome)
    return growth.loc[POST_PERIOD[0]:POST_PERIOD[1]].mean() < growth.loc[PRE_PERIOD[0]:PRE_PERIOD[1]].mean()


def growth_change_rank_correlation(*, outcome: str = "real_growth") -> tuple[float, float, int]:
    """Rank correlation across provinces between mean growth in :data:`PRE_PERIOD` and its change
    in :data:`POST_PERIOD` (post minus pre mean): do the fast growers slow most?

    Parameters
    ----------
    outcome
        A growth outcome of :data:`OUTCOMES` (default real GDP growth).

    Returns
    -------
    tuple of (float, float, int)
        Spearman's rho, its two-sided p-value and the number of provinces (all 31).

    Notes
    -----
    The p-value is scipy's t approximation for Spearman's rho, adequate at 31 provinces; the
    provinces are not independent draws (common shocks), so it is descriptive.

    References
    ----------
    Spearman, C. (1904). The proof and measurement of association between two things.
    *American Journal of Psychology*, 15(1), 72-101.
    """
    from scipy import stats

    growth = outcome_panel(outcome)
    pre = growth.loc[PRE_PERIOD[0]:PRE_PERIOD[1]].mean()
    change = growth.loc[POST_PERIOD[0]:POST_PERIOD[1]].mean() - pre
    result = stats.spearmanr(pre.to_numpy(), change.to_numpy())
    return float(result.statistic), float(result.pvalue), int(pre.size)


def synth_pre_rmspe_share(sc: SynthResult) -> float:
    """The pre-period RMSPE of a synthetic control as a share of the treated unit's mean pre-period level."""
    frame = sc.to_frame()
    return float(sc.pre_rmspe / frame.loc[frame["period"] == "pre", "treated"].mean())


def synth_mean_post_gap_share(sc: SynthResult) -> float:
    """The mean over the post years of the gap as a share of the synthetic control's level."""
    post = sc.to_frame().query("period == 'post'")
    return float((post["gap"] / post["synthetic"]).mean())


def synth_gap_share(sc: SynthResult, year: int) -> float:
    """The gap in ``year`` as a share of the synthetic control's level that year."""
    return float(sc.gap.loc[year] / sc.to_frame().loc[year, "synthetic"])


def synth_weight_share(sc: SynthResult, provinces: Sequence[str]) -> float:
    """The total donor weight of a synthetic control on ``provinces`` (e.g. :data:`ASSISTING_PROVINCES`)."""
    w = sc.weight_series
    return float(w[w.index.isin(list(provinces))].sum())


def synth_detectable_post_rmspe_share(sc: SynthResult, placebo: PlaceboResult) -> float:
    """The post-period RMSPE needed for the smallest attainable p-value, as a share of the treated
    unit's mean post-period level (``detectable_post_rmspe`` of
    :class:`~ewp_stats.engines.synth.PlaceboResult`)."""
    post = sc.to_frame().query("period == 'post'")
    return placebo.detectable_post_rmspe / float(post["treated"].mean())


# --------------------------------------------------------------------------- claims
def _xj() -> pd.DataFrame:
    return data.load("xinjiang")


def _check_int_year(year: object, what: str) -> None:
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise InputError(f"{what} must be an integer year, got {year!r}")


def _check_positive_years(years: object, what: str = "years") -> None:
    if isinstance(years, bool) or not isinstance(years, int | float | np.integer | np.floating) or not years > 0 \
            or not np.isfinite(years):
        raise InputError(f"{what} must be a positive number of years, got {years!r}")


def _check_year(year: int, what: str) -> None:
    _check_int_year(year, what)
    if not 2000 <= year <= 2019:
        raise InputError(f"{what} {year} is outside the data (Xinjiang 2000-2019)")


def annualised_growth(multiple: float, years: float) -> float:
    """Compound average growth, percent a year, of a ``multiple`` reached over ``years`` growth years.

    ``100 * (multiple ** (1 / years) - 1)``; the one compound-growth formula of this module.
    """
    _check_positive_years(years)
    return float(100.0 * (multiple ** (1 / years) - 1.0))


def average_growth(levels: pd.Series | pd.DataFrame, first_year: int, last_year: int) -> float | pd.Series:
    """Compound average growth (percent a year) of a level series over the growth years ``first_year..last_year``.

    Parameters
    ----------
    levels
        A series indexed by year, or a panel (index year, one column per unit).
    first_year, last_year
        The first and last growth year: the levels of ``first_year - 1`` and ``last_year`` are
        compared over ``last_year - first_year + 1`` years (:func:`annualised_growth`).

    Returns
    -------
    float or Series
        One rate, or one per column of a panel.
    """
    _check_int_year(first_year, "first_year")
    _check_int_year(last_year, "last_year")
    if last_year < first_year:
        raise InputError(f"last year {last_year} is before first year {first_year}")
    absent = [y for y in (first_year - 1, last_year) if y not in levels.index]
    if absent:
        raise InputError(f"years {absent} are not in the levels' index "
                         f"({levels.index.min()!r}-{levels.index.max()!r}); first_year - 1 and last_year are needed")
    multiple = levels.loc[last_year] / levels.loc[first_year - 1]
    years = last_year - first_year + 1
    if isinstance(multiple, pd.Series):
        return 100.0 * (multiple ** (1 / years) - 1.0)
    return annualised_growth(multiple, years)


def median_population_growth(first_year: int, last_year: int, *, region: Region = "all",
                             rule: Rule = "baseline") -> float:
    """Median over the control provinces of their average population growth (percent a year).

    Parameters
    ----------
    first_year, last_year
        The growth years (see :func:`average_growth`).
    region, rule
        The control group, see :func:`donor_pool`.
    """
    growth = average_growth(population_panel(), first_year, last_year)
    return float(growth[donor_pool(region=region, rule=rule)].median())


def real_multiple_at_average_growth(*, rate_pct: float = CLAIMED_AVERAGE_GROWTH, years: int = 10) -> float:
    """Real GDP multiple after ``years`` of growth at ``rate_pct`` percent a year: ``(1 + rate_pct / 100) ** years``."""
    _check_positive_years(years)
    return float((1 + rate_pct / 100.0) ** years)


def average_real_growth(first_year: int, last_year: int) -> float:
    """Geometric-mean real growth (percent a year) of Xinjiang over the growth years ``first_year..last_year``.

    Uses the NBS previous-year indices of those years (inclusive).
    """
    _check_year(first_year, "first year")
    _check_year(last_year, "last year")
    if last_year < first_year:
        raise InputError(f"last year {last_year} is before first year {first_year}")
    f = _xj().loc[first_year:last_year, "gdp_index"] / 100.0
    return annualised_growth(np.prod(f), len(f))


def real_gdp_multiple(*, base_year: int = 2012, end_year: int = 2019) -> float:
    """Real GDP in ``end_year`` over real GDP in ``base_year`` (chained NBS index)."""
    _check_year(base_year, "base year")
    _check_year(end_year, "end year")
    r = _xj()["real_gdp_2000"]
    return float(r.loc[end_year] / r.loc[base_year])


def nominal_gdp_multiple(*, base_year: int = 2012, gdp_end: float | None = CLAIMED_GDP_2022, end_year: int = 2022) -> float:
    """Nominal GDP multiple from ``base_year``: ``gdp_end / gdp(base_year)``.

    Parameters
    ----------
    base_year
        Year in the data (2000-2019).
    gdp_end
        Nominal GDP in 100 million yuan at ``end_year``; default 17 000 (the news item's
        1.7 trillion yuan for 2022). Pass ``None`` with ``end_year`` <= 2019 to use the data.
    end_year
        Year of ``gdp_end``.
    """
    _check_year(base_year, "base year")
    gdp = _xj()["gdp"]
    if gdp_end is None:
        _check_year(end_year, "end year")
        gdp_end = float(gdp.loc[end_year])
    return float(gdp_end / gdp.loc[base_year])


def implied_real_growth_2020_2022(*, claimed_average: float = CLAIMED_AVERAGE_GROWTH, base_year: int = 2012) -> float:
    """Average real growth 2020-2022 (percent a year) needed for a claimed decade average.

    The claim: real GDP grew ``claimed_average`` percent a year from ``base_year`` to 2022
    (``2022 - base_year`` growth years). Given the data's growth from ``base_year`` to 2019,
    the remaining three years must average
    ``((1 + g)^(2022 - base_year) / (real_2019 / real_base))^(1/3) - 1``.
    """
    n = 2022 - base_year
    done = real_gdp_multiple(base_year=base_year, end_year=2019)
    return annualised_growth(real_multiple_at_average_growth(rate_pct=claimed_average, years=n) / done, 3)


def implied_real_growth_for_real_doubling(*, base_year: int = 2012) -> float:
    """Average real growth 2020-2022 (percent a year) needed for real GDP in 2022 to be twice ``base_year``'s."""
    done = real_gdp_multiple(base_year=base_year, end_year=2019)
    return annualised_growth(2.0 / done, 3)


def implied_nominal_growth_2020_2022(*, gdp_2022: float = CLAIMED_GDP_2022) -> float:
    """Average nominal growth 2020-2022 (percent a year) from the 2019 value to ``gdp_2022`` (100 million yuan)."""
    g19 = float(_xj().loc[2019, "gdp"])
    return annualised_growth(gdp_2022 / g19, 3)


def aid_share_of_gdp(*, total_aid: float = CLAIMED_AID_TOTAL, years: int = CLAIMED_AID_YEARS, period: tuple[int, int] = POST_PERIOD) -> float:
    """Aid per year as a percent of Xinjiang's mean nominal GDP over ``period``.

    Parameters
    ----------
    total_aid
        Total aid in 100 million yuan (default 1 700 = the news item's 170 billion yuan).
    years
        Years over which it was spent (assumed evenly).
    period
        Years of the data whose mean nominal GDP is the denominator.
    """
    _check_positive_years(years)
    _check_year(period[0], "period start")
    _check_year(period[1], "period end")
    mean_gdp = float(_xj().loc[period[0]:period[1], "gdp"].mean())
    return float(100.0 * total_aid / years / mean_gdp)


def news_claims() -> pd.DataFrame:
    """The news item's numbers: what the data check, and what 2020-2022 would need.

    Returns
    -------
    DataFrame
        Index ``claim`` (a short id); columns ``description`` and ``value``, each value computed
        by the function of this module named in the description's row.
    """
    rows = [
        ("real_growth_2013_2019", "real growth 2013-2019, % a year (data)", average_real_growth(2013, 2019)),
        ("real_gdp_2019_over_2012", "real GDP 2019 / 2012 (data)", real_gdp_multiple(base_year=2012, end_year=2019)),
        ("nominal_gdp_2019_over_2012", "nominal GDP 2019 / 2012 (data)",
         nominal_gdp_multiple(base_year=2012, gdp_end=None, end_year=2019)),
        ("nominal_gdp_2022_over_2012", "nominal GDP 2022 (1.7 trillion) / 2012", nominal_gdp_multiple(base_year=2012)),
        ("nominal_gdp_2022_over_2013", "nominal GDP 2022 (1.7 trillion) / 2013", nominal_gdp_multiple(base_year=2013)),
        ("nominal_growth_needed_2020_2022", "nominal growth 2020-2022 needed for 1.7 trillion, % a year",
         implied_nominal_growth_2020_2022()),
        ("real_growth_needed_2020_2022_base_2012",
         f"real growth 2020-2022 needed for {CLAIMED_AVERAGE_GROWTH}% over 2013-2022, % a year",
         implied_real_growth_2020_2022(base_year=2012)),
        ("real_growth_needed_2020_2022_base_2013",
         f"real growth 2020-2022 needed for {CLAIMED_AVERAGE_GROWTH}% over 2014-2022, % a year",
         implied_real_growth_2020_2022(base_year=2013)),
        ("real_growth_needed_for_real_doubling", "real growth 2020-2022 needed for real GDP 2022 = 2 x 2012, % a year",
         implied_real_growth_for_real_doubling(base_year=2012)),
        ("aid_share_of_gdp", "aid per year as % of mean GDP 2011-2019 (170 bn over 10 years)", aid_share_of_gdp()),
    ]
    return pd.DataFrame([{"claim": c, "description": d, "value": v} for c, d, v in rows]).set_index("claim")
