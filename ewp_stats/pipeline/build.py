"""The cleaning pipeline: raw files + seeds -> the cleaned datasets shipped in ``ewp_stats/data``.

Steps are small and pure (read -> apply named rules -> validate -> derive -> write). Every raw
file in ``seeds/sources.json`` has its sha256 verified before anything is read (and again when
it is read), every shipped frame is validated against its schema, and every value left out is
counted under a named rule in ``datapackage.json``. The output is written atomically: into a
temporary directory beside the target, checked (sizes, sha256, row counts, schemas), then
swapped in, so a failure at any point leaves the previous data untouched.
Run it with ``ewp-stats build-data --raw-dir ../shared/data/raw`` (or ``$EWP_RAW_DIR``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ewp_stats._files import atomic_directory, read_text, sha256_of
from ewp_stats._typing import PathLike
from ewp_stats.data.integrity import file_record, read_checked
from ewp_stats.data.schema import Schema, check_complete, coerce_and_validate
from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline import corrections, derive, plausibility, readers
from ewp_stats.pipeline.catalog import SPECS, DatasetSpec
from ewp_stats.pipeline.rules import RuleLog, apply_rule
from ewp_stats.pipeline.seed_datasets import build_seed_datasets
from ewp_stats.pipeline.sources import (
    Source,
    load_manifest,
    resolve_raw_dir,
    verified_path,
)

__all__ = ["build_all", "default_seeds_dir", "default_out_dir", "write_table"]

GCAM_GDP = "gcam-china/GDP_raw.csv"
GCAM_POP = "gcam-china/China_Compendium_of_Statistics.csv"
GCAM_POP_YB = "gcam-china/China_Statistics_Yearbook.csv"
NBS_GDP = "nbs-easyquery-2021/地区生产总值.csv"
NBS_INDEX = "nbs-easyquery-2021/地区生产总值指数.csv"
NBS_POP = "nbs-easyquery-2021/总人口.csv"
NBS_NATIONAL = "nbs-easyquery-2021/国内生产总值_全国.csv"
CSY2009 = "nbs-yearbook-pages/CSY2009_C0216e_income_approach_GRP_2007.txt"
CSY2000 = "nbs-yearbook-pages/CSY2000_C08E_GDP_and_indices_by_region_1996-1999_PARTIAL.txt"
_AGGREGATES = {"National Total", "sum", "difference", "Difference"}


def default_seeds_dir() -> Path:
    """``seeds/`` of the source checkout this package was imported from."""
    return Path(__file__).resolve().parents[2] / "seeds"


def default_out_dir() -> Path:
    """``ewp_stats/data`` of the source checkout."""
    return Path(__file__).resolve().parents[1] / "data"


class _Context:
    """Raw directory, manifest and the sources actually read (for each dataset's provenance)."""

    def __init__(self, raw_dir: Path, seeds_dir: Path) -> None:
        self.raw_dir, self.seeds_dir = raw_dir, seeds_dir
        self.manifest = load_manifest(seeds_dir)

    def verify_all(self) -> None:
        """Check the sha256 of every raw file of the manifest, read by this build or not."""
        for source in self.manifest.values():
            verified_path(self.raw_dir, source)

    def path(self, file: str) -> Path:
        return verified_path(self.raw_dir, self.source(file))

    def source(self, file: str) -> Source:
        return self.manifest[file]


def _regions(seeds_dir: Path) -> pd.DataFrame:
    text = read_text(seeds_dir / "regions.csv", file="seeds/regions.csv")
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    typed = coerce_and_validate(raw, SPECS["regions"].schema, "seeds/regions.csv")
    bad = typed[((typed["paper_group"] == "east") != (typed["nbs_region"] == "east"))
                | ((typed["paper_group"] == "west") != (typed["nbs_region"] == "west"))]
    if not bad.empty:
        raise DataValidationError("paper_group disagrees with nbs_region", file="seeds/regions.csv",
                                  row=str(bad.index[0]), column="paper_group")
    if len(typed) != 31:
        raise DataValidationError(f"expected 31 provinces, found {len(typed)}", file="seeds/regions.csv")
    return typed


def _check_provinces(frame: pd.DataFrame, regions: pd.DataFrame, file: str, column: str = "province") -> None:
    unknown = sorted(set(frame[column]) - set(regions.index))
    if unknown:
        raise DataValidationError(f"unknown province(s) {unknown}; expected names from seeds/regions.csv",
                                  file=file, column=column)


def _gcam(ctx: _Context, file: str, regions: pd.DataFrame, log: RuleLog,
          year_rules: list[tuple[str, Callable[[pd.Series], pd.Series]]]) -> pd.DataFrame:
    """Read a GCAM wide file, check its 'sum' row, and apply the aggregate and year rules."""
    long = readers.read_gcam_wide(ctx.path(file), file=file)
    for rule_id, in_rule in year_rules:
        long = apply_rule(long, rule_id, lambda d, f=in_rule: f(d["year"]), log)
    provinces = long[~long["label"].isin(_AGGREGATES)]
    _check_gcam_layout(long, provinces, regions, file)
    _check_non_negative(provinces, file, "year")
    sum_rows = long[long["label"] == "sum"]
    sums = sum_rows.set_index("year")["value"]
    by_year = provinces.groupby("year")["value"].sum()
    gap = (by_year - sums).abs() / sums.abs()
    if (gap > 1e-6).any():
        year = int(gap.idxmax())
        raise DataValidationError(f"'sum' row differs from the sum of provinces in {year} "
                                  f"({sums[year]} vs {by_year[year]}); a province value or the 'sum' row "
                                  "was edited", file=file, row=int(sum_rows["line"].iloc[0]), column=str(year))
    long = apply_rule(long, "aggregate_rows", lambda d: d["label"].isin(_AGGREGATES), log)
    long = long.rename(columns={"label": "province"})
    _check_provinces(long, regions, file)
    empty = long[long["value"].isna()]
    if not empty.empty:
        r = empty.iloc[0]
        raise DataValidationError("empty cell where a value is required", file=file, row=int(r["line"]),
                                  column=str(r["year"]))
    return long


def _check_gcam_layout(long: pd.DataFrame, provinces: pd.DataFrame, regions: pd.DataFrame, file: str) -> None:
    """Name the real cause of a broken GCAM layout before the 'sum' row is compared: a
    duplicated row, an unknown or missing province, no 'sum' row, an empty cell."""
    first_line = long.drop_duplicates("label").set_index("label")["line"]
    dup = long[long.duplicated(["label", "year"], keep="first")]
    if not dup.empty:
        r = dup.iloc[0]
        raise DataValidationError(f"duplicated row {r['label']!r} (first on line {int(first_line[r['label']])}); "
                                  "expected one row per region", file=file, row=int(r["line"]))
    _check_provinces(provinces, regions, file, column="label")
    missing = [p for p in regions.index if p not in set(provinces["label"])]
    if missing:
        raise DataValidationError(f"missing province row(s) {missing}; expected one row for each of the "
                                  f"{len(regions)} provinces of seeds/regions.csv", file=file)
    if "sum" not in first_line.index:
        raise DataValidationError("no 'sum' row; expected the file's row of provincial totals", file=file)
    checked = long[long["label"].isin(set(regions.index) | {"sum"})]
    empty = checked[checked["value"].isna()]
    if not empty.empty:
        r = empty.iloc[0]
        raise DataValidationError(f"empty cell in row {r['label']!r} where a value is required", file=file,
                                  row=int(r["line"]), column=str(r["year"]))


def _nbs(ctx: _Context, file: str, column: str, regions: pd.DataFrame) -> pd.DataFrame:
    long = readers.read_nbs_long(ctx.path(file), file=file, column=column)
    by_code = regions.reset_index().set_index("code")
    unknown = sorted(set(long["code"]) - set(by_code.index))
    if unknown:
        raise DataValidationError(f"unknown province code(s) {unknown}", file=file, column="省份编码")
    long["province"] = by_code.loc[long["code"], "province"].to_numpy()
    mismatch = long[by_code.loc[long["code"], "province_zh"].to_numpy() != long["province_zh"].to_numpy()]
    if not mismatch.empty:
        r = mismatch.iloc[0]
        raise DataValidationError(f"name {r['province_zh']!r} does not match code {r['code']}",
                                  file=file, row=int(r["line"]), column="省份")
    _check_non_negative(long, file, column)
    dup = long[long.duplicated(["code", "year"], keep="first")]
    if not dup.empty:
        r = dup.iloc[0]
        raise DataValidationError(f"duplicated key (province code {r['code']}, year {r['year']})",
                                  file=file, row=int(r["line"]), column="省份编码, 年份")
    return long


def _check_non_negative(long: pd.DataFrame, file: str, column: str) -> None:
    """GDP and population cannot be negative: name the raw line of the first that is."""
    neg = long[long["value"] < 0]
    if not neg.empty:
        r = neg.iloc[0]
        col = str(r["year"]) if column == "year" else column
        raise DataValidationError(f"negative value {r['value']}; expected >= 0", file=file, row=int(r["line"]),
                                  column=col)


def _finish(frame: pd.DataFrame, spec: DatasetSpec, file: str,
            expected: list[tuple[Any, ...]] | None = None, key: tuple[str, ...] = ()) -> pd.DataFrame:
    """Order, validate and (optionally) check completeness of a long frame."""
    schema = spec.schema
    typed = coerce_and_validate(frame[schema.names].reset_index(drop=True), schema, file)
    if expected is not None:
        present = list(typed.reset_index()[list(key)].itertuples(index=False, name=None))
        check_complete(present, expected, file=file, what=f"({', '.join(key)})")
    return typed.sort_index()


def _grid(provinces: list[str], years: range, vintage: str | None = None) -> list[tuple[Any, ...]]:
    if vintage is None:
        return [(p, y) for p in provinces for y in years]
    return [(vintage, p, y) for p in provinces for y in years]


def build_frames(raw_dir: Path, seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
    """Build every dataset in memory.

    Returns
    -------
    dict
        name -> (frame with its primary-key index, provenance dict with ``sources`` and ``rules``).
    """
    ctx = _Context(raw_dir, seeds_dir)
    ctx.verify_all()
    regions = _regions(seeds_dir)
    provinces = list(regions.index)
    out: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {}
    cite = lambda *files: [ctx.source(f).citation() for f in files]  # noqa: E731

    # 1. GDP by vintage
    log = RuleLog()
    gcam = _gcam(ctx, GCAM_GDP, regions, log, [
        ("before_1978", lambda y: y < 1978),
        ("gcam_gdp_2010_2017_defective", lambda y: (y >= 2010) & (y <= 2017)),
        ("gcam_gdp_2018_2019_after_gap", lambda y: y >= 2018),
    ]).assign(vintage="gcam_compendium")
    nbs = _nbs(ctx, NBS_GDP, "地区生产总值(亿元)", regions).assign(vintage="nbs_2021")
    plausibility.check_nominal_change(gcam, file=GCAM_GDP, vintage="gcam_compendium", log=log)
    plausibility.check_nominal_change(nbs, file=NBS_GDP, vintage="nbs_2021", log=log, column="地区生产总值(亿元)")
    national = plausibility.read_national_gdp(ctx.path(NBS_NATIONAL), file=NBS_NATIONAL)
    plausibility.check_national_total(nbs, national, file=NBS_NATIONAL, log=log)
    csy09 = readers.read_csy2009_grp(ctx.path(CSY2009), file=CSY2009, provinces=provinces)
    csy00 = readers.read_csy2000_grp(ctx.path(CSY2000), file=CSY2000, provinces=provinces)
    gdp_long = pd.concat([
        gcam.rename(columns={"value": "gdp"}),
        nbs.rename(columns={"value": "gdp"}),
        csy09.rename(columns={"value": "gdp"}).assign(vintage="csy2009_first_release"),
        csy00.rename(columns={"value": "gdp"}).assign(vintage="csy2000_first_release"),
    ], ignore_index=True)
    csy00_provinces = sorted(set(csy00["province"]), key=provinces.index)
    expected = (_grid(provinces, range(1978, 2010), "gcam_compendium") + _grid(provinces, range(2000, 2020), "nbs_2021")
                + _grid(provinces, range(2007, 2008), "csy2009_first_release")
                + _grid(csy00_provinces, range(1996, 2000), "csy2000_first_release"))
    gdp = _finish(gdp_long, SPECS["province_gdp"], "province_gdp", expected, ("vintage", "province", "year"))
    if len(csy00_provinces) != 15:
        raise DataValidationError(f"expected 15 provinces in the partial CSY-2000 table, found {len(csy00_provinces)}",
                                  file=CSY2000)
    out["province_gdp"] = (gdp, {"sources": cite(GCAM_GDP, NBS_GDP, CSY2009, CSY2000), "rules": log.to_list()})

    # 2. Population by vintage, cross-checked against the yearbook file
    log = RuleLog()
    comp = _gcam(ctx, GCAM_POP, regions, log, [("before_1978", lambda y: y < 1978)])
    npop = _nbs(ctx, NBS_POP, "年末常住人口(万人)", regions)
    yb = _gcam(ctx, GCAM_POP_YB, regions, RuleLog(), [])
    plausibility.check_population_change(comp, file=GCAM_POP, vintage="gcam_compendium", log=log)
    plausibility.check_population_change(npop, file=NBS_POP, vintage="nbs_2021", log=log, column="年末常住人口(万人)")
    _cross_check_population(npop, yb)
    log.add("yearbook_population_cross_check_only", len(yb))
    pop_long = pd.concat([comp.assign(vintage="gcam_compendium"), npop.assign(vintage="nbs_2021")], ignore_index=True)
    pop = _finish(pop_long.rename(columns={"value": "population"}), SPECS["province_population"],
                  "province_population",
                  _grid(provinces, range(1978, 2009), "gcam_compendium") + _grid(provinces, range(2000, 2020), "nbs_2021"),
                  ("vintage", "province", "year"))
    out["province_population"] = (pop, {"sources": cite(GCAM_POP, NBS_POP, GCAM_POP_YB), "rules": log.to_list()})

    # 3. Real index
    idx_log = RuleLog()
    idx_raw = _nbs(ctx, NBS_INDEX, "地区生产总值指数(上年=100)", regions)
    plausibility.check_real_index(idx_raw, file=NBS_INDEX, column="地区生产总值指数(上年=100)", log=idx_log)
    idx_long = idx_raw.rename(columns={"value": "gdp_index"})
    index = _finish(idx_long, SPECS["province_gdp_index"], "province_gdp_index",
                    _grid(provinces, range(2000, 2020)), ("province", "year"))
    out["province_gdp_index"] = (index, {"sources": cite(NBS_INDEX), "rules": idx_log.to_list()})

    # 3b. Value added of the three industries (same raw file as the nbs_2021 GDP)
    va_log = RuleLog()
    out["province_value_added"] = (_value_added(ctx, regions, provinces, va_log),
                                   {"sources": cite(NBS_GDP), "rules": va_log.to_list()})

    # 4. Regions, ratio and Xinjiang
    out["regions"] = (regions, {"sources": [{"file": "seeds/regions.csv", "sha256": sha256_of(seeds_dir / "regions.csv")}],
                                "rules": []})
    ratio_log = RuleLog()
    ratio_log.add("population_after_2008_not_in_compendium", 0)
    ratio_log.add("nominal_gdp_one_year_dip", 0)
    ratio_log.findings["nominal_gdp_one_year_dip"] = corrections.gdp_dips(gdp, regions, ("gcam_compendium", "nbs_2021"))
    spliced = corrections.population_spliced(pop)
    ratio = derive.east_west_ratio(gdp, pop, regions, spliced)
    out["east_west_ratio"] = (_finish(ratio.reset_index(), SPECS["east_west_ratio"], "east_west_ratio"),
                              {"sources": cite(GCAM_GDP, GCAM_POP, NBS_GDP, NBS_POP, CSY2009),
                               "rules": ratio_log.to_list(), "vintage_seam": corrections.vintage_seam(gdp)})
    real = derive.real_gdp_panel(gdp, index)
    out["province_real_gdp"] = (_finish(real.reset_index(), SPECS["province_real_gdp"], "province_real_gdp"),
                                {"sources": cite(NBS_GDP, NBS_INDEX), "rules": []})
    pc = _nbs(ctx, NBS_GDP, "人均地区生产总值(元/人)", regions)
    pc = pc[pc["province"] == "Xinjiang"].set_index("year")["value"]
    xj = derive.xinjiang_series(gdp, index, pop, pc, real)
    out["xinjiang"] = (_finish(xj.reset_index(), SPECS["xinjiang"], "xinjiang"),
                       {"sources": cite(NBS_GDP, NBS_INDEX, NBS_POP), "rules": []})

    # 4b. Corrections shipped as data beside the series they correct
    out["province_population_spliced"] = (
        _finish(spliced.reset_index(), SPECS["province_population_spliced"], "province_population_spliced"),
        {"sources": cite(GCAM_POP, NBS_POP), "rules": [], "splicing_rule": corrections.SPLICE_RULE,
         "breaks": [{"vintage": b.vintage, "year": b.year, "before": b.before, "after": b.after,
                     "provinces": list(b.provinces) or "all", "description": b.description}
                    for b in plausibility.POPULATION_BREAKS]})
    real_ratio = corrections.east_west_real_ratio(real, regions)
    out["east_west_real_ratio"] = (
        _finish(real_ratio.reset_index(), SPECS["east_west_real_ratio"], "east_west_real_ratio"),
        {"sources": cite(NBS_GDP, NBS_INDEX), "rules": []})
    per_capita = corrections.gdp_per_capita(gdp, spliced, ("gcam_compendium", "nbs_2021"))
    out["province_gdp_per_capita"] = (
        _finish(per_capita.reset_index(), SPECS["province_gdp_per_capita"], "province_gdp_per_capita"),
        {"sources": cite(GCAM_GDP, GCAM_POP, NBS_GDP, NBS_POP), "rules": []})

    # 5. The paper's tables and the claims register (from seeds/)
    out.update(build_seed_datasets(seeds_dir))
    return out


#: The three-industry columns of the NBS GDP table, with the dataset's names.
_SECTORS = {"第一产业增加值(亿元)": "primary", "第二产业增加值(亿元)": "secondary", "第三产业增加值(亿元)": "tertiary"}


def _value_added(ctx: _Context, regions: pd.DataFrame, provinces: list[str], log: RuleLog) -> pd.DataFrame:
    """GRP and the three industries' value added (nbs_2021), checked to add up to GRP."""
    frame = _nbs(ctx, NBS_GDP, "地区生产总值(亿元)", regions).rename(columns={"value": "gdp"})
    key = pd.MultiIndex.from_frame(frame[["province", "year"]])
    for column, name in _SECTORS.items():
        part = _nbs(ctx, NBS_GDP, column, regions)
        frame[name] = part.set_index(["province", "year"])["value"].reindex(key).to_numpy()
    plausibility.check_value_added_sum(frame, list(_SECTORS.values()), file=NBS_GDP, log=log)
    return _finish(frame, SPECS["province_value_added"], "province_value_added",
                   _grid(provinces, range(2000, 2020)), ("province", "year"))


def _cross_check_population(nbs: pd.DataFrame, yearbook: pd.DataFrame) -> None:
    """Yearbook vs NBS 2021 population: agree within 1 except the known Heilongjiang 2013 typo."""
    a = nbs.set_index(["province", "year"])["value"]
    b = yearbook.set_index(["province", "year"])["value"].reindex(a.index)
    off = (a - b).abs() > 1.0
    off_keys = [k for k, v in off.items() if v]
    if off_keys != [("Heilongjiang", 2013)]:
        raise DataValidationError(f"yearbook and NBS 2021 population disagree (>1) at {off_keys}; "
                                  "expected only ('Heilongjiang', 2013)", file=GCAM_POP_YB)


def _format(frame: pd.DataFrame) -> str:
    """Deterministic CSV text: shortest round-trip floats, '\\n' line ends, empty for missing."""
    return frame.reset_index().to_csv(index=False, lineterminator="\n", float_format=None, na_rep="")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one dataset as UTF-8 CSV (see :func:`_format`)."""
    path.write_text(_format(frame), encoding="utf-8")


def _coverage(frame: pd.DataFrame) -> dict[str, Any]:
    flat = frame.reset_index()
    cov: dict[str, Any] = {"rows": int(len(flat))}
    if "year" in flat.columns:
        if "vintage" in flat.columns:
            cov["years"] = {v: [int(g["year"].min()), int(g["year"].max())] for v, g in flat.groupby("vintage")}
        else:
            cov["years"] = [int(flat["year"].min()), int(flat["year"].max())]
    if "province" in flat.columns:
        cov["provinces"] = int(flat["province"].nunique())
    return cov


def build_all(raw_dir: PathLike | None = None, *, seeds_dir: PathLike | None = None,
              out_dir: PathLike | None = None) -> Path:
    """Rebuild every shipped dataset and ``datapackage.json``.

    Parameters
    ----------
    raw_dir
        Raw-data directory (default ``$EWP_RAW_DIR``).
    seeds_dir
        The project's ``seeds/`` (default: the checkout's).
    out_dir
        Where to write (default: the checkout's ``ewp_stats/data``).

    Returns
    -------
    Path
        The written ``datapackage.json``.

    Notes
    -----
    Atomic: the datasets are written into a temporary directory beside ``out_dir``, checked
    and swapped in with one rename (other entries of ``out_dir``, such as the package's
    modules, are carried over). An exception, a full disk, ``SIGINT`` or ``SIGTERM`` leaves the
    previous content of ``out_dir`` untouched.
    """
    raw = resolve_raw_dir(raw_dir)
    seeds = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    out = Path(out_dir) if out_dir else default_out_dir()
    frames = build_frames(raw, seeds)
    written = {f"{name}.csv" for name in frames} | {"datapackage.json"}
    keep = lambda entry: entry not in written and entry != "__pycache__"  # noqa: E731
    with atomic_directory(out, carry_over=keep) as tmp:
        resources = []
        for name in sorted(frames):
            frame, prov = frames[name]
            meta = _spec_metadata(SPECS[name])
            blob = _format(frame).encode("utf-8")
            (tmp / f"{name}.csv").write_bytes(blob)
            record = file_record(blob)
            resources.append({"name": name, "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
                              "bytes": record["bytes"], "hash": record["hash"], **meta,
                              "coverage": _coverage(frame), "sources": prov["sources"], "rules": prov["rules"],
                              **{k: v for k, v in prov.items() if k not in ("sources", "rules")}})
        package = {"name": "ewp-stats-data", "title": "ewp_stats cleaned datasets",
                   "description": "Cleaned, derived series built by ewp_stats.pipeline from the raw files in "
                                  "seeds/sources.json and the transcriptions in seeds/.",
                   "resources": resources}
        (tmp / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        _check_written(tmp)
    return out / "datapackage.json"


def _check_written(folder: Path) -> None:
    """Re-read what was written exactly as :func:`ewp_stats.data.load` will (sizes, sha256, row
    counts, schemas) before it replaces the previous data."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        read_checked(res, (folder / res["path"]).read_bytes(), file=res["path"])


def _spec_metadata(spec: DatasetSpec) -> dict[str, Any]:
    return {"title": spec.title, "description": spec.description, "unit": spec.unit,
            "schema": spec.schema.to_dict(), "notes": list(spec.notes)}


def as_schema(meta: dict[str, Any]) -> Schema:
    """The :class:`Schema` of a resource descriptor."""
    return Schema.from_dict(meta["schema"])



