"""Datasets built from the project's own transcriptions in ``seeds/`` (no raw files needed).

The paper's Table 1 and Table 2 (parsed by :mod:`ewp_stats.pipeline.paper_tables`) and the
claims register. Their schemas are derived from the built frames (types) plus the column
descriptions of each dataset's metadata, then enforced again whenever the dataset is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ewp_stats.pipeline import paper_tables
from ewp_stats.schema import Field, Schema, coerce_and_validate

__all__ = ["build_seed_datasets", "infer_schema"]

#: Numeric columns that may not be negative.
_NON_NEGATIVE = {"amount", "count", "value"}


def infer_schema(frame: pd.DataFrame, descriptions: dict[str, str]) -> Schema:
    """Schema of a built frame: types from dtypes, ``required`` where no value is missing.

    Parameters
    ----------
    frame
        Frame indexed by its primary key.
    descriptions
        Column name -> description.
    """
    flat = frame.reset_index()
    fields = []
    for name in flat.columns:
        col = flat[name]
        if pd.api.types.is_bool_dtype(col):
            type_ = "boolean"
        elif pd.api.types.is_integer_dtype(col):
            type_ = "integer"
        elif pd.api.types.is_float_dtype(col):
            type_ = "number"
        else:
            type_ = "string"
        minimum = 0 if (name in _NON_NEGATIVE and type_ in ("integer", "number")) else None
        required = not (col.isna() | (col.astype("string") == "")).any() if type_ == "string" else not col.isna().any()
        fields.append(Field(str(name), type_, descriptions.get(str(name), ""), "", bool(required), minimum))
    return Schema(tuple(fields), tuple(frame.index.names))


def _entry(frame: pd.DataFrame, meta: dict[str, Any], sources: list[dict[str, Any]],
           name: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    schema = infer_schema(frame, meta.get("columns", {}))
    typed = coerce_and_validate(frame.reset_index().astype(object), schema, name)
    notes = list(meta.get("notes", []))
    metadata = {"title": meta["title"], "description": meta.get("description", meta["title"]),
                "unit": meta.get("unit", ""), "schema": schema.to_dict(), "notes": notes}
    rules = [{"values_excluded": 0, **r} for r in meta.get("rules", [])]
    return typed, {"metadata": metadata, "sources": sources, "rules": rules}


def build_seed_datasets(seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
    """Build ``funding``, ``funding_checks``, ``personnel`` and ``claims_register`` from ``seeds/``."""
    seeds_dir = Path(seeds_dir)
    funding, checks = paper_tables.build_funding(seeds_dir)
    personnel = paper_tables.build_personnel(seeds_dir)
    paper = {"file": "seeds/004_de9daaf1b232b997.txt (the research paper; see seeds/bibliography.csv)"}
    out = {
        "funding": _entry(funding, paper_tables.funding_metadata(),
                          [{**paper, "transcription": f"seeds/{paper_tables.FUNDING_FILE}"}], "funding"),
        "funding_checks": _entry(checks, paper_tables.funding_checks_metadata(),
                                 [{**paper, "transcription": f"seeds/{paper_tables.FUNDING_FILE}"}], "funding_checks"),
        "personnel": _entry(personnel, paper_tables.personnel_metadata(),
                            [{**paper, "transcription": f"seeds/{paper_tables.PERSONNEL_FILE}"}], "personnel"),
    }
    claims_path = seeds_dir / "claims.csv"
    if claims_path.exists():
        register = pd.read_csv(claims_path, dtype=str, keep_default_na=False).set_index("id")
        meta = {"title": "Register of every numeric claim in the five source documents",
                "description": "Copy of seeds/claims.csv: one row per printed figure with its location, unit, "
                               "period and, where checkable, a machine-readable check.",
                "unit": "see column 'unit'", "columns": {}, "notes": ["Layout and check language: seeds/claims.md."]}
        out["claims_register"] = _entry(register, meta, [{"file": "seeds/claims.csv"}], "claims_register")
    return out
