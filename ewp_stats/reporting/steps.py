"""The one registry of ``ewp-stats reproduce`` steps: what each book chapter publishes.

Each step calls the paper's analyses (``ewp_stats.paper``) and the chapter's figure functions
(``ewp_stats.reporting.figures``) and returns a :class:`StepOutput`: named tables, headline
values and figures. :mod:`ewp_stats.reporting.reproduce` writes them to disk and
``ewp_stats.reporting.glue.publish`` glues the same values into the book.

Keys
----
Every number gets a readable key in ``values.json`` (see :func:`value_key`):

* a headline value: ``<step>/<name>`` or ``<step>/<name>/<param>=<value>/...``, e.g.
  ``xinjiang/average_real_growth/first=2001/last=2010``;
* a table cell: ``<step>/<table>/<key>=<value>/.../<column>``, e.g.
  ``eras/chow/vintage=nbs_2021/measure=ratio/transform=level/test=2008/F``. The ``key=value``
  parts are the table's declared key columns (:attr:`StepOutput.keys`) or, when none are
  declared, its named index levels; a row position never appears in a key.

Key parts are made of letters, digits and ``_ . + - | ( )``; any other run of characters (a space,
a comma, ``%``) becomes one ``_``. ``/`` separates parts, ``=`` joins a key column and its value,
and ``:`` never occurs (the book's ``{glue:text}`` role splits its argument at the last ``:``).
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ewp_stats import data, printed
from ewp_stats.engines.did import DidResult
from ewp_stats.engines.power import minimum_detectable_effect
from ewp_stats.errors import InputError
from ewp_stats.paper import (
    claim_functions,
    claims,
    eras,
    eras_cusum,
    eras_grid,
    eras_montecarlo,
    eras_unitroot,
    funding,
    funding_decomposition,
    vintages,
    xinjiang,
    xinjiang_estimators,
)
from ewp_stats.reporting.figures import claims as claims_figures
from ewp_stats.reporting.figures import data as data_figures
from ewp_stats.reporting.figures import eras as eras_figures
from ewp_stats.reporting.figures import funding as funding_figures
from ewp_stats.reporting.figures import xinjiang as xinjiang_figures

__all__ = ["StepOutput", "STEPS", "key_part", "value_key", "select_steps"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.+|()-]+")


def key_part(x: Any) -> str:
    """One part of a ``values.json`` key: a label with only safe characters.

    Parameters
    ----------
    x
        A table name, column name, index label or parameter value. Integral floats print as
        integers (``1998.0`` -> ``"1998"``), booleans as ``True``/``False``.

    Returns
    -------
    str
        ``str(x)`` with every run of characters other than letters, digits and ``_ . + - | ( )``
        replaced by one ``_`` (and no ``_`` at either end).

    Raises
    ------
    ValueError
        The label is empty after cleaning.
    """
    if isinstance(x, (bool, np.bool_)):
        text = str(bool(x))
    elif isinstance(x, (float, np.floating)) and float(x).is_integer():
        text = str(int(x))
    else:
        text = str(x)
    part = _UNSAFE.sub("_", text).strip("_")
    if not part:
        raise ValueError(f"{x!r} gives an empty key part")
    return part


def value_key(name: str, **params: Any) -> str:
    """The key of a headline value: ``name/param=value/...`` in the order given.

    >>> value_key("average_real_growth", first=2001, last=2010)
    'average_real_growth/first=2001/last=2010'
    """
    return "/".join([key_part(name), *(f"{key_part(k)}={key_part(v)}" for k, v in params.items())])


@dataclass
class StepOutput:
    """What one analysis step produces.

    Attributes
    ----------
    tables
        Named tables (written as CSV; every finite numeric cell goes to ``values.json``).
    values
        Headline numbers by key (see :func:`value_key`).
    figures
        Named figures (written as PNG and SVG).
    keys
        For each table whose index is positional, the columns that identify its rows; a table not
        listed is keyed by its (named) index.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)


# --------------------------------------------------------------------------- data


def data_step() -> StepOutput:
    """The data chapter: the east/west ratio by vintage, the dataset list, the paper's endpoints,
    the coverage of each vintage and the figure of the ratio in both long vintages."""
    ratio = data.load("east_west_ratio")
    wide = ratio["ratio"].unstack("vintage")
    catalogue = data.list_datasets()
    values: dict[str, float] = {
        value_key("ratio", vintage=v, year=y): float(ratio.loc[(v, y), "ratio"]) for v, y in
        [("gcam_compendium", 1979), ("gcam_compendium", 1997), ("gcam_compendium", 1998),
         ("gcam_compendium", 2007), ("csy2009_first_release", 2007), ("nbs_2021", 2007), ("nbs_2021", 2019)]}
    values["n_datasets"] = float(len(catalogue))
    values["n_source_files"] = float(len({src["file"] for name in data.names()
                                          for src in data.metadata(name)["sources"]}))
    groups = data.load("regions")["paper_group"].value_counts()
    for group in ("east", "west", "other"):
        values[value_key("n_provinces", group=group)] = float(groups[group])
    values[value_key("n_provinces", group="all")] = float(groups.sum())
    for vintage in wide.columns:
        years = wide[vintage].dropna().index
        values[value_key("first_year", vintage=vintage)] = float(years.min())
        values[value_key("last_year", vintage=vintage)] = float(years.max())
    overlap = vintages.vintage_overlap(wide, "gcam_compendium", "nbs_2021")
    for name, value in overlap.items():
        values[f"overlap_{name}"] = value
    values[value_key("ratio_spread", year=2007)] = vintages.ratio_spread(wide, 2007)
    revision = vintages.gdp_revision(year=2007)
    values[value_key("gdp_revision_pct", year=2007, stat="max_abs")] = float(revision["revision_pct"].abs().max())
    return StepOutput(tables={"east_west_ratio": ratio, "ratio_by_vintage": wide, "datasets": catalogue,
                              "gdp_revision_2007": revision},
                      values=values, figures={"ratio_vintages": data_figures.plot_ratio_vintages(ratio)})


