"""Map the positional ``values.json`` keys of before the layer refactor to the semantic keys.

Run from the checkout's root::

    .venv/bin/python tests/reporting/make_key_mapping.py --old /tmp/before_results/values.json

The script runs every ``reproduce`` step once and, for every numeric table cell, builds both keys
of that cell from the same table: the old one (``<step>/<table>/<row label>/<column>``, the row
label being the index value, ``|``-joined for a MultiIndex, which for a ``RangeIndex`` is the row
position) and the new one (:func:`ewp_stats.reporting.reproduce.step_values`). Headline values
were renamed one by one (``_HEADLINE`` below). It then checks that

* every old key maps to exactly one new key and no two old keys map to the same new key;
* the value under the new key equals the old value (exactly, or within ``--rtol``);
* or, for an old key of a cell in one of the table's declared key columns (``eras/robustness/3/h``):
  such cells are no longer values of their own (:func:`~ewp_stats.reporting.reproduce.flatten_tables`),
  because the value is part of every key of the row (``.../h=5/m_bic``). Such an old key is listed
  as removed, and the check is that its old value is exactly the ``column=value`` part of the row's
  new key and that the row still has values under that key;

and writes ``ewp_stats/reference/KEY_MAPPING.csv`` (old_key, new_key), ``KEY_MAPPING.removed.csv``
(old_key, row_key, column, value) and ``KEY_MAPPING.md``.
With ``--write-reference`` it also writes the fresh values as ``ewp_stats/reference/values.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "ewp_stats" / "reference"

#: Old headline key -> new headline key (headline values are not table cells).
_HEADLINE: dict[str, str] = {
    "claims/n_claims": "claims/n_claims",
    "claims/n_discrepant": "claims/n_discrepant",
    "claims/n_not_checkable": "claims/n_not_checkable",
    "claims/n_reproduced": "claims/n_reproduced",
    **{f"data/ratio_{v}_{y}": f"data/ratio/vintage={v}/year={y}" for v, y in [
        ("csy2009_first_release", 2007), ("gcam_compendium", 1979), ("gcam_compendium", 1997),
        ("gcam_compendium", 1998), ("gcam_compendium", 2007), ("nbs_2021", 2007), ("nbs_2021", 2019)]},
    **{f"eras/n_breaks_bic_{v}_{m}_{t}": f"eras/n_breaks_bic/vintage={v}/measure={m}/transform={t}"
       for v in ("gcam_compendium", "nbs_2021") for m in ("ratio", "per_capita_ratio") for t in ("level", "log")},
    "xinjiang/aid_share_of_gdp": "xinjiang/aid_share_of_gdp",
    **{f"xinjiang/average_real_growth_{a}_{b}": f"xinjiang/average_real_growth/first={a}/last={b}"
       for a, b in [(2001, 2010), (2011, 2019), (2013, 2019)]},
    **{f"xinjiang/did_{r}_{u}_estimate": f"xinjiang/did_estimate/region={r}/rule={u}/outcome=real_growth"
       for r in ("west", "all") for u in ("baseline", "strict")},
    "xinjiang/did_all_baseline_per_capita_estimate":
        "xinjiang/did_estimate/region=all/rule=baseline/outcome=real_per_capita_growth",
    "xinjiang/implied_nominal_growth_2020_2022": "xinjiang/implied_nominal_growth_2020_2022",
    "xinjiang/implied_real_growth_2020_2022": "xinjiang/implied_real_growth_2020_2022/claimed_average=6.6/base=2012",
    "xinjiang/implied_real_growth_for_real_doubling": "xinjiang/implied_real_growth_for_real_doubling/base=2012",
    "xinjiang/nominal_gdp_multiple_2012_2019": "xinjiang/nominal_gdp_multiple/base=2012/end=2019",
    "xinjiang/nominal_gdp_multiple_2012_2022_claimed": "xinjiang/nominal_gdp_multiple/base=2012/end=2022/gdp_2022=claimed",
    "xinjiang/real_gdp_multiple_2012_2019": "xinjiang/real_gdp_multiple/base=2012/end=2019",
    "xinjiang/synth_index_placebo_p_value":
        "xinjiang/synth_fit_pvalue/outcome=real_gdp_index/region=all/rule=baseline",
    "xinjiang/synth_placebo_p_value": "xinjiang/synth_fit_pvalue/outcome=real_gdp_per_capita/region=all/rule=baseline",
    "xinjiang/synth_pre_rmspe": "xinjiang/synth_fit_pre_rmspe/outcome=real_gdp_per_capita/region=all/rule=baseline",
    "xinjiang/synth_rmspe_ratio": "xinjiang/synth_rmspe_ratio",
}


def _old_label(x: Any) -> str:
    """The row/column label of the old positional scheme."""
    if isinstance(x, tuple):
        return "|".join(_old_label(v) for v in x)
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def mapping_and_values() -> tuple[dict[str, str], dict[str, tuple[str, str, float]], dict[str, float]]:
    """Old key -> new key for every table cell that is a value, old key -> (row key, column, value)
    for every cell of a declared key column (no longer a value), and the fresh values."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.reproduce import _finite, _row_labels, step_values
    from ewp_stats.reporting.steps import STEPS, key_part

    mapping: dict[str, str] = {}
    removed: dict[str, tuple[str, str, float]] = {}
    values: dict[str, float] = {}
    for step, run in STEPS.items():
        out = run()
        values |= step_values(step, out)
        for name, frame in out.tables.items():
            labels = _row_labels(name, frame, out.keys.get(name))
            key_columns = set(out.keys.get(name, ()))
            numeric = frame.select_dtypes(include="number")
            for label, (row, series) in zip(labels, numeric.iterrows()):
                for col, value in series.items():
                    if _finite(value) is not None:
                        old = f"{step}/{name}/{_old_label(row)}/{_old_label(col)}"
                        row_key = f"{step}/{key_part(name)}/{label}"
                        if col in key_columns:
                            removed[old] = (row_key, str(col), float(value))
                        else:
                            mapping[old] = f"{row_key}/{key_part(col)}"
        for fig in out.figures.values():
            plt.close(fig)
    return mapping, removed, values


