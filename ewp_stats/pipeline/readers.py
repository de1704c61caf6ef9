"""Readers that turn each raw file layout into a long frame of parsed numbers.

Readers only parse: they keep every value of the file (aggregate rows included) so that the
exclusion rules in :mod:`ewp_stats.pipeline.rules` can count what they remove. Every number is
parsed by :func:`parse_number`, which raises :class:`ewp_stats.errors.DataValidationError` with the file, the
1-based line and the column of a cell that is not a number.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ewp_stats._files import read_text
from ewp_stats.errors import DataValidationError

__all__ = ["parse_number", "read_gcam_wide", "read_nbs_long", "read_csy2009_grp", "read_csy2000_grp"]

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str, *, file: str, row: int, column: str, thousands: bool = False) -> float | None:
    """Parse one cell: a plain decimal, optionally with comma thousands separators.

    Returns None for an empty cell (the caller decides whether that is allowed).

    Raises
    ------
    DataValidationError
        The cell holds text that is not a number of the accepted form.
    """
    s = text.strip()
    if s == "":
        return None
    if _NUMBER.match(s):
        return float(s)
    if thousands and _THOUSANDS.match(s):
        return float(s.replace(",", ""))
    raise DataValidationError(f"expected a number, found {text!r}", file=file, row=row, column=column)


def read_gcam_wide(path: Path, *, file: str) -> pd.DataFrame:
    """Read a GCAM-China wide CSV (``#`` comment header, one row per region, one column per year).

    Returns
    -------
    DataFrame
        Columns ``label`` (region label as in the file), ``year`` (int), ``value`` (float or NaN for
        an empty cell), ``line`` (1-based line in the file).
    """
    records: list[tuple[str, int, float | None, int]] = []
    text = read_text(path, file=file)
    lines = [(i + 1, line) for i, line in enumerate(io.StringIO(text, newline=""))
             if not line.startswith("#")]
    if not lines:
        raise DataValidationError("only comment lines; expected a header row 'region,<years...>' and data rows",
                                  file=file)
    reader = csv.reader([line for _, line in lines])
    header = next(reader)
    try:
        years = [int(y) for y in header[1:]]
    except ValueError as exc:
        raise DataValidationError(f"header years are not all integers: {header[1:]}", file=file,
                                  row=lines[0][0]) from exc
    for (lineno, _), cells in zip(lines[1:], reader):
        if len(cells) != len(header):
            raise DataValidationError(f"expected {len(header)} cells, found {len(cells)}", file=file, row=lineno)
        label = cells[0].strip()
        for year, cell in zip(years, cells[1:]):
            value = parse_number(cell, file=file, row=lineno, column=str(year), thousands=True)
            records.append((label, year, value, lineno))
    return pd.DataFrame(records, columns=["label", "year", "value", "line"])


def read_nbs_long(path: Path, *, file: str, column: str) -> pd.DataFrame:
    """Read one indicator from an NBS easyquery long CSV (省份编码, 省份, 年份, indicators...).

    Returns
    -------
    DataFrame
        Columns ``code`` (int), ``province_zh``, ``year`` (int), ``value`` (float), ``line``.

    Raises
    ------
    DataValidationError
        The indicator column is absent, or a cell is empty or not a number.
    """
    text = read_text(path, file=file)
    rows = csv.reader(io.StringIO(text, newline=""))
    width = len(next(rows))
    for lineno, cells in enumerate(rows, start=2):
        if len(cells) != width:
            raise DataValidationError(f"expected {width} cells, found {len(cells)} (a stray or missing comma)",
                                      file=file, row=lineno)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    for key in ("省份编码", "省份", "年份"):
        if key not in frame.columns:
            raise DataValidationError(f"column {key!r} not found; columns are {list(frame.columns)}", file=file,
                                      row=1)
    if column not in frame.columns:
        raise DataValidationError(f"column {column!r} not found; columns are {list(frame.columns)}", file=file,
                                  row=1)
    records = []
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = dict(zip(frame.columns, row))
        code = parse_number(cells["省份编码"], file=file, row=i, column="省份编码")
        year = parse_number(cells["年份"], file=file, row=i, column="年份")
        value = parse_number(cells[column], file=file, row=i, column=column)
        if value is None or code is None or year is None:
            raise DataValidationError("empty cell where a number is required", file=file, row=i, column=column)
        records.append((int(code), cells["省份"].strip(), int(year), value, i))
    return pd.DataFrame(records, columns=["code", "province_zh", "year", "value", "line"])


def _text_rows(path: Path, file: str) -> list[tuple[int, str]]:
    text = read_text(path, file=file)
    return [(i + 1, line.rstrip("\n")) for i, line in enumerate(io.StringIO(text))]


def _split_name_numbers(line: str) -> tuple[str, list[str]] | None:
    """Split ``"Inner Mongolia 6091.12 2093.35 ..."`` into the name and the numeric tokens."""
    tokens = line.replace("|", " ").split()
    names = [t for t in tokens if not re.match(r"^[-\d.,\[\]]", t)]
    if not names or tokens[: len(names)] != names:
        return None
    return " ".join(names), tokens[len(names):]


def read_csy2009_grp(path: Path, *, file: str, provinces: list[str]) -> pd.DataFrame:
    """Read GRP (first numeric column) for each province from the CSY-2009 table 2-16 transcription.

    Returns
    -------
    DataFrame
        Columns ``province``, ``year`` (2007), ``value``, ``line``.
    """
    records = []
    for lineno, line in _text_rows(path, file):
        split = _split_name_numbers(line)
        if split is None or split[0] not in provinces:
            continue
        name, nums = split
        if len(nums) != 5:
            raise DataValidationError(f"expected 5 numbers (GRP and four income components), found {len(nums)}",
                                      file=file, row=lineno)
        value = parse_number(nums[0], file=file, row=lineno, column="Gross Regional Product")
        records.append((name, 2007, value, lineno))
    return pd.DataFrame(records, columns=["province", "year", "value", "line"])


def read_csy2000_grp(path: Path, *, file: str, provinces: list[str]) -> pd.DataFrame:
    """Read GRP 1996-1999 by province from the partial CSY-2000 table 3-8 transcription.

    The real indices (last four numbers of complete rows) are not read: they exist for 14
    provinces only and no shipped dataset uses them.

    Returns
    -------
    DataFrame
        Columns ``province``, ``year``, ``value``, ``line``.
    """
    records = []
    for lineno, line in _text_rows(path, file):
        split = _split_name_numbers(line)
        if split is None or split[0] not in provinces:
            continue
        name, nums = split
        gdp = [n for n in nums if not n.startswith("[")][:4]
        if len(gdp) != 4:
            raise DataValidationError(f"expected 4 GDP values 1996-1999, found {len(gdp)}", file=file, row=lineno)
        for year, cell in zip(range(1996, 2000), gdp):
            records.append((name, year, parse_number(cell, file=file, row=lineno, column=str(year)), lineno))
    return pd.DataFrame(records, columns=["province", "year", "value", "line"])
