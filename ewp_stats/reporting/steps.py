"""The one registry of ``ewp-stats reproduce`` steps: what each book chapter publishes.

Each step calls the paper's analyses (``ewp_stats.paper``) and the chapter's figure functions
(``ewp_stats.reporting.figures``) and returns a :class:`StepOutput`: named tables, headline
values and figures. :mod:`ewp_stats.reporting.reproduce` writes them to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from ewp_stats import data
from ewp_stats.paper import claims, eras, funding, funding_decomposition, xinjiang
from ewp_stats.reporting.figures import claims as claims_figures
from ewp_stats.reporting.figures import eras as eras_figures
from ewp_stats.reporting.figures import funding as funding_figures
from ewp_stats.reporting.figures import xinjiang as xinjiang_figures

__all__ = ["StepOutput", "STEPS"]


@dataclass
class StepOutput:
    """What one analysis step produces."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)


def data_step() -> StepOutput:
    """The data chapter: the east/west ratio by vintage, the dataset list and the paper's endpoints."""
    ratio = data.load("east_west_ratio")
    wide = ratio["ratio"].unstack("vintage")
    values = {f"ratio_{v}_{y}": float(ratio.loc[(v, y), "ratio"]) for v, y in
              [("gcam_compendium", 1979), ("gcam_compendium", 1997), ("gcam_compendium", 1998),
               ("gcam_compendium", 2007), ("csy2009_first_release", 2007), ("nbs_2021", 2007),
               ("nbs_2021", 2019)]}
    return StepOutput(tables={"east_west_ratio": ratio, "ratio_by_vintage": wide,
                              "datasets": data.list_datasets()}, values=values)


def eras_step() -> StepOutput:
    """The eras chapter: every table of :func:`~ewp_stats.paper.eras.eras_analysis` and one figure
    per vintage (GDP ratio, level) with the estimated breaks and the paper's eras."""
    result = eras.eras_analysis()
    tables = {name: getattr(result, name) for name in ("chow", "search", "trends", "diagnostics", "robustness")}
    figures = {f"ratio_{vintage}": fig for vintage, fig in eras_figures.make_figures(result).items()}
    values = {f"n_breaks_bic_{r.vintage}_{r.measure}_{r.transform}": r.m_bic
              for r in result.search.itertuples() if r.status == "ok"}
    return StepOutput(tables=tables, values=values, figures=figures)


def funding_step() -> StepOutput:
    """The funding chapter: the Table 1 reconstruction, shares and decompositions per convention."""
    tables = {
        "reconstruction": funding.reconstruct().to_frame(),
        "shares_by_convention": funding.shares_by_convention(),
        "paper_shares": funding.paper_shares().to_frame(),
        "government_levels": funding.government_levels().to_frame(),
        "stability": funding.stability().to_frame(),
        "cross_checks": funding.aggregate_cross_checks(),
    }
    for conv in funding.list_conventions().index:
        tables[f"composition_{conv}"] = funding.composition(conv).to_frame()
        tables[f"contributions_{conv}"] = funding_decomposition.contributions(conv).to_frame()
        tables[f"lmdi_2003_2007_{conv}"] = funding_decomposition.lmdi(2003, 2007, conv).to_frame()
    figures = {
        "composition": funding_figures.plot_composition(),
        "government_levels": funding_figures.plot_government_levels(),
        "contributions": funding_figures.plot_contributions(),
        "paper_shares": funding_figures.plot_paper_shares(),
    }
    return StepOutput(tables=tables, figures=figures)


def xinjiang_step() -> StepOutput:
    """The Xinjiang chapter: outcome series, growth comparisons (difference-in-differences), the
    synthetic control with its placebo and leave-one-out checks, the news item's figures as far as
    the data reach, and the chapter's figures."""
    xj = xinjiang
    did = {f"did_{region}_{rule}": xj.growth_comparison(region, rule)
           for region in ("west", "all") for rule in ("baseline", "strict")}
    did["did_all_baseline_per_capita"] = xj.growth_comparison("all", outcome="real_per_capita_growth")
    sc, placebo, loo = xj.xinjiang_synth(), xj.xinjiang_placebo(), xj.xinjiang_leave_one_out()
    sc_index, placebo_index = xj.xinjiang_synth("real_gdp_index"), xj.xinjiang_placebo("real_gdp_index")
    tables = {"outcome_series": xj.outcome_series()}
    tables |= {name: r.to_frame() for name, r in did.items()}
    tables |= {"synth_path": sc.to_frame(), "synth_weights": sc.weight_series.to_frame("weight"),
               "synth_placebo": placebo.to_frame(), "synth_leave_one_out": loo.to_frame(),
               "synth_index_path": sc_index.to_frame(), "synth_index_placebo": placebo_index.to_frame()}
    values = {
        "average_real_growth_2001_2010": xj.average_real_growth(2001, 2010),
        "average_real_growth_2011_2019": xj.average_real_growth(2011, 2019),
        "average_real_growth_2013_2019": xj.average_real_growth(2013, 2019),
        "real_gdp_multiple_2012_2019": xj.real_gdp_multiple(2012, 2019),
        "nominal_gdp_multiple_2012_2019": xj.nominal_gdp_multiple(2012, None, 2019),
        "nominal_gdp_multiple_2012_2022_claimed": xj.nominal_gdp_multiple(2012),
        "implied_nominal_growth_2020_2022": xj.implied_nominal_growth_2020_2022(),
        "implied_real_growth_2020_2022": xj.implied_real_growth_2020_2022(6.6, 2012),
        "implied_real_growth_for_real_doubling": xj.implied_real_growth_for_real_doubling(2012),
        "aid_share_of_gdp": xj.aid_share_of_gdp(),
        "synth_pre_rmspe": sc.pre_rmspe,
        "synth_rmspe_ratio": placebo.ratios[0],
        "synth_placebo_p_value": placebo.p_value,
        "synth_index_placebo_p_value": placebo_index.p_value,
    }
    for name, r in did.items():
        values[f"{name}_estimate"] = r.estimate
    figures = {
        "growth_comparison": xinjiang_figures.plot_growth_comparison(did["did_west_baseline"], did["did_all_baseline"]),
        "synth_path": xinjiang_figures.plot_xinjiang_synth_path(sc),
        "synth_gaps": xinjiang_figures.plot_xinjiang_synth_gaps(placebo),
    }
    return StepOutput(tables=tables, values=values, figures=figures)


def claims_step() -> StepOutput:
    """The claims chapter: the audit table, counts by document and the status figure."""
    result = claims.audit()
    frame = result.to_frame()
    frame["alt_reproduces"] = frame["alt_reproduces"].map(lambda v: "" if v is None else str(bool(v)))
    values = {f"n_{s}": float(n) for s, n in result.counts.items()}
    values["n_claims"] = float(len(frame))
    return StepOutput(tables={"audit": frame, "counts_by_document": result.counts_by_document},
                      values=values, figures={"status_by_document": claims_figures.plot_status_by_document(result)})


#: The analysis steps in order, each name mapped to a function returning a :class:`StepOutput`.
STEPS: dict[str, Callable[[], StepOutput]] = {
    "data": data_step,
    "eras": eras_step,
    "funding": funding_step,
    "xinjiang": xinjiang_step,
    "claims": claims_step,
}
