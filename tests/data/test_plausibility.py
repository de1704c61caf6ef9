"""Plausibility rules (planted defects stop the build with the rule named) and the corrections shipped
as data, each checked against values computed here by hand from the raw files."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pytest

from ewp_stats.data import load, metadata
from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline.build import build_all

NBS_GDP = "nbs-easyquery-2021/地区生产总值.csv"
NBS_INDEX = "nbs-easyquery-2021/地区生产总值指数.csv"
NBS_POP = "nbs-easyquery-2021/总人口.csv"
NBS_NATIONAL = "nbs-easyquery-2021/国内生产总值_全国.csv"
GCAM_GDP = "gcam-china/GDP_raw.csv"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"planted defect {old!r} must match once"
        return text.replace(old, new)
    return edit


# (id, raw file, edit, rule named in the message, other text the message must contain)
_PLANTED = [
    ("x10-typo-nbs-gdp", NBS_GDP, _replace("110000,北京市,2018,33106.0,", "110000,北京市,2018,331060.0,"),
     "nominal_gdp_change_band", [NBS_GDP, "地区生产总值(亿元)", "Beijing", "[-10%, +60%]"]),
    ("index-1067", NBS_INDEX, _replace("110000,北京市,2018,106.7,", "110000,北京市,2018,1067,"),
     "real_index_band", [NBS_INDEX, "地区生产总值指数(上年=100)", "1067", "[95, 125]"]),
    ("province-sum-off-national", NBS_NATIONAL, _replace("2010,410354.11014066,412119.255796083,",
                                                        "2010,410354.11014066,452119.255796083,"),
     "national_total_tolerance", [NBS_NATIONAL, "国内生产总值", "2010", "+-3%"]),
    ("population-jump", NBS_POP, _replace("650000,新疆维吾尔自治区,2012,2232.78,", "650000,新疆维吾尔自治区,2012,2532.78,"),
     "population_change_band", [NBS_POP, "年末常住人口(万人)", "Xinjiang", "[-3%, +6%]"]),
    ("value-added-typo", NBS_GDP, _replace("110000,北京市,2018,33106.0,120.6,5477.4,", "110000,北京市,2018,33106.0,120.6,54774.0,"),
     "value_added_sums_to_gdp", [NBS_GDP, "Beijing 2018", "within 0.1%"]),
]


@pytest.mark.parametrize(("file", "edit", "rule", "texts"), [pytest.param(*c[1:], id=c[0]) for c in _PLANTED])
def test_planted_implausible_value_stops_the_build(edited_raw, tmp_path: Path, file: str, edit, rule: str,
                                                   texts: list[str]) -> None:
    raw, seeds = edited_raw(file, edit)
    out = tmp_path / "out"
    with pytest.raises(DataValidationError, match=f"rule {rule}") as info:
        build_all(raw, seeds_dir=seeds, out_dir=out)
    message = str(info.value)
    for text in texts:
        assert text in message
    assert re.search(r"(row|line) \d+", message), message
    assert not out.exists()


def test_population_jump_at_a_named_break_is_listed_not_fatal(edited_raw, tmp_path: Path) -> None:
    # Xinjiang 2005 (a named break of nbs_2021) raised by 5%: covered by the break, listed in the findings
    raw, seeds = edited_raw(NBS_POP, _replace("650000,新疆维吾尔自治区,2005,2010.35,",
                                              "650000,新疆维吾尔自治区,2005,2110.35,"))
    with pytest.raises(DataValidationError, match="yearbook and NBS 2021 population disagree"):
        build_all(raw, seeds_dir=seeds, out_dir=tmp_path / "out")   # the plausibility rule let it through


# --------------------------------------------------------------------------- raw files, read by hand
def _regions() -> dict[str, dict[str, str]]:
    with (SEEDS / "regions.csv").open(encoding="utf-8") as fh:
        return {r["province"]: r for r in csv.DictReader(fh)}


def _nbs(raw_dir: Path, file: str, column: str) -> dict[tuple[str, int], float]:
    by_code = {r["code"]: p for p, r in _regions().items()}
    with (raw_dir / file).open(encoding="utf-8") as fh:
        return {(by_code[r["省份编码"]], int(r["年份"])): float(r[column]) for r in csv.DictReader(fh)}


def _gcam(raw_dir: Path, file: str) -> dict[tuple[str, int], float]:
    text = "".join(line for line in (raw_dir / file).read_text(encoding="utf-8").splitlines(True)
                   if not line.startswith("#"))
    rows = list(csv.reader(io.StringIO(text)))
    years = [int(y) for y in rows[0][1:]]
    return {(r[0], y): float(c.replace(",", "")) for r in rows[1:] for y, c in zip(years, r[1:]) if c.strip()}


def _group(side: str) -> list[str]:
    return [p for p, r in _regions().items() if r["paper_group"] == side]


# --------------------------------------------------------------------------- corrections
@pytest.mark.parametrize(("province", "printed"), [("Guangxi", -4.7), ("Hunan", -5.6), ("Guizhou", -4.5),
                                                   ("Henan", -3.5)])
def test_nbs_population_break_at_2005_and_basis(raw_dir: Path, province: str, printed: float) -> None:
    pop = _nbs(raw_dir, NBS_POP, "年末常住人口(万人)")
    growth = 100 * (pop[(province, 2005)] / pop[(province, 2004)] - 1)
    assert round(growth + 1e-9, 1) == printed or abs(growth - printed) < 0.051
    spliced = load("province_population_spliced")
    assert spliced.loc[("nbs_2021", province, 2004), "population_basis"] == "nbs_pre_2005"
    assert spliced.loc[("nbs_2021", province, 2005), "population_basis"] == "usual_resident_2005"
    finding = [f for r in metadata("province_population")["rules"] if r["id"] == "population_change_band"
               for f in r["findings"] if (f["vintage"], f["province"], f["year"]) == ("nbs_2021", province, 2005)]
    assert len(finding) == 1 and "break nbs_2021 2005" in finding[0]["covered_by"]


def test_population_metadata_no_longer_claims_one_basis() -> None:
    notes = " ".join(metadata("province_population")["notes"])
    assert "usual-resident population 2000-2019" not in notes
    assert "not on one basis" in notes


def test_spliced_population_by_hand(raw_dir: Path) -> None:
    p = {y: v for (prov, y), v in _nbs(raw_dir, NBS_POP, "年末常住人口(万人)").items() if prov == "Guangxi"}
    g2010 = ((p[2009] / p[2008] - 1) + (p[2011] / p[2010] - 1)) / 2
    f2010 = p[2010] / (1 + g2010) / p[2009]
    g2005 = ((p[2004] / p[2003] - 1) + (p[2006] / p[2005] - 1)) / 2
    f2005 = p[2005] * f2010 / (1 + g2005) / p[2004]
    s = load("province_population_spliced").xs(("nbs_2021", "Guangxi"), level=("vintage", "province"))
    assert s.loc[2019, "population_spliced"] == p[2019]
    assert s.loc[2009, "population_spliced"] == pytest.approx(p[2009] * f2010, abs=1e-3)
    assert s.loc[2004, "population_spliced"] == pytest.approx(p[2004] * f2005, abs=1e-3)
    assert s.loc[2002, "population"] == p[2002]          # the published series is kept beside it
    assert metadata("province_population_spliced")["splicing_rule"].startswith("population_splice_neighbour_growth")


def test_vintage_seam_by_hand(raw_dir: Path) -> None:
    gcam, nbs = _gcam(raw_dir, GCAM_GDP), _nbs(raw_dir, NBS_GDP, "地区生产总值(亿元)")
    seam = metadata("east_west_ratio")["vintage_seam"]
    for year in range(2000, 2010):
        n = sum(abs(gcam[(p, year)] - nbs[(p, year)]) <= 0.05 for p in _regions())
        assert seam["matching_provinces"][str(year)] == n
    assert seam["matching_provinces"]["2000"] == 19 and seam["matching_provinces"]["2004"] == 0


def test_chongqing_1999_dip_flagged_with_effect_on_ratio(raw_dir: Path) -> None:
    g = _gcam(raw_dir, GCAM_GDP)
    assert g[("Chongqing", 1999)] < g[("Chongqing", 1998)] and g[("Chongqing", 1999)] < g[("Chongqing", 2000)]
    east = sum(g[(p, 1999)] for p in _group("east"))
    west = sum(g[(p, 1999)] for p in _group("west"))
    fixed = west - g[("Chongqing", 1999)] + math.sqrt(g[("Chongqing", 1998)] * g[("Chongqing", 2000)])
    rule = [r for r in metadata("east_west_ratio")["rules"] if r["id"] == "nominal_gdp_one_year_dip"][0]
    f = [f for f in rule["findings"] if (f["vintage"], f["province"], f["year"]) == ("gcam_compendium", "Chongqing",
                                                                                      1999)][0]
    assert f["ratio"] == pytest.approx(east / west, abs=1e-6)
    assert f["effect_on_ratio"] == pytest.approx(east / west - east / fixed, abs=1e-6)
    assert load("east_west_ratio").loc[("gcam_compendium", 1999), "ratio"] == pytest.approx(east / west)


def test_real_east_west_ratio_by_hand(raw_dir: Path) -> None:
    nominal = _nbs(raw_dir, NBS_GDP, "地区生产总值(亿元)")
    index = _nbs(raw_dir, NBS_INDEX, "地区生产总值指数(上年=100)")
    real = {}
    for p in _regions():
        level = nominal[(p, 2000)]
        real[(p, 2000)] = level
        for y in range(2001, 2020):
            level *= index[(p, y)] / 100
            real[(p, y)] = level
    ratio = load("east_west_real_ratio")["real_ratio"]
    for y in (2000, 2010, 2019):
        hand = sum(real[(p, y)] for p in _group("east")) / sum(real[(p, y)] for p in _group("west"))
        assert ratio[y] == pytest.approx(hand, rel=1e-9)
    assert metadata("east_west_real_ratio")["sources"][0]["file"] == NBS_GDP


def test_per_capita_on_average_population_by_hand(raw_dir: Path) -> None:
    gdp = _nbs(raw_dir, NBS_GDP, "地区生产总值(亿元)")
    pop = _nbs(raw_dir, NBS_POP, "年末常住人口(万人)")
    published = _nbs(raw_dir, NBS_GDP, "人均地区生产总值(元/人)")
    pc = load("province_gdp_per_capita").xs("nbs_2021", level="vintage")
    key = ("Xinjiang", 2003)
    hand = gdp[key] / ((pop[("Xinjiang", 2002)] + pop[key]) / 2) * 1e4
    assert pc.loc[key, "gdp_per_capita_average"] == pytest.approx(hand, abs=0.01)
    assert abs(hand - published[key]) < 1            # the NBS definition
    assert pc.loc[key, "gdp_per_capita_year_end"] == pytest.approx(gdp[key] / pop[key] * 1e4, abs=0.01)
    assert math.isnan(pc.loc[("Xinjiang", 2005), "gdp_per_capita_average"])   # across the 2005 break
    assert math.isnan(pc.loc[("Xinjiang", 2000), "population_average"])        # no 1999 year-end


def test_national_total_findings_by_hand(raw_dir: Path) -> None:
    gdp = _nbs(raw_dir, NBS_GDP, "地区生产总值(亿元)")
    with (raw_dir / NBS_NATIONAL).open(encoding="utf-8") as fh:
        national = {int(r["年份"]): float(r["国内生产总值"]) for r in csv.DictReader(fh)}
    rule = [r for r in metadata("province_gdp")["rules"] if r["id"] == "national_total_tolerance"][0]
    gaps = {f["year"]: f["gap"] for f in rule["findings"]}
    for year in (2001, 2005, 2019):
        hand = sum(gdp[(p, year)] for p in _regions()) / national[year] - 1
        assert gaps[year] == pytest.approx(hand, abs=1e-6)
        assert abs(hand) <= 0.03


def test_value_added_equals_the_raw_file_and_sums_to_gdp(raw_dir: Path) -> None:
    shipped = load("province_value_added")
    assert shipped.shape == (620, 4)
    for column, name in (("地区生产总值(亿元)", "gdp"), ("第一产业增加值(亿元)", "primary"),
                         ("第二产业增加值(亿元)", "secondary"), ("第三产业增加值(亿元)", "tertiary")):
        by_hand = _nbs(raw_dir, NBS_GDP, column)
        assert {k: float(v) for k, v in shipped[name].items()} == by_hand
    parts = shipped[["primary", "secondary", "tertiary"]].sum(axis=1)
    assert ((parts - shipped["gdp"]).abs() / shipped["gdp"]).max() < 1e-3
    gdp = load("province_gdp").xs("nbs_2021", level="vintage")["gdp"]
    assert (shipped["gdp"] == gdp.reindex(shipped.index)).all()
    assert shipped.loc[("Xinjiang", 2000)].to_dict() == {"gdp": 1363.6, "primary": 274.4, "secondary": 525.0,
                                                         "tertiary": 564.2}
    rules = {r["id"]: r for r in metadata("province_value_added")["rules"]}
    assert rules["value_added_sums_to_gdp"]["values_checked"] == 620
