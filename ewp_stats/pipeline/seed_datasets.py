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
from ewp_stats.pipeline.sources import sha256_of
from ewp_stats.data.schema import Field, Schema, coerce_and_validate

__all__ = ["build_seed_datasets", "infer_schema"]

#: Column descriptions of the claims register (seeds/claims.md documents them in full).
_CLAIMS_COLUMNS = {
    "id": "claim id: P.. for the paper, N<doc>-.. for news items",
    "document": "document id 000-004 (seeds/bibliography.csv)",
    "location": "section and paragraph, or table row and column",
    "printed": "the figure(s) exactly as printed",
    "value": "the number in `unit` (midpoint for a printed range)",
    "unit": "unit of value",
    "period": "period or date the figure refers to",
    "quantity": "what the figure measures",
    "relation": "= for a rounded figure, >= or <= for 'more than' / 'less than'",
    "decimals": "printed precision (decimals; negative for rounding to tens, hundreds, ...)",
    "check": "check-language expression recomputing the figure ('' when not checkable)",
    "check_label": "what the check computes",
    "alt_check": "alternative computation that may explain a discrepancy",
    "alt_explanation": "what alt_check computes",
    "discrepancy_explanation": "most likely explanation of a discrepancy when no alternative reproduces it",
    "context": "expression shown next to the verdict (other vintage, implied rate, ...)",
    "context_label": "what context computes",
    "not_checkable_reason": "why the claim cannot be checked and what data would be needed",
}

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


def _validated(frame: pd.DataFrame, schema: Schema, name: str) -> pd.DataFrame:
    return coerce_and_validate(frame.reset_index().astype(object), schema, name)


def build_seed_datasets(seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
    """Build ``funding``, ``funding_checks``, ``personnel`` and ``claims_register`` from ``seeds/``.

    Each frame is validated against its schema here, as the loader will validate the file.
    """
    seeds_dir = Path(seeds_dir)
    out: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {}
    for name, (frame, prov) in paper_tables.paper_table_datasets(seeds_dir).items():
        out[name] = (_validated(frame, Schema.from_dict(prov["metadata"]["schema"]), name), dict(prov))
    claims_path = seeds_dir / "claims.csv"
    register = pd.read_csv(claims_path, dtype=str, keep_default_na=False).set_index("id")
    schema = infer_schema(register, _CLAIMS_COLUMNS)
    metadata = {"title": "Register of every numeric claim in the five source documents",
                "description": "Copy of seeds/claims.csv: one row per printed figure with its location, unit, "
                               "period and, where checkable, a machine-readable check.",
                "unit": "see column 'unit'", "schema": schema.to_dict(),
                "notes": ["Layout and check language: seeds/claims.md."]}
    out["claims_register"] = (_validated(register, schema, "claims_register"),
                              {"metadata": metadata, "rules": [],
                               "sources": [{"file": "seeds/claims.csv", "sha256": sha256_of(claims_path)}]})
    return out