# --------------------------------------------------------------------------- eras

_SERIES_KEY = ("vintage", "measure", "transform")


def eras_step() -> StepOutput:
    """The eras chapter: the specification grid of :func:`~ewp_stats.paper.eras_grid.eras_grid`
    (every cell, its known-date tests with the Holm adjustment, its dating), the trends, residual
    diagnostics and break dates of :func:`~ewp_stats.paper.eras.eras_analysis`, and one figure per
    vintage (GDP ratio, level) with the estimated breaks and the paper's eras; the CUSUM tests of
    one straight trend (:func:`~ewp_stats.paper.eras_cusum.eras_cusum`) with their figure."""
    result = eras.eras_analysis()
    grid = eras_grid.eras_grid()
    cusum = eras_cusum.eras_cusum()
    tables = {name: getattr(result, name) for name in ("search", "trends", "diagnostics")}
    tables["breaks"] = result.break_table()
    tables["grid"] = grid.grid
    tables["grid_tests"] = grid.tests
    tables["cusum"] = cusum.table
    keys = {"search": _SERIES_KEY, "trends": ("vintage", "measure", "eras", "first"),
            "diagnostics": (*_SERIES_KEY, "eras"), "breaks": (*_SERIES_KEY, "break"), "cusum": ("vintage", "kind")}
    figures = {f"ratio_{vintage}": fig for vintage, fig in eras_figures.make_figures(result).items()}
    figures["grid_pvalues"] = eras_figures.plot_grid_pvalues(grid.tests)
    figures["cusum"] = eras_figures.plot_cusum(cusum.processes)
    values: dict[str, float] = {
        value_key("n_breaks_bic", vintage=r.vintage, measure=r.measure, transform=r.transform): r.m_bic
        for r in result.search.itertuples() if r.status == "ok"}
    for r in result.search[result.search["transform"] == "level"].itertuples():
        if r.measure == "ratio":  # the minimum regime and trimming of eras_analysis (the grid's)
            values[value_key("h", vintage=r.vintage)] = float(r.h)
            values[value_key("trim", vintage=r.vintage)] = float(r.trim)
    values["ci_level"] = float(result.options["level"])
    values["significance_level"] = 0.05
    values["bootstrap_B"] = float(grid.options["B"])
    values["bootstrap_mc_se_at_5pct"] = float(np.sqrt(0.05 * 0.95 / grid.options["B"]))
    for name, count in grid.counts().items():
        values[value_key("n_tests", family=name)] = float(count)
    values["n_cells"] = float(len(grid.grid))
    head = grid.tests[grid.tests["headline"]]
    values[value_key("headline", stat="min_p_bootstrap")] = float(head["p_bootstrap"].min())
    values[value_key("headline", stat="min_p_bootstrap_holm")] = float(head["p_bootstrap_holm"].min())
    values[value_key("headline", stat="min_p_asymptotic")] = float(head["p_asymptotic"].min())
    values[value_key("headline", stat="n_asymptotic_below_5pct")] = float((head["p_asymptotic"] < 0.05).sum())
    values[value_key("headline", stat="n_bootstrap_below_5pct")] = float((head["p_bootstrap"] < 0.05).sum())
    values[value_key("headline", stat="n_bootstrap_holm_below_5pct")] = float((head["p_bootstrap_holm"] < 0.05).sum())
    # the other residual choice of the sieve (alternative model's residuals: power, oversized)
    values[value_key("headline", stat="min_p_bootstrap_alt")] = float(head["p_bootstrap_alt"].min())
    values[value_key("headline", stat="min_p_bootstrap_alt_holm")] = float(head["p_bootstrap_alt_holm"].min())
    values[value_key("headline", stat="n_bootstrap_alt_below_5pct")] = float((head["p_bootstrap_alt"] < 0.05).sum())
    values[value_key("headline", stat="n_bootstrap_alt_holm_below_5pct")] = float(
        (head["p_bootstrap_alt_holm"] < 0.05).sum())
    dating = grid.grid.reset_index().drop_duplicates(["vintage", "measure"])
    dating = dating[dating["h"].notna()]
    values[value_key("dating", stat="n_series")] = float(len(dating))
    values[value_key("dating", stat="n_bootstrap_supF_1_0_below_5pct")] = float((dating["supF_1_0_p_bootstrap"] < 0.05).sum())
    values[value_key("dating", stat="n_asymptotic_supF_1_0_below_1pct")] = float(
        (dating["supF_1_0_p_asymptotic_below"] <= 0.01).sum())
    values[value_key("dating", stat="min_supF_1_0_p_bootstrap")] = float(dating["supF_1_0_p_bootstrap"].min())
    values[value_key("dating", stat="max_supF_1_0_p_bootstrap")] = float(dating["supF_1_0_p_bootstrap"].max())
    values[value_key("dating", stat="min_udmax_p_bootstrap")] = float(dating["udmax_p_bootstrap"].min())
    values[value_key("dating", stat="n_bootstrap_alt_supF_1_0_below_5pct")] = float(
        (dating["supF_1_0_p_bootstrap_alt"] < 0.05).sum())
    values[value_key("dating", stat="max_supF_1_0_p_bootstrap_alt")] = float(dating["supF_1_0_p_bootstrap_alt"].max())
    values[value_key("dating", stat="n_sequential_bootstrap_alt_with_break")] = float(
        (dating["m_sequential_bootstrap_alt"] > 0).sum())
    values[value_key("dating", stat="n_last_break_at_trim_boundary")] = float(dating["last_break_at_trim_boundary"].sum())
    values[value_key("dating", stat="n_bic_at_max")] = float(dating["bic_at_max"].sum())
    values[value_key("dating", stat="n_kink_bic_at_max")] = float(dating["kink_bic_at_max"].sum())
    for vintage in ("gcam_compendium", "nbs_2021"):
        years = result.series(vintage).index
        values[value_key("first_year", vintage=vintage)] = float(years[0])
        values[value_key("last_year", vintage=vintage)] = float(years[-1])
    tested = grid.tests[grid.tests["F"].notna()].reset_index()
    for vintage, lags in tested.groupby("vintage")["hac_lags"]:
        if lags.nunique() != 1:
            raise InputError(f"eras: Newey-West lags differ within {vintage}: {sorted(lags.unique())}")
        values[value_key("hac_lags", vintage=vintage)] = float(lags.iloc[0])
    ct = cusum.table
    values[value_key("cusum", stat="n_tests")] = float(len(ct))
    values[value_key("cusum", stat="n_asymptotic_below_5pct")] = float((ct["p_asymptotic"] < 0.05).sum())
    values[value_key("cusum", stat="n_bootstrap_below_5pct")] = float((ct["p_bootstrap"] < 0.05).sum())
    values[value_key("cusum", stat="min_p_bootstrap")] = float(ct["p_bootstrap"].min())
    values[value_key("cusum", stat="size_reps")] = float(cusum.options["size_reps"])
    # the fall of the NBS ratio from 2008, as a positive decline with its Newey-West interval
    tr = result.trends.set_index(["vintage", "measure", "eras", "first"])
    fall = tr.loc[("nbs_2021", "ratio", "paper", 2008)]
    values[value_key("decline_per_year", vintage="nbs_2021", first=2008)] = float(-fall["change_per_year"])
    values[value_key("decline_per_year_hac_lo", vintage="nbs_2021", first=2008)] = float(-fall["change_hac_hi"])
    values[value_key("decline_per_year_hac_hi", vintage="nbs_2021", first=2008)] = float(-fall["change_hac_lo"])
    seam = data.metadata("east_west_ratio")["vintage_seam"]
    values["vintage_seam_provinces"] = float(seam["provinces"])
    for year, count in seam["matching_provinces"].items():
        values[value_key("vintage_seam_matching_provinces", year=year)] = float(count)
    return StepOutput(tables=tables, values=values, figures=figures, keys=keys)


