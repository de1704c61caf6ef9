"""The shipped datasets: loading, metadata, schema checks on load, and the values users rely on."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats.errors import DataValidationError, UnknownDatasetError
from ewp_stats.data.schema import Schema, coerce_and_validate

RAW_DERIVED = ["province_gdp", "province_population", "province_gdp_index", "east_west_ratio", "xinjiang"]


def shipped_text(name: str) -> str:
    from importlib import resources
    return resources.files("ewp_stats.data").joinpath(f"{name}.csv").read_text(encoding="utf-8")


def reload_with(name: str, text: str) -> pd.DataFrame:
    """Validate ``text`` exactly as :func:`ewp_stats.data.load` validates the shipped file."""
    schema = Schema.from_dict(data.metadata(name)["schema"])
    return coerce_and_validate(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), schema, name)


@pytest.mark.parametrize("name", data.names())
def test_every_dataset_loads_with_unique_index_and_metadata(name: str) -> None:
    frame = data.load(name)
    meta = frame.attrs["metadata"]
    assert frame.index.is_unique and len(frame) > 0
    assert list(frame.index.names) == meta["schema"]["primaryKey"]
    assert meta["title"] and meta["sources"]
    for field in meta["schema"]["fields"]:
        assert field["description"], f"{name}.{field['name']} has no description"


@pytest.mark.parametrize("name", RAW_DERIVED)
def test_raw_derived_datasets_cite_commit_and_checksum(name: str) -> None:
    for src in data.metadata(name)["sources"]:
        assert re.fullmatch(r"[0-9a-f]{64}", src["sha256"]), src
        if src["origin_repository"]:
            assert re.fullmatch(r"[0-9a-f]{40}", src["commit"]), src


def test_unknown_dataset_lists_valid_names() -> None:
    with pytest.raises(UnknownDatasetError, match="unknown dataset 'gdp'; valid names: claim_consistency, claims_register, east_west_ratio, .*xinjiang"):
        data.load("gdp")


def test_list_datasets_has_one_row_per_dataset() -> None:
    table = data.list_datasets()
    assert list(table.index) == data.names()
    assert table.loc["province_gdp", "unit"] == "100 million yuan, current prices"
    assert "8a5c603" in table.loc["province_gdp", "source"]


def test_regions_match_the_paper_groups() -> None:
    regions = data.load("regions")
    east = set(regions.index[regions["paper_group"] == "east"])
    west = set(regions.index[regions["paper_group"] == "west"])
    assert east == {"Beijing", "Tianjin", "Hebei", "Shanghai", "Jiangsu", "Zhejiang", "Fujian", "Shandong",
                    "Guangdong", "Hainan"}
    assert len(west) == 12 and {"Xinjiang", "Tibet", "Inner Mongolia", "Chongqing"} <= west


# The paper's printed endpoints and the values the data give. Tolerance 5e-4: the computed figures are
# quoted to three decimals; the comparison with the printed two decimals is the claims audit's job.
@pytest.mark.parametrize(("vintage", "year", "expected"), [
    ("gcam_compendium", 1979, 2.107),
    ("gcam_compendium", 1997, 2.862),
    ("gcam_compendium", 1998, 2.889),
    ("gcam_compendium", 2007, 3.132),
    ("csy2009_first_release", 2007, 3.183),
    ("nbs_2021", 2007, 3.129),
    ("nbs_2021", 2019, 2.488),
])
def test_east_west_ratio_endpoints(vintage: str, year: int, expected: float) -> None:
    ratio = data.load("east_west_ratio").loc[(vintage, year), "ratio"]
    assert ratio == pytest.approx(expected, abs=5e-4)


def test_printed_endpoints_within_rounding_except_1979() -> None:
    r = data.load("east_west_ratio")["ratio"]
    # half a unit of the printed second decimal
    assert abs(r[("gcam_compendium", 1997)] - 2.86) <= 0.005
    assert abs(r[("gcam_compendium", 1998)] - 2.89) <= 0.005
    assert abs(r[("csy2009_first_release", 2007)] - 3.18) <= 0.005
    assert abs(r[("gcam_compendium", 2007)] - 3.18) > 0.005  # the revised vintage does not reproduce 3.18
    assert abs(r[("gcam_compendium", 1979)] - 2.12) > 0.005  # 2.107: a vintage difference, see the audit


def test_ratio_is_the_group_sum_identity() -> None:
    gdp = data.load("province_gdp")["gdp"]
    groups = data.load("regions")["paper_group"]
    ratio = data.load("east_west_ratio")
    for vintage, year in [("gcam_compendium", 1985), ("nbs_2021", 2015), ("csy2009_first_release", 2007)]:
        cross = gdp.xs((vintage, year), level=("vintage", "year"))
        east = cross[groups.reindex(cross.index) == "east"].sum()
        west = cross[groups.reindex(cross.index) == "west"].sum()
        assert ratio.loc[(vintage, year), "east_gdp"] == pytest.approx(east, rel=1e-12)
        assert ratio.loc[(vintage, year), "ratio"] == pytest.approx(east / west, rel=1e-12)
    pc = ratio["ratio"] * ratio["west_population"] / ratio["east_population"]
    np.testing.assert_allclose(ratio["per_capita_ratio"].dropna(), pc.dropna(), rtol=1e-12)
    assert np.isnan(ratio.loc[("gcam_compendium", 2009), "per_capita_ratio"])  # compendium population ends 2008


def test_vintages_are_kept_apart_with_their_coverage() -> None:
    cov = data.metadata("province_gdp")["coverage"]["years"]
    assert cov == {"csy2000_first_release": [1996, 1999], "csy2009_first_release": [2007, 2007],
                   "gcam_compendium": [1978, 2009], "nbs_2021": [2000, 2019]}
    gdp = data.load("province_gdp")["gdp"]
    assert gdp[("gcam_compendium", "Beijing", 2007)] == 9846.81  # revised
    assert gdp[("csy2009_first_release", "Beijing", 2007)] == 9353.32  # first release
    assert gdp.xs("csy2000_first_release", level="vintage").index.get_level_values("province").nunique() == 15


def test_exclusion_rules_are_listed_with_counts() -> None:
    rules = {r["id"]: r for r in data.metadata("province_gdp")["rules"]}
    # 8 years x 34 rows (31 provinces + 3 aggregate rows), 2 x 34, 3 x 34
    assert rules["gcam_gdp_2010_2017_defective"]["values_excluded"] == 8 * 34
    assert rules["gcam_gdp_2018_2019_after_gap"]["values_excluded"] == 2 * 34
    assert rules["before_1978"]["values_excluded"] == 3 * 34
    assert rules["aggregate_rows"]["values_excluded"] == 3 * 32  # 1978-2009
    gdp = data.load("province_gdp")
    years = gdp.xs("gcam_compendium", level="vintage").index.get_level_values("year")
    assert years.min() == 1978 and years.max() == 2009
    pop_rules = {r["id"] for r in data.metadata("province_population")["rules"]}
    assert "yearbook_population_cross_check_only" in pop_rules


def test_xinjiang_real_gdp_chains_the_nbs_index() -> None:
    xj = data.load("xinjiang")
    assert xj.loc[2000, "real_gdp_2000"] == xj.loc[2000, "gdp"]
    implied = 100 * xj["real_gdp_2000"] / xj["real_gdp_2000"].shift(1)
    np.testing.assert_allclose(implied.iloc[1:], xj["gdp_index"].iloc[1:], rtol=1e-12)
    idx = data.load("province_gdp_index").xs("Xinjiang", level="province")["gdp_index"]
    pd.testing.assert_series_equal(xj["gdp_index"], idx, check_names=False)
    assert xj.loc[2019, "gdp"] == pytest.approx(13597.1)


# --- schema validation on load: each corruption gets a specific error -------------------------

def test_load_rejects_text_in_numeric_column() -> None:
    text = shipped_text("province_gdp").replace("csy2000_first_release,Anhui,1996,2339.25",
                                                "csy2000_first_release,Anhui,1996,approx 2339")
    with pytest.raises(DataValidationError, match="file 'province_gdp', line 2, column 'gdp': expected a number, "
                                                  "found text 'approx 2339'"):
        reload_with("province_gdp", text)


def test_load_rejects_unknown_vintage() -> None:
    text = shipped_text("province_gdp").replace("csy2000_first_release,Anhui,1996", "nbs_2030,Anhui,1996")
    with pytest.raises(DataValidationError, match=r"line 2, column 'vintage': unknown value 'nbs_2030'; expected one of"):
        reload_with("province_gdp", text)


def test_load_rejects_negative_gdp() -> None:
    text = shipped_text("province_gdp").replace("Anhui,1996,2339.25", "Anhui,1996,-2339.25")
    with pytest.raises(DataValidationError, match="column 'gdp': value -2339.25 is below the minimum 0"):
        reload_with("province_gdp", text)


def test_load_rejects_duplicated_key() -> None:
    lines = shipped_text("regions").splitlines(keepends=True)
    with pytest.raises(DataValidationError, match=r"duplicated key \('Beijing',\) for primary key \['province'\]"):
        reload_with("regions", "".join(lines + lines[1:2]))


def test_load_rejects_missing_required_value() -> None:
    text = shipped_text("xinjiang").replace("2001,1491.6,", "2001,,")
    with pytest.raises(DataValidationError, match="line 3, column 'gdp': missing value where none is allowed"):
        reload_with("xinjiang", text)


def test_load_rejects_renamed_column() -> None:
    text = shipped_text("xinjiang").replace("gdp_per_capita", "gdp_pc", 1)
    with pytest.raises(DataValidationError, match=r"missing \['gdp_per_capita'\], unexpected \['gdp_pc'\]"):
        reload_with("xinjiang", text)
