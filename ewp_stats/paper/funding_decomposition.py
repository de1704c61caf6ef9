"""How the partnership's funds changed, 2003-2007: sources of the change, and intensity vs scale.

Decompositions computed by the generic :mod:`ewp_stats.engines.decompose`:

* **intensity and scale** (:func:`intensity_scale`): government aid (and, separately,
  enterprise money) as the product identity ``aid = (aid / donor GDP) x donor GDP``, its change
  split with LMDI-I into a *scale* effect (the donors' economies grew) and an *intensity* effect
  (aid per unit of donor GDP changed). This is the decomposition that answers the paper's "stable
  base, increasing every year" relative to the donors' capacity. Donor GDP is that of the paired
  eastern donors (:data:`PAIRED_DONORS`, :func:`donor_gdp`).
* **additive year-on-year contributions** (:func:`contributions`): ``T_t - T_{t-1} =
  sum_i (x_it - x_i,t-1)`` for the total ``T`` of a convention's components
  (:func:`ewp_stats.paper.funding_table.component_amounts`). Divided by ``T_{t-1}`` each
  source's change is its contribution to growth in percentage points.
* **LMDI over the sum** (:func:`lmdi`): kept for completeness. For a plain sum its source shares
  of the log change equal the additive shares of the change exactly, so it adds nothing to
  :func:`contributions`.

Every function defaults to :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION` (each
source counted once); the paper's double-counted reading is ``convention="as_printed"``.

References
----------
Ang, B. W. (2015). LMDI decomposition approach: a guide for implementation. *Energy Policy*
86, 233-238; Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
*Energy Policy* 33(7), 867-871 (see :mod:`ewp_stats.engines.decompose`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result
from ewp_stats.data.vocab import FUNDING_YEARS as YEARS
from ewp_stats.engines.decompose import additive_contributions, lmdi_effects
from ewp_stats.errors import DataValidationError, InputError
from ewp_stats.paper.funding_table import (
    DEFAULT_CONVENTION,
    FundingTable,
    component_amounts,
    funding_table,
    get_convention,
)

__all__ = [
    "Contributions",
    "contributions",
    "LMDIDecomposition",
    "lmdi",
    "PAIRED_DONORS",
    "DONOR_SETS",
    "DEFAULT_GDP_VINTAGE",
    "INTENSITY_UNIT",
    "INTENSITY_SERIES",
    "donor_provinces",
    "donor_gdp",
    "aid_intensity",
    "IntensityScale",
    "intensity_scale",
    "intensity_sensitivity",
]


def _year(year: int | str, what: str) -> str:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise InputError(f"{what} {year!r} is not a year; Table 1 covers "
                         f"{YEARS[0]}-{YEARS[-1]}") from None
    if y not in YEARS:
        raise InputError(f"{what} {year!r} is outside Table 1; valid years: "
                         f"{', '.join(map(str, YEARS))}")
    return str(y)


# =============================================================================================
# results


@dataclass(frozen=True, eq=False)
class Contributions(Result):
    """Year-on-year change of total funds split into additive source contributions.

    Attributes
    ----------
    convention
        The accounting convention.
    frame
        Index (``step`` e.g. ``"2003-2004"``, ``source``); columns ``start``, ``end``,
        ``change`` (million yuan), ``share_of_change`` and ``contribution_pp`` (percentage
        points of the total's growth).
    totals
        Index ``step``; columns ``total_start``, ``total_end``, ``total_change``,
        ``growth_pct``, ``sum_of_changes`` and ``discrepancy`` (sum of changes - total change,
        0 up to floating point).
    """

    convention: str
    frame: pd.DataFrame
    totals: pd.DataFrame
    _title: ClassVar[str] = "Year-on-year contributions to the change in total funds"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        pp = self.frame["contribution_pp"].unstack("step")
        pp = pp.loc[list(dict.fromkeys(self.frame.index.get_level_values("source")))]
        return "\n".join([
            f"{self.title} under {self.convention!r} (percentage points of growth)",
            pp.to_string(float_format=lambda v: f"{v:+.2f}"),
            "total growth (%): " + ", ".join(
                f"{k} {v:+.1f}" for k, v in self.totals["growth_pct"].items()),
            f"largest |sum of contributions - total change|: "
            f"{self.totals['discrepancy'].abs().max():.3g} million yuan",
        ])


def contributions(funding: pd.DataFrame | FundingTable | None = None, *,
                  convention: str = DEFAULT_CONVENTION) -> Contributions:
    """Additive contributions of each source to the year-on-year change in total funds.

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS`; default
        :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION` (each source counted once).
        The paper's double-counted reading is ``"as_printed"``.
    """
    conv = get_convention(convention)
    comp = component_amounts(funding_table(funding), convention=conv)
    years = [str(y) for y in YEARS]
    frames, totals = [], []
    for a, b in zip(years[:-1], years[1:], strict=True):
        step = f"{a}-{b}"
        c = additive_contributions(comp[a], comp[b])
        c["contribution_pp"] = c["contribution_to_growth"] * 100
        frames.append(c.drop(columns="contribution_to_growth").assign(step=step))
        t_s, t_e = math.fsum(comp[a]), math.fsum(comp[b])
        total_change = t_e - t_s
        sum_changes = math.fsum(c["change"])
        totals.append({"step": step, "total_start": t_s, "total_end": t_e,
                       "total_change": total_change, "growth_pct": total_change / t_s * 100,
                       "sum_of_changes": sum_changes,
                       "discrepancy": sum_changes - total_change})
    frame = pd.concat(frames).rename_axis("source").reset_index()
    frame = frame.set_index(["step", "source"])
    return Contributions(conv.name, frame, pd.DataFrame(totals).set_index("step"))


@dataclass(frozen=True, eq=False)
class LMDIDecomposition(Result):
    """LMDI-I decomposition of the growth of total funds between two years.

    Attributes
    ----------
    convention, start_year, end_year
        What was decomposed.
    frame
        Index ``source``; see :func:`ewp_stats.engines.decompose.lmdi_effects` for the columns.
    total_start, total_end
        Total funds in the two years (million yuan).
    log_change
        ``ln(total_end / total_start)``.
    sum_of_effects
        Sum of the source effects (equals ``log_change`` up to floating point).
    """

    convention: str
    start_year: int
    end_year: int
    frame: pd.DataFrame
    total_start: float
    total_end: float
    log_change: float
    sum_of_effects: float
    _title: ClassVar[str] = "LMDI decomposition of the change in total funds"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        cols = ["start", "end", "log_effect", "factor", "share_of_log_change"]
        return "\n".join([
            f"{self.title}, {self.start_year} -> {self.end_year}, convention "
            f"{self.convention!r}",
            f"total {self.total_start:.3f} -> {self.total_end:.3f} million yuan "
            f"(x{self.total_end / self.total_start:.4f}, log change {self.log_change:+.6f})",
            self.frame[cols].to_string(float_format=lambda v: f"{v:.6g}"),
            f"sum of effects {self.sum_of_effects:+.6f} "
            f"(gap {self.sum_of_effects - self.log_change:.2e})",
        ])


def lmdi(start_year: int | str, end_year: int | str,
         funding: pd.DataFrame | FundingTable | None = None, *,
         convention: str = DEFAULT_CONVENTION) -> LMDIDecomposition:
    """LMDI-I decomposition of the change in total funds between any two years of Table 1.

    Total funds are a plain sum, so each source's share of the log change equals its share of
    the change (:func:`contributions`); for a decomposition LMDI adds something to, see
    :func:`intensity_scale`.

    Parameters
    ----------
    start_year, end_year
        Two different years in 2003-2007 (``end_year`` may precede ``start_year``).
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS`; default
        :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION` (each source counted once).
        The paper's double-counted reading is ``"as_printed"``.

    Raises
    ------
    InputError
        A year outside Table 1, equal years, or an unknown convention.
    """
    s, e = _year(start_year, "start_year"), _year(end_year, "end_year")
    if s == e:
        raise InputError(f"start_year and end_year are both {s}; give two different years")
    conv = get_convention(convention)
    comp = component_amounts(funding_table(funding), convention=conv)
    frame = lmdi_effects(comp[s], comp[e])
    t_s, t_e = math.fsum(comp[s]), math.fsum(comp[e])
    return LMDIDecomposition(conv.name, int(s), int(e), frame, t_s, t_e, math.log(t_e / t_s),
                             math.fsum(frame["log_effect"]))


# =============================================================================================
# intensity and scale: aid = (aid / donor GDP) x donor GDP


#: The donor provinces of the partnership in 2003-2007, the nine eastern provinces and
#: municipalities the 1996 State Council pairing assigned a western counterpart (section 1.1 of
#: the paper). The donor cities of that list (Dalian, Qingdao, Shenzhen, Ningbo) and of the 2002
#: addition (Zhuhai, Xiamen) lie inside Liaoning, Shandong, Guangdong, Zhejiang and Fujian, so
#: their GDP is part of these provinces'. Liaoning is a donor although the paper's "east" group
#: (``paper_group`` in ``regions``) leaves it out; Hebei and Hainan are in that group but had no
#: counterpart.
PAIRED_DONORS: tuple[str, ...] = ("Beijing", "Tianjin", "Liaoning", "Shanghai", "Jiangsu",
                                  "Zhejiang", "Fujian", "Shandong", "Guangdong")
#: Donor sets for :func:`donor_gdp`, the paired donors or the paper's eastern group.
DONOR_SETS: tuple[str, ...] = ("paired", "east")
#: GDP vintage used by default, the pre-2020-revision NBS figures (compendium and yearbooks),
#: the figures known when Table 1 was compiled (LGOP 2009). ``"nbs_2021"`` is the alternative.
DEFAULT_GDP_VINTAGE = "gcam_compendium"
#: Unit of aid intensity.
INTENSITY_UNIT = "yuan per 10,000 yuan of donor GDP"
#: Conversion factor for :func:`aid_intensity`. Table 1 is in million yuan (1e6 yuan) and GDP
#: in 100 million yuan (1e8 yuan), so aid_yuan / (gdp_yuan / 1e4) = aid_million * 1e6 /
#: (gdp_100m * 1e8 / 1e4) = 100 * aid / gdp.
YUAN_PER_10K_GDP_PER_MILLION_PER_100M = 100.0
#: The two series decomposed, the convention's government funds and its enterprise money.
INTENSITY_SERIES: tuple[str, ...] = ("government", "enterprise")


def donor_provinces(*, donors: str = "paired", regions: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The provinces whose GDP is the donors' capacity.

    Parameters
    ----------
    donors
        ``"paired"`` (:data:`PAIRED_DONORS`) or ``"east"`` (``paper_group == "east"`` in the
        ``regions`` dataset, in its order).
    regions
        The ``regions`` table (index ``province``, column ``paper_group``); default the shipped one.

    Raises
    ------
    InputError
        Unknown donor set.
    """
    if donors not in DONOR_SETS:
        raise InputError(f"unknown donor set {donors!r}; valid: {', '.join(DONOR_SETS)}")
    if donors == "paired":
        return PAIRED_DONORS
    if regions is None:
        from ewp_stats import data

        regions = data.load("regions")
    return tuple(regions.index[regions["paper_group"] == "east"])


def donor_gdp(*, donors: str = "paired", vintage: str = DEFAULT_GDP_VINTAGE,
              gdp: pd.DataFrame | None = None) -> pd.Series:
    """Donor provinces' nominal GDP, 2003-2007 (100 million yuan, current prices).

    Parameters
    ----------
    donors
        A key of :data:`DONOR_SETS` (see :func:`donor_provinces`).
    vintage
        A vintage of the ``province_gdp`` dataset covering 2003-2007 (default
        :data:`DEFAULT_GDP_VINTAGE`).
    gdp
        The ``province_gdp`` table (index ``vintage``, ``province``, ``year``; column ``gdp``);
        default the shipped one.

    Returns
    -------
    Series
        Index ``year`` (int, 2003-2007): the sum over the donor provinces.

    Raises
    ------
    InputError
        Unknown donor set.
    DataValidationError
        A donor province lacks GDP for a year of Table 1 in that vintage (nothing is filled in).
    """
    provinces = donor_provinces(donors=donors)
    if gdp is None:
        from ewp_stats import data

        gdp = data.load("province_gdp")
    g = gdp.reset_index()
    if vintage not in set(g["vintage"]):
        raise InputError(f"unknown GDP vintage {vintage!r}; valid: "
                         f"{', '.join(sorted(set(g['vintage'])))}")
    g = g[(g["vintage"] == vintage) & g["province"].isin(provinces) & g["year"].isin(YEARS)]
    wide = g.pivot(index="province", columns="year", values="gdp").reindex(
        index=list(provinces), columns=list(YEARS))
    holes = wide.isna().stack()
    if holes.any():
        province, year = holes[holes].index[0]
        raise DataValidationError(
            f"no GDP for donor {province} in {year} (vintage {vintage!r}); donor GDP needs every "
            f"donor in {YEARS[0]}-{YEARS[-1]}", file="province_gdp", row=f"{vintage}/{province}/{year}",
            column="gdp")
    out = wide.sum().astype("float64").rename("donor_gdp")
    out.index.name = "year"
    return out


def aid_intensity(aid_million: float | pd.Series, gdp_100m: float | pd.Series) -> float | pd.Series:
    """Aid per 10,000 yuan of donor GDP, from aid in million yuan and GDP in 100 million yuan."""
    return YUAN_PER_10K_GDP_PER_MILLION_PER_100M * aid_million / gdp_100m


@dataclass(frozen=True, eq=False)
class IntensityScale(Result):
    """Aid split into an intensity effect (aid per donor GDP) and a scale effect (donor GDP).

    Attributes
    ----------
    convention, donors, vintage
        The accounting convention (which rows are government funds and enterprise money), the
        donor set and the GDP vintage.
    levels
        Index (``series``, ``year``); columns ``aid`` (million yuan), ``donor_gdp`` (100 million
        yuan) and ``intensity`` (:data:`INTENSITY_UNIT`).
    frame
        Index (``series``, ``step``): the four year-on-year steps and ``2003-2007`` (first to
        last year, computed directly). Columns ``aid_start``, ``aid_end``, ``change`` (million
        yuan), ``intensity_start``, ``intensity_end``, ``intensity_effect``, ``scale_effect``
        (million yuan, LMDI-I; they sum to ``change``), ``intensity_factor``, ``scale_factor``
        (multiplicative LMDI-I; they multiply to ``aid_end / aid_start``), ``aid_factor``,
        ``discrepancy`` (sum of effects - change) and ``constant_intensity_change`` (the
        counterfactual ``aid_start x (scale_factor - 1)``: how much aid would have changed had
        it kept its start-year ratio to donor GDP; not the LMDI scale effect, which weights
        ``ln scale_factor`` by the logarithmic mean of the two aid levels).
    trend
        Index ``series``: the exact Kendall trend test of the intensity over the five years
        (:func:`ewp_stats.paper.funding.kendall_trend`; NaN if two years have the same
        intensity, where the exact test does not apply), ``n_intensity_declines`` and
        ``n_intensity_rises`` (of the four year-on-year steps).
    chain
        Index ``series``: ``scale_effect_chained`` and ``intensity_effect_chained`` (sums of the
        four year-on-year effects), ``scale_effect_direct`` and ``intensity_effect_direct`` (the
        ``2003-2007`` step), and ``scale_chain_gap``, ``intensity_chain_gap`` (chained - direct;
        the two gaps cancel, since both sums add up to the same change).
    """

    convention: str
    donors: str
    vintage: str
    levels: pd.DataFrame
    frame: pd.DataFrame
    trend: pd.DataFrame
    chain: pd.DataFrame
    _title: ClassVar[str] = "Intensity and scale effects on aid, 2003-2007"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        cols = ["aid_start", "aid_end", "change", "intensity_effect", "scale_effect",
                "intensity_factor", "scale_factor"]
        return "\n".join([
            f"{self.title} (convention {self.convention!r}, donors {self.donors!r}, GDP vintage "
            f"{self.vintage!r}; million yuan)",
            self.frame[cols].to_string(float_format=lambda v: f"{v:.4g}"),
            f"intensity ({INTENSITY_UNIT}):",
            self.levels["intensity"].unstack("year").to_string(float_format=lambda v: f"{v:.4f}"),
            "LMDI-I is not chain-consistent: yearly effects summed vs the direct 2003-2007 step",
            self.chain.to_string(float_format=lambda v: f"{v:.1f}"),
        ])


def intensity_scale(funding: pd.DataFrame | FundingTable | None = None, *,
                    convention: str = DEFAULT_CONVENTION, donors: str = "paired",
                    vintage: str = DEFAULT_GDP_VINTAGE,
                    gdp: pd.DataFrame | None = None) -> IntensityScale:
    """Decompose government aid and enterprise money into intensity and scale effects.

    Each series is written as the product identity ``aid = (aid / donor GDP) x donor GDP`` and
    its change between two years split with LMDI-I
    (:func:`ewp_stats.engines.decompose.lmdi_product_effects`): the *scale* effect is
    ``L(aid_end, aid_start) x ln(GDP_end / GDP_start)`` and the *intensity* effect
    ``L(aid_end, aid_start) x ln(intensity_end / intensity_start)``, with ``L`` the logarithmic
    mean; the two sum to the change exactly. The scale effect is not the counterfactual change
    at constant intensity, ``aid_start x (GDP_end / GDP_start - 1)``, which is reported
    separately as ``constant_intensity_change`` (it leaves a residual, the interaction of the
    two factors, that LMDI-I shares out).

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        Which rows are government funds (printed subtotal or sum of levels) and enterprise money
        (contracted or paid-in); default
        :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION`. ``as_printed`` counts the
        same government rows as ``sources``.
    donors, vintage, gdp
        Donor GDP, see :func:`donor_gdp`.

    Raises
    ------
    InputError
        Unknown convention, donor set or vintage.

    Notes
    -----
    Table 1 reports the partnership as a whole (LGOP's national figures), not one donor-recipient
    pair, so the capacity is the summed GDP of the donors (:data:`PAIRED_DONORS` by default).
    Who paid what inside the total is unknown, so the intensity is an average over donors. The
    ``2003-2007`` step is computed from the two end years. LMDI-I is not chain-consistent: the
    sums of the four yearly effects (``chain``) differ from the direct step's effects, for
    government aid by about a tenth for the scale effect and a third for the intensity effect,
    so the yearly effects and the direct step must not be added or compared as if they were
    parts of one split.
    """
    from ewp_stats.engines.decompose import lmdi_product_effects
    from ewp_stats.paper.funding import kendall_trend

    conv = get_convention(convention)
    table = funding_table(funding)
    g = donor_gdp(donors=donors, vintage=vintage, gdp=gdp)
    years = [str(y) for y in YEARS]
    amounts = {"government": conv.government_amounts(table)[years],
               "enterprise": table.amounts.loc[list(conv.enterprise), years].sum()}
    level_rows, rows, trend_rows = [], [], []
    steps = [*zip(YEARS[:-1], YEARS[1:], strict=True), (YEARS[0], YEARS[-1])]
    for name in INTENSITY_SERIES:
        aid = pd.Series(amounts[name].to_numpy(dtype="float64"), index=list(YEARS))
        intensity = aid_intensity(aid, g)
        for y in YEARS:
            level_rows.append({"series": name, "year": y, "aid": float(aid[y]),
                               "donor_gdp": float(g[y]), "intensity": float(intensity[y])})
        for a, b in steps:
            # factors in consistent units: aid/GDP (million per 100 million) x GDP (100 million)
            fs = pd.Series({"intensity": aid[a] / g[a], "scale": g[a]})
            fe = pd.Series({"intensity": aid[b] / g[b], "scale": g[b]})
            eff = lmdi_product_effects(fs, fe)
            change = float(aid[b] - aid[a])
            rows.append({
                "series": name, "step": f"{a}-{b}", "aid_start": float(aid[a]),
                "aid_end": float(aid[b]), "change": change,
                "intensity_start": float(intensity[a]), "intensity_end": float(intensity[b]),
                "intensity_effect": float(eff.at["intensity", "additive_effect"]),
                "scale_effect": float(eff.at["scale", "additive_effect"]),
                "intensity_factor": float(eff.at["intensity", "factor"]),
                "scale_factor": float(eff.at["scale", "factor"]),
                "aid_factor": float(aid[b] / aid[a]),
                "discrepancy": math.fsum(eff["additive_effect"]) - change,
                "constant_intensity_change": float(aid[a] * (g[b] / g[a] - 1.0))})
        values = intensity.to_numpy()
        if len(np.unique(values)) < len(values):  # the exact test needs distinct values
            trend = dict.fromkeys(("kendall_tau", "p_increasing", "p_decreasing", "p_two_sided"),
                                  math.nan)
        else:
            trend = kendall_trend(values)
        trend_rows.append({"series": name, "kendall_tau": trend["kendall_tau"],
                           "p_increasing": trend["p_increasing"],
                           "p_decreasing": trend["p_decreasing"],
                           "p_two_sided": trend["p_two_sided"],
                           "n_intensity_declines": int((np.diff(intensity.to_numpy()) < 0).sum()),
                           "n_intensity_rises": int((np.diff(intensity.to_numpy()) > 0).sum())})
    frame = pd.DataFrame(rows).set_index(["series", "step"])
    return IntensityScale(conv.name, donors, vintage,
                          pd.DataFrame(level_rows).set_index(["series", "year"]), frame,
                          pd.DataFrame(trend_rows).set_index("series"), _chain(frame))


def _chain(frame: pd.DataFrame) -> pd.DataFrame:
    """Sums of the yearly LMDI-I effects next to the direct first-to-last-year effects."""
    direct = f"{YEARS[0]}-{YEARS[-1]}"
    rows = []
    for name in INTENSITY_SERIES:
        f = frame.xs(name, level="series")
        yearly = f.drop(index=direct)
        row: dict[str, object] = {"series": name}
        for effect in ("scale", "intensity"):
            chained = math.fsum(yearly[f"{effect}_effect"])
            row[f"{effect}_effect_chained"] = chained
            row[f"{effect}_effect_direct"] = float(f.at[direct, f"{effect}_effect"])
            row[f"{effect}_chain_gap"] = chained - float(f.at[direct, f"{effect}_effect"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("series")


def intensity_sensitivity(funding: pd.DataFrame | FundingTable | None = None, *,
                          convention: str = DEFAULT_CONVENTION, series: str = "government",
                          gdp: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 2003-2007 intensity/scale split of one series under each donor set and GDP vintage.

    Returns
    -------
    DataFrame
        Index (``donors``, ``vintage``) over :data:`DONOR_SETS` x (``gcam_compendium``,
        ``nbs_2021``); columns ``intensity_2003``, ``intensity_2007``
        (:data:`INTENSITY_UNIT`), ``intensity_factor``, ``scale_factor``, ``intensity_effect``
        and ``scale_effect`` (million yuan).

    Raises
    ------
    InputError
        ``series`` is not one of :data:`INTENSITY_SERIES`.
    """
    if series not in INTENSITY_SERIES:
        raise InputError(f"unknown series {series!r}; valid: {', '.join(INTENSITY_SERIES)}")
    step = f"{YEARS[0]}-{YEARS[-1]}"
    rows = []
    for donors in DONOR_SETS:
        for vintage in (DEFAULT_GDP_VINTAGE, "nbs_2021"):
            r = intensity_scale(funding, convention=convention, donors=donors, vintage=vintage,
                                gdp=gdp).frame.loc[(series, step)]
            rows.append({"donors": donors, "vintage": vintage,
                         "intensity_2003": r["intensity_start"], "intensity_2007": r["intensity_end"],
                         "intensity_factor": r["intensity_factor"], "scale_factor": r["scale_factor"],
                         "intensity_effect": r["intensity_effect"], "scale_effect": r["scale_effect"]})
    return pd.DataFrame(rows).set_index(["donors", "vintage"])