def eras_robustness_step() -> StepOutput:
    """The eras chapter's robustness section (issue 12): unit-root tests allowing a break
    (:func:`~ewp_stats.paper.eras_unitroot.unit_root_tests`) and the seeded Monte Carlo of the
    chapter's procedures at the data's design
    (:func:`~ewp_stats.paper.eras_montecarlo.eras_montecarlo`)."""
    ur = eras_unitroot.unit_root_tests()
    sim = eras_montecarlo.eras_montecarlo()
    unit_root = ur.table.copy()
    unit_root["reject_5pct"] = unit_root["reject_5pct"].astype("float64")
    for col in ("lags", "break_year", "regime_start", "nobs"):
        unit_root[col] = unit_root[col].astype("float64")
    tables = {"unit_root": unit_root, "montecarlo": sim.rates, "montecarlo_design": sim.design}
    keys = {"unit_root": (*_SERIES_KEY, "test"), "montecarlo": ("vintage", "errors", "dgp", "procedure", "target"),
            "montecarlo_design": ("vintage",)}
    ok = unit_root[unit_root["status"] == "ok"]
    za = ok[ok["test"].str.startswith("za_")]
    values: dict[str, float] = {
        "n_reps": float(sim.options["reps"]),
        "n_reps_za": float(sim.options["za_reps"]),
        "seed": float(sim.options["seed"]),
        "tolerance_years": float(sim.options["tolerance_years"]),
        value_key("mc_se_max", reps="all"): float(0.5 / np.sqrt(sim.options["reps"])),
        value_key("mc_se_max", reps="za"): float(0.5 / np.sqrt(sim.options["za_reps"])),
        value_key("mc_se", rate=0.05): float(np.sqrt(0.05 * 0.95 / sim.options["reps"])),
        value_key("n_tests", test="za"): float(len(za)),
        value_key("n_rejected", test="za"): float(za["reject_5pct"].sum()),
        value_key("n_tests", test="adf_ct"): float((ok["test"] == "adf_ct").sum()),
        value_key("n_rejected", test="adf_ct"): float(ok.loc[ok["test"] == "adf_ct", "reject_5pct"].sum()),
        value_key("n_not_computable", test="za"): float((unit_root["status"] != "ok").sum()),
        value_key("za_pvalue", stat="min"): float(za["pvalue"].min()),
        # Monte Carlo standard errors in percentage points (the tables are in %)
        value_key("mc_se_pp", rate=0.05): float(100 * np.sqrt(0.05 * 0.95 / sim.options["reps"])),
        value_key("mc_se_max_pp", reps="all"): float(100 * 0.5 / np.sqrt(sim.options["reps"])),
        value_key("mc_se_max_pp", reps="za"): float(100 * 0.5 / np.sqrt(sim.options["za_reps"])),
    }
    # the bootstrap Chow test's size: every date and design without a break, by kind of error
    rates = sim.rates
    size = rates[(rates["procedure"] == "chow_bootstrap") & (rates["dgp"] == "no_break")]
    ar = size[size["errors"] != "random_walk"]["rate"]
    rw = size[size["errors"] == "random_walk"]["rate"]
    values[value_key("bootstrap_size", errors="ar1", stat="min")] = float(ar.min())
    values[value_key("bootstrap_size", errors="ar1", stat="max")] = float(ar.max())
    values[value_key("bootstrap_size", errors="random_walk", stat="min")] = float(rw.min())
    values[value_key("bootstrap_size", errors="random_walk", stat="max")] = float(rw.max())
    return StepOutput(tables=tables, values=values, keys=keys)