def _md(key: str) -> str:
    """A key for a Markdown table cell (a literal ``|`` would end the cell)."""
    return key.replace("|", "\\|")


#: Why values moved in the last bits (shown in KEY_MAPPING.md when any value is not bit-identical).
_EXPLANATIONS = [
    "- `funding/reconstruction/.../tolerance`: every Table 1 identity's tolerance is now the exactly",
    "  rounded sum of the half-units of its printed cells (`ewp_stats.data.vocab.check_identity`);",
    "  before, row sums added the half-units as floats in another order.",
    "- `xinjiang/real_gdp_multiple/...`: the shipped `xinjiang` dataset's `real_gdp_2000` now comes",
    "  from the one `chain_real_gdp` (pipeline), the chain the Xinjiang analyses always used; the",
    "  dataset's own second chain differed from it in the last bit.",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="values.json with the old keys")
    parser.add_argument("--write-reference", action="store_true", help="also write reference/values.json")
    parser.add_argument("--rtol", type=float, default=0.0,
                        help="relative tolerance of the value check (default 0: identical values)")
    parser.add_argument("--atol", type=float, default=0.0, help="absolute tolerance of the value check")
    args = parser.parse_args(argv)
    from ewp_stats.reporting.steps import key_part

    old_values: dict[str, float] = json.loads(args.old.read_text(encoding="utf-8"))
    cells, key_cells, fresh = mapping_and_values()
    mapping = {k: v for k, v in cells.items() if k in old_values} | {
        k: v for k, v in _HEADLINE.items() if k in old_values}
    removed = {k: v for k, v in key_cells.items() if k in old_values and k not in mapping}
    problems = [f"old key not mapped: {k}" for k in sorted(set(old_values) - set(mapping) - set(removed))]
    for old, (row_key, col, value) in removed.items():
        if old_values[old] != value:
            problems.append(f"removed {old}: old value {old_values[old]!r}, key column {col} now {value!r}")
        if f"{key_part(col)}={key_part(old_values[old])}" not in row_key.split("/"):
            problems.append(f"removed {old}: its value {old_values[old]!r} is not in the row key {row_key}")
        if not any(k.startswith(row_key + "/") for k in fresh):
            problems.append(f"removed {old}: the row {row_key} has no values left")
    targets = pd.Series(mapping).value_counts()
    problems += [f"new key {k} is the target of {n} old keys" for k, n in targets[targets > 1].items()]
    problems += [f"{o} -> {n}: new key missing from the fresh values" for o, n in mapping.items() if n not in fresh]
    problems += [f"{o} -> {n}: value {old_values[o]!r} became {fresh[n]!r}" for o, n in mapping.items()
                 if n in fresh and abs(fresh[n] - old_values[o]) > args.atol + args.rtol * abs(old_values[o])]
    inexact = sorted(o for o, n in mapping.items() if n in fresh and fresh[n] != old_values[o])
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    added = sorted(set(fresh) - set(mapping.values()))
    rows = sorted(mapping.items())
    with (REFERENCE / "KEY_MAPPING.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["old_key", "new_key"])
        writer.writerows(rows)
    removed_rows = sorted((o, r, c, repr(v)) for o, (r, c, v) in removed.items())
    with (REFERENCE / "KEY_MAPPING.removed.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["old_key", "row_key", "column", "value"])
        writer.writerows(removed_rows)
    md = [
        "# values.json key mapping (positional -> semantic keys)",
        "",
        "Generated by `tests/reporting/make_key_mapping.py`; do not edit by hand.",
        "",
        "Until the layer refactor, `values.json` named a table cell `<step>/<table>/<row>/<column>`",
        "with the row's *position* for tables without a named index (`eras/chow/0/F`). Now every key",
        "names its row by the table's key columns or named index levels, as `key=value` parts:",
        "",
        "- table cell: `<step>/<table>/<key>=<value>/.../<column>`,",
        "  e.g. `eras/chow/vintage=nbs_2021/measure=ratio/transform=level/test=2008/F`;",
        "- headline value: `<step>/<name>[/<param>=<value>...]`,",
        "  e.g. `xinjiang/average_real_growth/first=2001/last=2010`.",
        "",
        "Key parts keep letters, digits and `_ . + - | ( )`; any other run of characters becomes one `_`",
        "(`test=1998 and 2008` is `test=1998_and_2008`). No key contains `:`.",
        "",
        f"Of the {len(rows) + len(removed_rows)} old keys, {len(rows)} map to exactly one new key each "
        f"(checked when this file was generated, with rtol {args.rtol:g}); the values are identical except "
        f"the {len(inexact)} listed below. The mapping itself, machine-readable: [`KEY_MAPPING.csv`](KEY_MAPPING.csv).",
        f"The other {len(removed_rows)} old keys are removed: they were cells of a table's key columns "
        "(`eras/robustness/3/h`), and a key column's value now names the row in every key of the row "
        "(`.../h=5/m_bic`) instead of being written as a value too. For each, the old value is exactly "
        "the `column=value` part of the row's new key (checked when this file was generated): "
        "[`KEY_MAPPING.removed.csv`](KEY_MAPPING.removed.csv) lists old key, row key, column and value.",
        f"{len(added)} keys are new (values the book's prose quotes that were not published before, "
        "the `eras/breaks` table and the data figure's step); they are listed at the end.",
        "",
        "## Values that are not bit-identical",
        "",
        "| old key | new key | old value | new value |",
        "|---|---|---|---|",
        *(f"| `{_md(o)}` | `{_md(mapping[o])}` | {old_values[o]!r} | {fresh[mapping[o]]!r} |" for o in inexact),
        "",
        *(_EXPLANATIONS if inexact else []),
        "",
        "## New keys",
        "",
        *(f"- `{k}`" for k in added),
        "",
    ]
    (REFERENCE / "KEY_MAPPING.md").write_text("\n".join(md), encoding="utf-8")
    if args.write_reference:
        (REFERENCE / "values.json").write_text(json.dumps(dict(sorted(fresh.items())), indent=1) + "\n",
                                               encoding="utf-8")
    print(f"{len(rows)} old keys mapped, {len(removed_rows)} removed (key columns), {len(added)} new keys, {len(inexact)} values not bit-identical "
          f"(within rtol {args.rtol:g}); wrote {REFERENCE}/KEY_MAPPING.csv and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
