"""Book tables (ewp_stats.reporting.tables): printed cells, files and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ewp_stats.errors import InputError
from ewp_stats.reporting.tables import MISSING, Column, format_cell, group_tables, write_table


@pytest.mark.parametrize(
    ("value", "column", "printed"),
    [
        (482.952, Column("Yuan (10 000)", ",.3f"), "482.952"),
        (0.123456, Column("Share (%)", ".1f", 100), "12.3"),
        (-0.5, Column("Gap", ".2f"), "\u22120.50"),
        (1.2e-5, Column("p", ".1e"), "1.2e\u221205"),
        (np.int64(1998), Column("Year"), "1998"),
        (2007.0, Column("Year"), "2007"),
        (np.nan, Column("p", ".3f"), MISSING),
        (None, Column("Note"), MISSING),
        (pd.NA, Column("Note"), MISSING),
        (True, Column("Headline", ".2f"), "True"),
        (float("inf"), Column("F", ".1f"), "∞"),
        ("Hebei", Column("Province", ".2f"), "Hebei"),
        (3.14159, Column("Rounded", lambda v: f"~{v:.1f}"), "~3.1"),
        (-0.001, Column("Gap", ".2f"), "0.00"),  # rounds to zero: no sign
        (-0.0, Column("Gap"), "0"),
        (-3, Column("Count"), "\u22123"),
        (0.5, Column("Share (%)", "", 100), "50"),  # the scale applies without a spec too
        (np.int64(2**60 + 1), Column("Big"), "1152921504606846977"),  # integers exactly
        (float("inf"), Column("F", ".1f", 0), MISSING),  # inf * 0 is not a number
    ],
)
def test_format_cell(value, column: Column, printed: str) -> None:
    assert format_cell(value, column) == printed


def test_write_table_is_deterministic_and_drops_the_index(tmp_path) -> None:
    frame = pd.DataFrame({"year": [1998, 2007], "ratio": [2.8912, 3.1777]}).set_index("year")
    columns = {"year": "Year", "ratio": Column("East/west GDP ratio (times)", ".2f")}
    first = write_table(frame, "ratio", columns, folder=tmp_path / "a")
    second = write_table(frame, "ratio", columns, folder=tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text() == '"Year","East/west GDP ratio (times)"\n"1998","2.89"\n"2007","3.18"\n'


def test_group_tables_writes_one_file_per_group(tmp_path) -> None:
    frame = pd.DataFrame({"doc": ["004", "001", "004"], "value": [1.0, 2.0, 3.0]})
    paths = group_tables(frame, "doc", "claims", {"value": Column("Value", ".1f")}, folder=tmp_path)
    assert list(paths) == ["001", "004"]
    assert paths["004"].read_text() == '"Value"\n"1.0"\n"3.0"\n'


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f, d: write_table(f, "x", {"nope": "Nope"}, folder=d), r"columns \['nope'\] are not in the table"),
        (lambda f, d: write_table(f, "a b", {"v": "V"}, folder=d), "table name must be"),
        (lambda f, d: write_table(f.iloc[:0], "x", {"v": "V"}, folder=d), "has no rows"),
        (lambda f, d: write_table(f, "x", {"v": "V", "w": "V"}, folder=d), "labels must be distinct"),
        (lambda f, d: group_tables(f, "doc", "x", {"v": "V"}, folder=d), "grouping column 'doc'"),
        (lambda f, d: group_tables(f.assign(g=[None]), "g", "x", {"v": "V"}, folder=d), "has missing values"),
        (lambda f, d: group_tables(pd.concat([f.assign(g="a b"), f.assign(g="a_b")]), "g", "x", {"v": "V"},
                                   folder=d), "would both be written to x-a_b.csv"),
        (lambda f, d: write_table(f.set_index(f["v"].rename("v")), "x", {"v": "V"}, folder=d),
         r"index level\(s\) \['v'\] have the same name as a column"),
    ],
)
def test_bad_tables_are_refused(tmp_path, call, message: str) -> None:
    frame = pd.DataFrame({"v": [1.0], "w": [2.0]})
    with pytest.raises(InputError, match=message):
        call(frame, tmp_path)
    assert not any(tmp_path.iterdir())