# --------------------------------------------------------------------------- funding


def funding_step() -> StepOutput:
    """The funding chapter: the Table 1 reconstruction, shares, stability and the decompositions."""
    rec = funding.reconstruct()
    stability = funding.stability()
    tables = {
        "reconstruction": rec.to_frame(),
        "reconstruction_subsets": rec.subsets,
        "shares_by_convention": funding.shares_by_convention(),
        "paper_shares": funding.paper_shares().to_frame(),
        "government_levels": funding.government_levels().to_frame(),
        "stability": stability.to_frame(),
        "cross_checks": funding.aggregate_cross_checks(),
    }
    values: dict[str, float] = {
        value_key("n_subsets_matching", periods="any"): float(len(rec.subsets)),
        value_key("n_subsets_matching", periods="all"): float(rec.n_subsets_matching_every_period),
        "n_rows_in_identity": float(len(rec.derived_identity)),
        "identity_max_abs_difference": rec.derived_identity_max_abs_difference,
    }
    levels = rec.identities.xs("government.levels", level="identity")["difference"]
    values[value_key("abs_difference", identity="government.levels", period="2003")] = abs(float(levels.loc["2003"]))
    src = rec.identities.xs("total.sources", level="identity")["relative_difference"]
    values[value_key("relative_difference", identity="total.sources", stat="min")] = float(src.min())
    values[value_key("relative_difference", identity="total.sources", stat="max")] = float(src.max())
    shares = tables["paper_shares"]
    values[value_key("n_paper_shares_matching", convention="as_printed")] = float(
        shares.xs("as_printed", level="convention")["matches_printed"].sum())
    st = tables["stability"]
    values[value_key("n_declines", stat="min", over="levels")] = float(st.loc[list(funding.LEVELS), "n_declines"].min())
    values[value_key("decline", series="government_levels_sum", year=2006)] = float(
        -stability.yoy.at[("government_levels_sum", 2006), "growth"])
    values["stability_p_min_one_sided"] = stability.p_min_one_sided
    values["default_convention_is_sources"] = float(funding.DEFAULT_CONVENTION == "sources")
    amounts = funding.funding_table().amounts
    values[value_key("paid_in_over_contracted", period="2003-2007")] = float(
        amounts.at["real_investments", "2003-2007"] / amounts.at["enterprise_investments", "2003-2007"])
    for conv in funding.list_conventions().index:
        contrib = funding_decomposition.contributions(convention=conv)
        tables[f"composition_{conv}"] = funding.composition(convention=conv).to_frame()
        tables[f"contributions_{conv}"] = contrib.to_frame()
        values[value_key("contributions_max_abs_discrepancy", convention=conv)] = float(
            contrib.totals["discrepancy"].abs().max())
        for step, growth in contrib.totals["growth_pct"].items():
            values[value_key("total_growth_pct", convention=conv, step=step)] = float(growth)
    for conv in ("sources", "sources_levels", "paid_in"):  # government subtotal / levels; paid-in
        iscale = funding_decomposition.intensity_scale(convention=conv)
        tables[f"intensity_scale_{conv}"] = iscale.to_frame()
        values[value_key("intensity_max_abs_discrepancy", convention=conv)] = float(
            iscale.frame["discrepancy"].abs().max())
        tables[f"intensity_chain_{conv}"] = iscale.chain
        if conv == "sources":
            tables["intensity_levels"] = iscale.levels
            tables["intensity_trend"] = iscale.trend
            for series in funding_decomposition.INTENSITY_SERIES:
                lv = iscale.levels.xs(series, level="series")["intensity"]
                for stat in ("min", "max"):
                    values[value_key("intensity_level", series=series, stat=stat)] = float(lv.agg(stat))
        else:
            tables[f"intensity_trend_{conv}"] = iscale.trend
    sens = funding_decomposition.intensity_sensitivity()
    tables["intensity_sensitivity"] = sens
    for stat in ("min", "max"):
        values[value_key("intensity_sensitivity_factor", stat=stat)] = float(sens["intensity_factor"].agg(stat))
    values["enterprise_over_donations"] = float(
        amounts.at["enterprise_investments", "2003-2007"] / amounts.at["social_donations", "2003-2007"])
    # counts the chapter quotes (glued, not typed): the subsets searched, periods, years, steps, shares
    n_rows = len(funding.ITEMS) - 1  # the printed rows other than the Total
    values["n_subsets_tested"] = float(2**n_rows - 1)
    values["n_periods"] = float(len(amounts.columns))
    values["n_years"] = float(len(funding.YEARS))
    values["n_steps"] = float(len(funding.YEARS) - 1)
    values["n_paper_shares"] = float(len(funding.paper_shares().printed))
    values["n_orderings"] = float(math.factorial(len(funding.YEARS)))  # orderings of the years
    values["n_sensitivity_cases"] = float(len(sens))
    # magnitudes of negative results, so that the prose says "falls by" instead of a hyphen
    for conv in ("sources", "sources_levels"):
        trend = tables["intensity_trend" if conv == "sources" else f"intensity_trend_{conv}"]
        values[value_key("abs_kendall_tau", convention=conv, series="government")] = abs(
            float(trend.loc["government", "kendall_tau"]))
    isg = tables["intensity_scale_sources"].xs("government", level="series")
    values[value_key("intensity_decline", convention="sources", step="2006-2007")] = float(
        -isg.loc["2006-2007", "intensity_effect"])
    chain = tables["intensity_chain_sources"].loc["government"]
    for kind in ("chained", "direct"):
        values[value_key("intensity_decline_chain", convention="sources", kind=kind)] = float(
            -chain[f"intensity_effect_{kind}"])
    figures = {
        "composition": funding_figures.plot_composition(),
        "government_levels": funding_figures.plot_government_levels(),
        "contributions": funding_figures.plot_contributions(),
        "intensity_scale": funding_figures.plot_intensity_scale(),
        "paper_shares": funding_figures.plot_paper_shares(),
    }
    return StepOutput(tables=tables, values=values, figures=figures)


