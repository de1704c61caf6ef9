"""The eras specification grid: every reading of the paper's eras, tested the same way.

The paper's second era starts in 1998; its third starts "since 2008" in one place and "after
2010" (the 12th Five-Year Plan, 2011) in another.  Each *cell* of the grid is one combination of

* ``vintage``: ``gcam_compendium`` (1978-2009), ``nbs_2021`` (2000-2019) and
  ``csy2009_first_release`` (one year, 2007: the single-vintage reading of the paper's endpoint);
* ``measure``: the GDP ratio, the per-capita ratio on the spliced population, the real-terms
  ratio (NBS 2021 only, 2000 prices);
* ``model``: ``jump`` (a broken trend: intercept and slope change at each era start) or ``kink``
  (a continuous trend whose slope alone changes: regressors ``1, t, (t - T1)+, (t - T2)+``);
* ``reading``: the era starts ``1998_2008`` or ``1998_2011``.

Per cell: known-date F tests at the paper's dates (the first era start against one trend; the
second era start *given* the first, i.e. against the trend of the middle era; both jointly),
each with its classical and Newey-West p-value and a sieve-bootstrap p-value; and Bai-Perron
dating (sequential sup-F(l+1|l) and UDmax with their tabulated critical values and bootstrap
p-values, the BIC), with flags for the symptoms of over-fitting a short series (a break at the
trimming boundary, the BIC at its maximum number of breaks).  A cell a series cannot fill is
still a row, with the reason in ``note``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ewp_stats._results import Result
from ewp_stats.engines.breaks import (
    bai_perron_tests,
    bootstrap_sequential,
    bootstrap_test,
    break_date_set,
    breakpoints,
)
from ewp_stats.engines.breaks._resample import (
    bias_corrected,
    default_max_order,
    fit_sieve,
    residual_maker,
    sieve_errors,
)
from ewp_stats.engines.breaks.chow import newey_west_lags
from ewp_stats.errors import InputError

__all__ = ["VINTAGES", "MEASURES", "MODELS", "READINGS", "GridResult", "eras_grid", "known_date_test",
           "trend_design", "grid_series", "cell_seed", "trimming_for"]

VINTAGES = ("gcam_compendium", "nbs_2021", "csy2009_first_release")
MEASURES = {"ratio": "GDP ratio", "per_capita_ratio": "per-capita GDP ratio (spliced population)",
            "real_ratio": "real GDP ratio (NBS 2021, 2000 prices)"}
MODELS = {"jump": "broken trend: intercept and slope change", "kink": "continuous trend: slope-only kinks"}
READINGS = {"1998_2008": (1998, 2008), "1998_2011": (1998, 2011)}
TESTS = ("first", "second", "joint")
#: Bootstrap draws per test: the Monte Carlo standard error of a p-value near 0.05 is
#: sqrt(0.05 * 0.95 / 999) = 0.007.
DEFAULT_B = 999
BASE_SEED = 20261201
#: Tabulated Bai-Perron trimmings, smallest first, and the most breaks each allows.
_TRIMS = ((0.15, 5), (0.20, 3), (0.25, 2))


def cell_seed(*parts: Any) -> int:
    """The bootstrap seed of one test: ``BASE_SEED`` plus the CRC-32 of its key (order-free)."""
    return BASE_SEED + zlib.crc32("|".join(map(str, parts)).encode())


def grid_series(vintage: str, measure: str) -> tuple[pd.Series | None, str]:
    """The series of one vintage and measure (indexed by year) and a note ("" when usable)."""
    from ewp_stats import data

    if measure == "real_ratio":
        if vintage != "nbs_2021":
            return None, "no real-terms series for this vintage (only NBS 2021 publishes real growth rates used here)"
        s = data.load("east_west_real_ratio")["real_ratio"]
    else:
        frame = data.load("east_west_ratio")
        s = frame.loc[vintage, measure] if vintage in frame.index.get_level_values(0) else pd.Series(dtype=float)
    s = s.dropna().astype(float)
    s.index = s.index.astype(int)
    s.name = f"{measure} ({vintage})"
    if len(s) < 12:
        return None, f"{len(s)} year(s) of {measure} in {vintage}: no time-series test is possible"
    return s, ""


def trend_design(years: np.ndarray, starts: tuple[int, ...], model: str) -> tuple[np.ndarray, list[str]]:
    """Regressors of a linear trend that changes at the regime starts ``starts``.

    ``jump``: ``1, t`` and per start ``T`` the step ``1{year >= T}`` and the slope change
    ``1{year >= T} (t - t_T)`` (the step only when the regime has one year).  ``kink``:
    ``1, t`` and per start ``(year - (T - 1))+``, so the slope changes between ``T - 1`` and
    ``T`` and the trend is continuous.
    """
    t = years - years[0] + 1.0
    cols, names = [np.ones_like(t), t], ["const", "t"]
    for st in starts:
        after = years >= st
        if model == "jump":
            cols.append(after.astype(float))
            names.append(f"step_{st}")
            if after.sum() >= 2:
                cols.append(np.where(after, years - st + 1.0, 0.0))
                names.append(f"slope_{st}")
        elif model == "kink":
            cols.append(np.maximum(years - (st - 1.0), 0.0))
            names.append(f"kink_{st}")
        else:
            raise InputError(f"model must be one of {list(MODELS)}; got {model!r}")
    return np.column_stack(cols), names


def _hac_wald(y: np.ndarray, X: np.ndarray, q: int, lags: int) -> float:
    """Wald F of the last ``q`` coefficients with the Newey-West (Bartlett) variance, small-sample
    factor ``n / (n - k)`` (statsmodels ``cov_type="HAC", use_correction=True``)."""
    n, k = X.shape
    XtXi = np.linalg.inv(X.T @ X)
    b = XtXi @ X.T @ y
    S = X * (y - X @ b)[:, None]
    meat = S.T @ S
    for j in range(1, lags + 1):
        G = S[j:].T @ S[:-j]
        meat += (1 - j / (lags + 1)) * (G + G.T)
    V = XtXi @ meat @ XtXi * n / (n - k)
    rb = b[-q:]
    return float(rb @ np.linalg.solve(V[-q:, -q:], rb) / q)


def known_date_test(y: np.ndarray, X0: np.ndarray, X1: np.ndarray, *, B: int, seed: int,
                    hac: bool = True) -> dict[str, Any]:
    """F test of the columns ``X1[:, X0.shape[1]:]`` (``X1`` extends ``X0``), three ways.

    Returns the classical F with its F(q, n - k1) p-value, the Newey-West Wald F (lags
    ``newey_west_lags(n)``; NaN when ``hac`` is False) and two sieve-bootstrap p-values: series are
    drawn from the OLS fit of the null model ``X0`` plus AR(p) errors (AIC, Kilian bias
    correction), as :func:`~ewp_stats.engines.breaks.bootstrap_test` does for a Chow test, and the
    classical F is recomputed on each.  ``p_bootstrap`` fits the AR to the null model's residuals
    (the engine's default: holds its size, little power), ``p_bootstrap_alt`` to the alternative
    model's ``X1`` (power, but oversized under autocorrelation; ``residuals="alternative"``).
    """
    n, k0 = X0.shape
    k1 = X1.shape[1]
    q, df2 = k1 - k0, n - k1
    if np.linalg.matrix_rank(X1) < k1:
        raise InputError(f"the alternative design ({k1} columns) is rank deficient")
    M0, M1 = residual_maker(X0), residual_maker(X1)

    def fstat(Y: np.ndarray) -> np.ndarray:
        s0, s1 = ((M0 @ Y) ** 2).sum(0), ((M1 @ Y) ** 2).sum(0)
        return (s0 - s1) / q / (s1 / df2)

    F = float(fstat(y[:, None])[0])
    fit0 = y - M0 @ y
    pvals, orders = [], []
    for M in (M0, M1):
        gen = np.random.default_rng(seed)
        sieve = bias_corrected(fit_sieve((M @ y)[:, None], default_max_order(n)), M, gen)
        Fstar = fstat(fit0[:, None] + sieve_errors(sieve, np.zeros(B, dtype=int), gen))
        pvals.append((1 + int(np.sum(Fstar >= F - 1e-10 * max(1.0, F)))) / (B + 1))
        orders.append(int(sieve.order[0]))
    lags = newey_west_lags(n)
    F_hac = _hac_wald(y, X1, q, lags) if hac else float("nan")
    return {"F": F, "df_num": q, "df_denom": df2, "p_asymptotic": float(stats.f.sf(F, q, df2)),
            "F_hac": F_hac, "hac_lags": lags, "p_hac": float(stats.f.sf(F_hac, q, df2)) if hac else float("nan"),
            "p_bootstrap": pvals[0], "p_bootstrap_alt": pvals[1], "B": B, "seed": seed,
            "ar_order": orders[0], "ar_order_alt": orders[1]}


def _inside(years: np.ndarray, st: int) -> bool:
    return bool(years[0] < st <= years[-1])


def _tests_of_cell(s: pd.Series, key: dict, model: str, starts: tuple[int, int], B: int) -> list[dict]:
    years = s.index.to_numpy().astype(float)
    y = s.to_numpy()
    t1, t2 = starts
    plans = {
        "first": ((), (t1,), f"{'kink' if model == 'kink' else 'break'} at {t1}"),
        "second": ((t1,), (t1, t2), f"{'kink' if model == 'kink' else 'break'} at {t2} given {t1}"),
        "joint": ((), (t1, t2), f"{'kinks' if model == 'kink' else 'breaks'} at {t1} and {t2}"),
    }
    rows = []
    for test, (null, alt, hyp) in plans.items():
        row = dict(key, test=test, hypothesis=hyp, note="")
        outside = [st for st in alt if not _inside(years, st)]
        if test == "second" and outside == [t1]:  # the sample starts after t1: t2 against one trend
            null, alt = (), (t2,)
            row["hypothesis"] = f"{'kink' if model == 'kink' else 'break'} at {t2} ({t1} is before the sample)"
            outside = []
        if outside:
            row["note"] = f"{', '.join(map(str, outside))} outside {int(years[0])}-{int(years[-1])}"
            rows.append(row)
            continue
        X0, _ = trend_design(years, null, model)
        X1, _ = trend_design(years, alt, model)
        after = int((years >= alt[-1]).sum())
        hac = after > 2 if model == "jump" else after > 1
        if after <= 2:
            row["note"] = (f"{after} year(s) from {alt[-1]}: a predictive test (do they lie on the earlier trend?)"
                           + ("; no HAC version" if not hac else ""))
        row.update(known_date_test(y, X0, X1, B=B, seed=cell_seed(*key.values(), model, hyp), hac=hac))
        rows.append(row)
    return rows


def trimming_for(n: int) -> tuple[float, int, int]:
    """The trimming of the grid's Bai-Perron dating for a series of ``n`` years.

    The smallest tabulated trimming whose minimum regime length ``h = floor(trim * n)`` is at
    least five years; returns ``(trim, h, max_breaks)``, with ``max_breaks`` the tabulated limit
    or ``n // h - 1``, whichever is smaller (0.20, 6, 3 at n = 32; 0.25, 5, 2 at n = 20).
    """
    for trim, mmax in _TRIMS:
        h = int(np.floor(trim * n))
        if h >= 5:
            return trim, h, min(mmax, n // h - 1)
    raise InputError(f"n = {n} is too short for any tabulated trimming")


def _boundary(positions: tuple[int, ...], n: int, h: int) -> bool:
    cuts = [0, *positions, n]
    return any(b - a == h for a, b in zip(cuts[:-1], cuts[1:]))


def _dating(s: pd.Series, key: dict, B: int) -> dict:
    """Bai-Perron dating of the jump model and exact least-squares kink dates."""
    years = s.index.to_numpy()
    n = len(s)
    X, _ = trend_design(years.astype(float), (), "jump")
    trim, h, mmax = trimming_for(n)
    bp = bai_perron_tests(s, X, max_breaks=mmax, trim=trim)
    seq = bootstrap_sequential(s, X, rng=cell_seed(*key.values(), "sequential"), B=B, max_breaks=mmax, trim=trim)
    ud = bootstrap_test("UDmax", s, X, rng=cell_seed(*key.values(), "UDmax"), B=B, max_breaks=mmax, trim=trim)
    seq_alt = bootstrap_sequential(s, X, rng=cell_seed(*key.values(), "sequential"), B=B, max_breaks=mmax, trim=trim,
                                   residuals="alternative")
    ud_alt = bootstrap_test("UDmax", s, X, rng=cell_seed(*key.values(), "UDmax"), B=B, max_breaks=mmax, trim=trim,
                            residuals="alternative")
    bic = breakpoints(s, X, h=h)
    m_bic = int(bic.selected)
    m_asym = 0
    while m_asym < mmax and bp.seq_supf[m_asym] > bp.seq_critical_values["5%"][m_asym]:
        m_asym += 1
    out: dict[str, Any] = {"trim": trim, "h": h, "max_breaks": mmax}
    for l_ in range(mmax):
        cv = {lv: bp.seq_critical_values[lv][l_] for lv in ("10%", "5%", "1%")}
        out[f"supF_{l_ + 1}_{l_}"] = float(bp.seq_supf[l_])
        out[f"supF_{l_ + 1}_{l_}_cv5"] = float(cv["5%"])
        out[f"supF_{l_ + 1}_{l_}_p_asymptotic_below"] = next(
            (float(lv[:-1]) / 100 for lv in ("1%", "5%", "10%") if bp.seq_supf[l_] > cv[lv]), float("nan"))
        out[f"supF_{l_ + 1}_{l_}_p_bootstrap"] = seq.steps[l_].pvalue if l_ < len(seq.steps) else float("nan")
        out[f"supF_{l_ + 1}_{l_}_p_bootstrap_alt"] = (seq_alt.steps[l_].pvalue if l_ < len(seq_alt.steps)
                                                      else float("nan"))
    out.update(udmax=float(bp.udmax), udmax_cv5=float(bp.udmax_critical_values["5%"]),
               udmax_p_asymptotic_below=next((float(lv[:-1]) / 100 for lv in ("1%", "5%", "10%")
                                              if bp.udmax > bp.udmax_critical_values[lv]), float("nan")),
               udmax_p_bootstrap=ud.pvalue, udmax_p_bootstrap_alt=ud_alt.pvalue, m_sequential_asymptotic=m_asym,
               m_sequential_bootstrap=seq.n_breaks, m_sequential_bootstrap_alt=seq_alt.n_breaks,
               m_bic=m_bic, bic_max_breaks=int(bic.max_breaks), bic_at_max=m_bic == int(bic.max_breaks))
    pos_a = tuple(bp.break_positions[m_asym - 1]) if m_asym else ()
    pos_b = tuple(int(p) for p in bic.break_positions(m_bic)) if m_bic else ()
    out["regime_starts_sequential_asymptotic"] = ", ".join(str(int(years[p])) for p in pos_a) or "none"
    out["regime_starts_bic"] = ", ".join(str(int(years[p])) for p in pos_b) or "none"
    out["last_regime_start_bic"] = int(years[pos_b[-1]]) if pos_b else float("nan")
    out["last_break_at_trim_boundary"] = bool(pos_b and pos_b[-1] == n - h) or bool(pos_a and pos_a[-1] == n - h)
    out["any_break_at_trim_boundary"] = _boundary(pos_a, n, h) or _boundary(pos_b, n, h)
    out["latest_regime_start_allowed"] = int(years[n - h])
    out.update(_date_set(s, X, trim, cell_seed(*key.values(), "date_set"), B))
    out.update(_kink_search(s.to_numpy(), years, h))
    return out


def _date_set(s: pd.Series, X: np.ndarray, trim: float, seed: int, B: int) -> dict[str, Any]:
    """The 95% bootstrap set for the date of one break (as regime starts), and which era starts it holds."""
    ds = break_date_set(s, X, rng=seed, B=min(B, 499), trim=trim, dates=s.index)
    starts = {int(d) + 1: bool(i) for d, i in zip(ds.candidate_dates, ds.in_set, strict=True)}
    out: dict[str, Any] = {"date_set_estimate": int(ds.break_date) + 1, "date_set_lower": int(ds.lower_date) + 1,
                           "date_set_upper": int(ds.upper_date) + 1, "date_set_contiguous": float(ds.contiguous),
                           "date_set_size": float(sum(starts.values())), "date_set_candidates": float(len(starts))}
    for st in sorted({v for r in READINGS.values() for v in r}):
        out[f"date_set_holds_{st}"] = float(starts[st]) if st in starts else float("nan")
    return out


def _kink_search(y: np.ndarray, years: np.ndarray, h: int) -> dict[str, Any]:
    """Exact least-squares dates of one and two kinks (regime starts), spacing >= ``h``, and BIC."""
    n = len(y)
    yrs = years.astype(float)

    def ssr(starts: tuple[int, ...]) -> float:
        X, _ = trend_design(yrs, starts, "kink")
        r = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        return float(r @ r)

    cand = [int(years[p]) for p in range(h, n - h + 1)]  # regime starts with >= h years either side
    one = min(cand, key=lambda a: (ssr((a,)), a))
    two = min(((a, b) for a in cand for b in cand if b - a >= h), key=lambda ab: (ssr(ab), ab))
    bics = [n * np.log(ssr(st) / n) + (2 + 2 * len(st)) * np.log(n) for st in ((), (one,), two)]
    m = int(np.argmin(bics))
    return {"kink_1": one, "kink_2": ", ".join(map(str, two)), "kink_2_first": two[0], "kink_2_second": two[1],
            "m_kink_bic": m,
            "kink_bic_at_max": m == 2, "kink_at_trim_boundary": bool(one in (cand[0], cand[-1])
                                                                    or two[0] == cand[0] or two[1] == cand[-1])}


@dataclass(frozen=True)
class GridResult(Result):
    """The eras specification grid.

    Attributes
    ----------
    grid
        One row per cell, indexed by ``vintage``, ``measure``, ``model``, ``reading``: sample,
        ``note``, the three known-date tests (``<test>_F``, ``_p_asymptotic``, ``_p_hac``,
        ``_p_bootstrap`` with the sieve fitted to the null model's residuals: conservative, holds its
        size, little power; ``_p_bootstrap_alt`` fitted to the alternative's: power, oversized under
        autocorrelation; the same pair ``_p_bootstrap``/``_p_bootstrap_alt`` for the dating tests) and the dating columns (the same for every model and reading of a series:
        Bai-Perron dates the jump model; ``date_set_*`` is the 95% bootstrap set for the date of one
        break, :func:`~ewp_stats.engines.breaks.break_date_set`, as regime starts, and whether it holds
        each era start (NaN: the start is not a candidate date under the trimming); ``kink_*`` are exact
        least-squares kink dates).
    tests
        The known-date tests in long form (one row per cell and test), with the Holm-adjusted
        bootstrap p-values (``p_bootstrap_holm``, ``p_bootstrap_alt_holm``) of the headline family
        (``headline``).
    options
        B, seeds, family definition.
    """

    _title: ClassVar[str] = "Eras specification grid"

    grid: pd.DataFrame
    tests: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The grid table."""
        return self.grid

    def counts(self) -> dict[str, int]:
        """How many tests the grid runs (distinct hypotheses on distinct series)."""
        t = self.tests.reset_index()
        t = t[t["F"].notna()]
        distinct = t.drop_duplicates(["vintage", "measure", "model", "hypothesis"])
        g = self.grid.reset_index()
        g = g[g["h"].notna()].drop_duplicates(["vintage", "measure"])
        dating = int(sum(int(np.isfinite(g[c]).sum()) for c in g.columns if c.endswith("_p_bootstrap")
                         and (c.startswith("supF") or c.startswith("udmax"))))
        return {"known_date": len(distinct), "dating": dating, "total": len(distinct) + dating,
                "headline": int(self.tests["headline"].sum())}

    def _rows(self) -> list[tuple[str, str]]:
        c = self.counts()
        return [("cells", str(len(self.grid))), ("tests", f"{c['total']} ({c['known_date']} known-date)"),
                ("B", str(self.options["B"]))]


def eras_grid(*, B: int = DEFAULT_B) -> GridResult:
    """Run every cell of the eras grid.

    Parameters
    ----------
    B
        Bootstrap draws per test (default 999).

    Returns
    -------
    GridResult

    Notes
    -----
    The headline family is the distinct known-date tests on the total GDP ratio of the two
    multi-year vintages, both models and both readings; it is Holm-adjusted on the bootstrap
    p-values.  Bai-Perron dating assumes independent segments, so it is done on the jump model;
    the kink model gets exact least-squares kink dates (one and two kinks, every admissible
    pair) with a BIC, and its known-date tests restrict the kink coefficients.

    Every bootstrap p-value comes in two versions, a bracket rather than an answer: with the
    sieve fitted to the null model's residuals (conservative: close to its size, but at n = 20-32
    it rejects even a large break rarely) and to the alternative model's (powerful, but it
    rejects a true null in 14-48% of samples when the errors are AR(1) with rho 0.5-0.9;
    ``tests/benchmarks/mc_residual_choice.py``).  Both use the same seed.

    References
    ----------
    Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural change models.
    *Journal of Applied Econometrics* 18(1), 1-22 (verified against R mbreaks 1.0.1).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.
    """
    from statsmodels.stats.multitest import multipletests

    rows, test_rows = [], []
    dating_cache: dict[tuple[str, str], dict] = {}
    for vintage in VINTAGES:
        for measure in MEASURES:
            s, note = grid_series(vintage, measure)
            if s is not None and (vintage, measure) not in dating_cache:
                dating_cache[(vintage, measure)] = _dating(s, {"vintage": vintage, "measure": measure}, B)
            for model in MODELS:
                for reading, starts in READINGS.items():
                    key = {"vintage": vintage, "measure": measure, "model": model, "reading": reading}
                    row = dict(key, note=note)
                    if s is None:
                        rows.append(row)
                        for test in TESTS:
                            test_rows.append(dict(key, test=test, hypothesis="", note=note))
                        continue
                    row.update(nobs=len(s), first_year=int(s.index[0]), last_year=int(s.index[-1]))
                    trs = _tests_of_cell(s, {"vintage": vintage, "measure": measure}, model, starts, B)
                    for tr in trs:
                        tr.update(model=model, reading=reading)
                        for col in ("hypothesis", "F", "p_asymptotic", "p_hac", "p_bootstrap", "p_bootstrap_alt"):
                            row[f"{tr['test']}_{col}"] = tr.get(col, float("nan"))
                        row[f"{tr['test']}_note"] = tr["note"]
                    test_rows += trs
                    row.update(dating_cache[(vintage, measure)])
                    rows.append(row)
    grid = pd.DataFrame(rows).set_index(["vintage", "measure", "model", "reading"])
    for col in ("bic_at_max", "last_break_at_trim_boundary", "any_break_at_trim_boundary", "kink_bic_at_max",
                "kink_at_trim_boundary"):  # 1/0 flags (NaN where the series is missing), published as numbers
        grid[col] = grid[col].astype(float)
    tests = pd.DataFrame(test_rows)
    tests = tests[["vintage", "measure", "model", "reading", "test", *[c for c in tests.columns if c not in
                  ("vintage", "measure", "model", "reading", "test")]]]
    fam = (tests["measure"] == "ratio") & tests["vintage"].isin(["gcam_compendium", "nbs_2021"]) & tests["F"].notna()
    first = ~tests[fam].duplicated(["vintage", "measure", "model", "hypothesis"])
    head = pd.Series(False, index=tests.index)
    head[first[first].index] = True
    tests["headline"] = head
    tests["p_bootstrap_holm"] = np.nan
    tests["p_bootstrap_alt_holm"] = np.nan
    tests["p_asymptotic_holm"] = np.nan
    tests.loc[head, "p_bootstrap_holm"] = multipletests(tests.loc[head, "p_bootstrap"], method="holm")[1]
    tests.loc[head, "p_bootstrap_alt_holm"] = multipletests(tests.loc[head, "p_bootstrap_alt"], method="holm")[1]
    tests.loc[head, "p_asymptotic_holm"] = multipletests(tests.loc[head, "p_asymptotic"], method="holm")[1]
    tests = tests.set_index(["vintage", "measure", "model", "reading", "test"])
    return GridResult(grid=grid, tests=tests, options={"B": B, "base_seed": BASE_SEED,
                                                      "headline_family": "distinct known-date tests, GDP ratio, "
                                                      "gcam_compendium and nbs_2021, both models and readings"})