# --------------------------------------------------------------------------- xinjiang


def xinjiang_step() -> StepOutput:
    """The Xinjiang chapter: outcome series, growth comparisons (difference-in-differences), the
    synthetic control with its placebo and leave-one-out checks, the news item's figures as far as
    the data reach, and the chapter's figures."""
    xj = xinjiang
    did = {f"did_{region}_{rule}": xj.growth_comparison(region=region, rule=rule)
           for region in ("west", "all") for rule in ("baseline", "strict")}
    did["did_all_baseline_per_capita"] = xj.growth_comparison(region="all", outcome="real_per_capita_growth")
    did_params = {f"did_{region}_{rule}": dict(region=region, rule=rule, outcome="real_growth")
                  for region in ("west", "all") for rule in ("baseline", "strict")}
    did_params["did_all_baseline_per_capita"] = dict(region="all", rule="baseline", outcome="real_per_capita_growth")
    sc, placebo, loo = xj.xinjiang_synth(), xj.xinjiang_placebo(), xj.xinjiang_leave_one_out()
    sc_index, placebo_index = xj.xinjiang_synth(outcome="real_gdp_index"), xj.xinjiang_placebo(outcome="real_gdp_index")
    series = xj.outcome_series()
    tables = {"outcome_series": series, "news_claims": xj.news_claims()}
    tables |= {name: r.to_frame() for name, r in did.items()}
    tables |= {"synth_path": sc.to_frame(), "synth_weights": sc.weight_series.to_frame("weight"),
               "synth_placebo": placebo.to_frame(), "synth_leave_one_out": loo.to_frame(),
               "synth_index_path": sc_index.to_frame(), "synth_index_placebo": placebo_index.to_frame()}
    keys = {name: ("quantity", "method") for name in did}
    values: dict[str, float] = {}
    for first, last in ((2001, 2010), (2011, 2019), (2013, 2019)):
        values[value_key("average_real_growth", first=first, last=last)] = xj.average_real_growth(first, last)
    for first, last in ((2001, 2010), (2011, 2019)):
        values[value_key("average_real_per_capita_growth", first=first, last=last)] = xj.average_growth(
            series["real_gdp_per_capita"], first, last)
        values[value_key("average_population_growth", first=first, last=last)] = xj.average_growth(
            series["population"], first, last)
    values[value_key("real_gdp_multiple", base=2000, end=2019)] = xj.real_gdp_multiple(base_year=2000, end_year=2019)
    values[value_key("real_gdp_multiple", base=2012, end=2019)] = xj.real_gdp_multiple(base_year=2012, end_year=2019)
    values[value_key("nominal_gdp_multiple", base=2012, end=2019)] = xj.nominal_gdp_multiple(base_year=2012, gdp_end=None, end_year=2019)
    for base in (2012, 2013):
        values[value_key("nominal_gdp_multiple", base=base, end=2022, gdp_2022="claimed")] = xj.nominal_gdp_multiple(base_year=base)
        values[value_key("implied_real_growth_2020_2022", claimed_average=xj.CLAIMED_AVERAGE_GROWTH, base=base)] = \
            xj.implied_real_growth_2020_2022(claimed_average=xj.CLAIMED_AVERAGE_GROWTH, base_year=base)
    values["implied_nominal_growth_2020_2022"] = xj.implied_nominal_growth_2020_2022()
    values[value_key("implied_real_growth_for_real_doubling", base=2012)] = xj.implied_real_growth_for_real_doubling(base_year=2012)
    values[value_key("real_multiple_at_average_growth", rate_pct=xj.CLAIMED_AVERAGE_GROWTH, years=10)] = \
        xj.real_multiple_at_average_growth(rate_pct=xj.CLAIMED_AVERAGE_GROWTH, years=10)
    values["aid_share_of_gdp"] = xj.aid_share_of_gdp()
    values.update(_xinjiang_settings(did["did_all_baseline"], did["did_all_baseline_per_capita"]))
    slowed = xj.provinces_slowed()
    values["n_provinces_slowed"] = float(slowed.sum())
    values["n_provinces"] = float(slowed.size)
    rho, rho_p, _ = xj.growth_change_rank_correlation()
    values[value_key("growth_change_rank_correlation", stat="rho")] = rho
    values[value_key("growth_change_rank_correlation", stat="pvalue")] = rho_p
    values[value_key("average_population_growth", first=2011, last=2019, stat="median", units="all_controls")] = \
        xj.median_population_growth(2011, 2019, region="all")
    for name, r in did.items():
        p = did_params[name]
        values[value_key("did_estimate", **p)] = r.estimate
        values[value_key("did_permutation_pvalue", **p)] = r.pvalue
        values[value_key("did_permutation_rank", **p)] = float(r.permutation_rank)
        values[value_key("did_n_units", **p)] = float(r.n_units)
        values[value_key("did_np_coverage", **p)] = r.ct_np_coverage
        values[value_key("did_min_pvalue", **p)] = 1.0 / r.n_units  # the permutation test's floor
    # the synthetic control: headline values of the baseline fit, then the variants
    values["synth_rmspe_ratio"] = placebo.treated_ratio
    values["synth_pre_rmspe_share_of_level"] = xj.synth_pre_rmspe_share(sc)
    values["synth_mean_post_gap_share"] = xj.synth_mean_post_gap_share(sc)
    values[value_key("synth_gap_share", year=2019)] = xj.synth_gap_share(sc, 2019)
    values["synth_placebo_n_units"] = float(placebo.n_units)
    values["synth_placebo_n_donors"] = float(len(placebo.placebo_ratios))
    values["synth_placebo_min_pvalue"] = placebo.min_pvalue
    values["synth_placebo_max_ratio"] = float(max(placebo.placebo_ratios))
    values["synth_placebo_n_shown"] = float(len(placebo.well_fitted(xj.PLACEBO_MAX_PRE_RMSPE_MULTIPLE)))
    values["synth_detectable_post_rmspe"] = placebo.detectable_post_rmspe
    values["synth_detectable_post_rmspe_share"] = xj.synth_detectable_post_rmspe_share(sc, placebo)
    lo, hi = loo.gap_range
    values[value_key("synth_leave_one_out_mean_post_gap", stat="min")] = lo
    values[value_key("synth_leave_one_out_mean_post_gap", stat="max")] = hi
    values["synth_leave_one_out_n_fits"] = float(len(loo.fits))
    variants = {("real_gdp_per_capita", "west", "baseline"): (xj.xinjiang_synth(region="west"), None),
                ("real_gdp_per_capita", "all", "strict"): (xj.xinjiang_synth(rule="strict"),
                                                           xj.xinjiang_placebo(rule="strict")),
                ("real_gdp_per_capita", "all", "baseline"): (sc, placebo),
                ("real_gdp_index", "all", "baseline"): (sc_index, placebo_index)}
    for (outcome, region, rule), (fit, test) in variants.items():
        p = dict(outcome=outcome, region=region, rule=rule)
        values[value_key("synth_fit_pre_rmspe", **p)] = fit.pre_rmspe
        values[value_key("synth_fit_mean_post_gap", **p)] = fit.mean_post_gap
        if test is not None:
            values[value_key("synth_fit_rank", **p)] = float(test.rank)
            values[value_key("synth_fit_n_units", **p)] = float(test.n_units)
            values[value_key("synth_fit_pvalue", **p)] = test.pvalue
    # the design part (issue 13): every headline estimate under every donor rule and timing
    grid = xj.design_sensitivity()
    tables["design_sensitivity"] = grid
    keys["design_sensitivity"] = ("estimator", "outcome", "region", "rule", "treatment_year")
    values["design_max_n_controls"] = float(grid["n_units"].max() - 1)  # one treated province per test
    in_time = grid[(grid["estimator"] == "did") & (grid["outcome"] == "log_real_gdp") & (grid["region"] == "all")
                   & (grid["rule"] == "baseline") & (grid["treatment_year"] == 2011)]
    values[value_key("did_log_real_gdp_abs", region="all", rule="baseline")] = float(abs(in_time["estimate"].iloc[0]))
    placebo_2006 = grid[(grid["estimator"] == "synth") & (grid["outcome"] == "real_gdp_per_capita")
                        & (grid["region"] == "all") & (grid["rule"] == "baseline")
                        & (grid["treatment_year"] == xj.IN_TIME_PLACEBO_YEAR)]
    values[value_key("synth_in_time_placebo_gap_abs")] = float(abs(placebo_2006["estimate"].iloc[0]))
    values["n_assisting_provinces"] = float(len(xj.ASSISTING_PROVINCES))
    values["n_assisting_inferred"] = float(len(xj.ASSISTING_INFERRED))
    values[value_key("synth_weight_share", donors="assisting")] = xj.synth_weight_share(sc, xj.ASSISTING_PROVINCES)
    values[value_key("synth_weight_share", donors="assisting", outcome="real_gdp_index")] = \
        xj.synth_weight_share(sc_index, xj.ASSISTING_PROVINCES)
    values[value_key("synth_pre_rmspe_share_of_level", rule="assisting")] = xj.synth_pre_rmspe_share(
        xj.xinjiang_synth(rule="assisting"))
    estimator_figures = _xinjiang_estimators(tables, values, keys)
    figures = {
        "growth_comparison": xinjiang_figures.plot_growth_comparison(did["did_west_baseline"], did["did_all_baseline"],
                                                                     outcome="real_growth"),
        "did_ranking": xinjiang_figures.plot_did_ranking(did["did_west_baseline"], did["did_all_baseline"],
                                                         outcome="real_growth"),
        "synth_path": xinjiang_figures.plot_xinjiang_synth_path(sc),
        "synth_gaps": xinjiang_figures.plot_xinjiang_synth_gaps(placebo),
        **estimator_figures,
    }
    return StepOutput(tables=tables, values=values, figures=figures, keys=keys)


def _xinjiang_settings(did_all: DidResult, did_per_capita: DidResult) -> dict[str, float]:
    """The design's settings and the news item's figures as the Xinjiang chapter quotes them: the
    pre- and post-period years the estimators use (read from the fitted DiD, so the page cannot
    drift from the code), the news item's printed numbers, the average growth over the estimators'
    pre-period and the intervals' level."""
    xj = xinjiang
    values = {value_key("pre_period", bound=b): float(y) for b, y in zip(("first", "last"), did_all.pre_period)}
    values |= {value_key("post_period", bound=b): float(y) for b, y in zip(("first", "last"), did_all.post_period)}
    values[value_key("pre_period", bound="first", outcome="real_per_capita_growth")] = float(did_per_capita.pre_period[0])
    first, last = did_all.pre_period
    values[value_key("average_real_growth", first=first, last=last)] = xj.average_real_growth(first, last)
    values[value_key("news", figure="average_growth_pct")] = xj.CLAIMED_AVERAGE_GROWTH
    values[value_key("news", figure="aid_total_bn_yuan")] = xj.CLAIMED_AID_TOTAL / 10.0  # 100 million -> billion
    values[value_key("news", figure="aid_years")] = float(xj.CLAIMED_AID_YEARS)
    values[value_key("news", figure="gdp_2022_trillion_yuan")] = xj.CLAIMED_GDP_2022 / 10_000.0
    values[value_key("news", figure="partners")] = float(xj.CLAIMED_PARTNERS)
    values["interval_level"] = did_all.level
    values["placebo_max_pre_rmspe_multiple"] = float(xj.PLACEBO_MAX_PRE_RMSPE_MULTIPLE)
    return values


def _xinjiang_estimators(tables: dict, values: dict, keys: dict) -> dict:
    """The estimators-and-inference part of issue 13: synthetic DiD, conformal intervals, power;
    returns its figure (the effect path with intervals)."""
    xe = xinjiang_estimators
    sens = xe.sdid_sensitivity()
    tables["sdid_sensitivity"] = sens
    keys["sdid_sensitivity"] = ("method", "outcome", "rule", "treatment_year")
    outcome = "log_real_gdp_per_capita"
    averages = {}
    for method in ("sdid", "sc", "did"):
        r = averages[method] = xe.xinjiang_sdid(outcome=outcome, method=method)
        p = dict(method=method, outcome=outcome)
        values[value_key("sdid_estimate", **p)] = r.estimate
        values[value_key("sdid_se", **p)] = r.se
        values[value_key("sdid_ci", bound="lower", **p)] = r.ci[0]
        values[value_key("sdid_ci", bound="upper", **p)] = r.ci[1]
        values[value_key("sdid_pvalue", **p)] = r.pvalue
        if method == "sdid":
            tables["sdid_weights"] = r.to_frame()
            values["sdid_n_controls"] = float(len(r.donors))
            values[value_key("sdid_time_weight", year=r.pre_years[-1])] = r.time_weights[-1]
    for refit in (True, False):
        c = xe.xinjiang_conformal(refit=refit)
        if refit:
            path = c
        name = "conformal" if refit else "conformal_fixed_weights"
        tables[name] = c.to_frame()
        values[value_key("conformal_n_years_zero_rejected", refit=refit)] = float(
            sum(p <= 1 - c.level for p in c.pvalues_zero))
    values["conformal_path_pvalue_zero"] = c.path_pvalue_zero  # the whole-path test always refits
    values["conformal_level"] = xe.CONFORMAL_LEVEL
    values["conformal_min_pvalue"] = c.min_pvalue
    values["conformal_n_post_years"] = float(len(c.post_years))
    for outcome_fp in ("real_growth", "log_real_gdp"):
        for region in ("west", "all"):
            fp = xe.xinjiang_ferman_pinto(outcome=outcome_fp, region=region)
            p = dict(outcome=outcome_fp, region=region)
            values[value_key("ferman_pinto_ci", bound="lower", **p)] = fp.ci[0]
            values[value_key("ferman_pinto_ci", bound="upper", **p)] = fp.ci[1]
            values[value_key("ferman_pinto_ct_ci", bound="lower", **p)] = fp.ct_ci[0]
            values[value_key("ferman_pinto_ct_ci", bound="upper", **p)] = fp.ct_ci[1]
            values[value_key("ferman_pinto_coverage", **p)] = fp.coverage
            values[value_key("ferman_pinto_pvalue", **p)] = fp.pvalue
            values[value_key("ferman_pinto_treated_scale", **p)] = fp.treated_scale
    ascm = xe.xinjiang_ascm()
    tables["ascm_path"] = ascm.to_frame()
    values["ascm_mean_post_gap"] = ascm.mean_post_gap
    values["ascm_lambda"] = ascm.lambda_
    values["ascm_pre_rmspe"] = ascm.pre_rmspe
    values["ascm_sc_pre_rmspe"] = ascm.sc_pre_rmspe
    values["ascm_pvalue"] = ascm.pvalue
    values["ascm_rank"] = float(ascm.placebo_rank)
    values["ascm_n_units"] = float(ascm.n_units)
    power = xe.xinjiang_injection_power()
    tables["injection_power"] = power.to_frame()
    values["synth_injection_size"] = power.size
    values["synth_injection_n_units"] = float(power.n_units)
    for e, p in zip(power.effects, power.power):
        values[value_key("synth_injection_power", effect_pct=round(100 * e))] = p
        values[value_key("synth_injection_effect", effect_pct=round(100 * e))] = 100 * e
        values[value_key("synth_injection_effect_over_aid", effect_pct=round(100 * e))] = 100 * e / xinjiang.aid_share_of_gdp()
    values["synth_injection_alpha"] = power.alpha
    defaults = inspect.signature(xe.design_power).parameters  # the table below uses design_power()'s defaults
    alpha, power_level = defaults["alpha"].default, defaults["power"].default
    values["design_power_alpha"], values["design_power_power"] = alpha, power_level
    values["design_power_se_multiple"] = minimum_detectable_effect(1.0, alpha=alpha, power=power_level)
    tables["design_power"] = xe.design_power()
    return {"effect_intervals": xinjiang_figures.plot_effect_intervals(path, averages)}


# --------------------------------------------------------------------------- claims


def _claims_chapter_counts(frame: pd.DataFrame, personnel: pd.DataFrame) -> dict[str, float]:
    """Counts and years the claims chapter quotes: what the reproduced claims rest on, the years in
    which Table 1's government subtotal fails, the rows the printed Total adds, Table 2's printed
    years, the paper's ages of the partnership, the years the Xinjiang data cover and the real
    growth factor of those data beside the news item's "doubled" (N3-08)."""
    values: dict[str, float] = {}
    reproduced = frame[frame["verdict"] == "reproduced"]
    # agreements resting on data or the paper's tables (the others test the documents against themselves)
    on_evidence = frame["verdict"].isin(("reproduced", "reproduced_under_convention", "bound_satisfied"))
    values[value_key("n_agreeing", basis="data_or_tables")] = float(on_evidence.sum())
    for basis in ("data", "printed"):
        values[value_key("n_reproduced", basis=basis)] = float((reproduced["basis"] == basis).sum())
    for cid in ("P54", "P57"):  # the yearly government subtotals that are not the sum of their levels
        values[value_key("failing_subtotal_year", claim=cid)] = float(frame.loc[cid, "period"])
    values[value_key("n_rows_added", claim="P48")] = float(frame.loc["P48", "check"].count("table1("))
    years = sorted({str(p) for p in personnel.index.get_level_values("period")} - {"2003-2010"})
    values["n_table2_printed_years"] = float(len(years))
    ages = frame[(frame["document"] == "004") & frame["check"].str.fullmatch(r'reference_year\("004"\) - 1996')]
    values[value_key("n_partnership_ages", document="004")] = float(len(ages))
    xj_years = data.load("xinjiang").index
    values[value_key("xinjiang_years", bound="last")] = float(max(xj_years))
    news = frame[frame["document"] != "004"]
    values[value_key("n_claims", kind="news")] = float(len(news))
    values[value_key("n_not_checkable", kind="news")] = float((news["verdict"] == "not_checkable").sum())
    # N3-08 ("doubled"): the second context of the register row, the real growth factor of the data
    contexts = claims.load_register().loc["N3-08", "context"].split(claims.ALT_SEPARATOR)
    values[value_key("context_value", claim="N3-08", reading="real_data")] = \
        claims.evaluate_check(contexts[1].strip()).value
    values[value_key("xinjiang_years", bound="base", claim="N3-08")] = float(frame.loc["N3-08", "period"][:4])
    return values


def claims_step() -> StepOutput:
    """The claims chapter: the audit table, the scorecard (claims by document and verdict), the
    checks between claims, the counts the chapter's prose quotes, and the verdict figure."""
    result = claims.audit()
    frame = result.to_frame()
    frame["alt_reproduces"] = frame["alt_reproduces"].map(lambda v: "" if v is None else str(bool(v)))
    values: dict[str, float] = {f"n_{s}": float(n) for s, n in result.counts.items()}
    values["n_claims"] = float(len(frame))
    values["n_documents"] = float(frame["document"].nunique())
    values["n_agreeing"] = float(sum(result.counts[v] for v in claims.AGREEING_VERDICTS))
    values["n_discrepant"] = float(result.counts["discrepant_explained"] + result.counts["discrepant_unexplained"])
    checked = frame[frame["verdict"] != "not_checkable"]
    values[value_key("n_checked", basis="any")] = float(len(checked))
    for basis in ("data", "printed"):
        values[value_key("n_checked", basis=basis)] = float((checked["basis"] == basis).sum())
    for kind in sorted(set(frame["discrepancy_kind"]) - {""}):
        values[value_key("n_discrepant", kind=kind)] = float((frame["discrepancy_kind"] == kind).sum())
    consistency = result.consistency.to_frame()
    values["n_consistency_checks"] = float(len(consistency))
    values["n_consistent"] = float(consistency["consistent"].sum())
    values["n_inconsistent"] = float((~consistency["consistent"]).sum())
    consistency["consistent"] = consistency["consistent"].map(str)
    example = claims.evaluate_check('claim("P05")')
    for bound in ("value", "lower", "upper"):
        values[value_key("example_check", claim="P05", bound=bound)] = float(getattr(example, bound))
    for cid, (start, end) in {"P06": ("P04", "P05"), "P10": ("P08", "P09")}.items():
        values[value_key("alt_value_years", claim=cid)] = float(claim_functions.alt_value_years(frame, cid, start, end))
    values[value_key("abs_difference", claim="P57")] = abs(float(frame.loc["P57", "difference"]))
    values[value_key("printed_over_recomputed", claim="P29")] = float(
        frame.loc["P29", "value"] / frame.loc["P29", "recomputed"])
    personnel = data.load("personnel")
    values["n_table2_subset_sums"] = float(len(claim_functions.table2_subset_sums(personnel, period="2003-2010")))
    values[value_key("n_table2_subset_sums_equal", claim="P29")] = float(
        claim_functions.n_table2_subset_sums_equal(personnel, frame.loc["P29", "value"], period="2003-2010"))
    values[value_key("reference_year", document="004")] = float(claim_functions.REFERENCE_YEARS["004"])
    values[value_key("qualifier_band_pct", qualifier="nearly")] = 100 * printed.NEARLY_BAND
    values[value_key("qualifier_band_pct", qualifier="multiple")] = 100 * printed.MULTIPLE_BAND
    values[value_key("real_multiple_at_printed_growth", claim="N3-10", years=10)] = \
        xinjiang.real_multiple_at_average_growth(rate_pct=float(frame.loc["N3-10", "value"]), years=10)
    values.update(_claims_chapter_counts(frame, personnel))
    return StepOutput(tables={"audit": frame, "scorecard": result.scorecard, "consistency": consistency},
                      values=values, figures={"status_by_document": claims_figures.plot_status_by_document(result)})


#: The analysis steps in order, each name mapped to a function returning a :class:`StepOutput`.
STEPS: dict[str, Callable[[], StepOutput]] = {
    "data": data_step,
    "eras": eras_step,
    "eras_robustness": eras_robustness_step,
    "funding": funding_step,
    "xinjiang": xinjiang_step,
    "claims": claims_step,
}


def select_steps(names: Iterable[str] | None = None) -> list[str]:
    """The names of the steps to run, checked against :data:`STEPS`.

    Parameters
    ----------
    names
        Step names, in the order to run them; ``None``: every step of :data:`STEPS`, in order.

    Returns
    -------
    list of str

    Raises
    ------
    ewp_stats.errors.InputError
        A name is not a step; the message names the unknown and the valid steps.
    """
    if names is None:
        return list(STEPS)
    if isinstance(names, str):
        names = [names]
    names = list(names)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise InputError(f"unknown step(s) {', '.join(map(repr, unknown))}; valid steps: {', '.join(STEPS)}")
    return names
