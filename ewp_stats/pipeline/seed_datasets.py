"""Datasets built from the project's own transcriptions in ``seeds/`` (no raw files needed).

The paper's Table 1 and Table 2 (parsed by :mod:`ewp_stats.pipeline.paper_tables`), the
claims register and the region's own 2020-2022 GDP releases (``xinjiang_official``). Each is validated against its declared schema
(:data:`ewp_stats.pipeline.catalog.SPECS`), as the loader will validate the shipped file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from ewp_stats._files import read_text, sha256_of
from ewp_stats.data.schema import coerce_and_validate
from ewp_stats.pipeline import paper_tables
from ewp_stats.pipeline.catalog import SPECS

__all__ = ["build_seed_datasets"]


def _validated(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return coerce_and_validate(frame.reset_index().astype(object), SPECS[name].schema, name)


def build_seed_datasets(seeds_dir: Path) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
    """Build ``funding``, ``funding_checks``, ``personnel``, ``claims_register``,
    ``claim_consistency`` and ``xinjiang_official`` from ``seeds/``.

    Returns
    -------
    dict
        ``name -> (validated frame, provenance with sources and rules)``.
    """
    seeds_dir = Path(seeds_dir)
    out: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {}
    for name, (frame, prov) in paper_tables.paper_table_datasets(seeds_dir).items():
        out[name] = (_validated(frame, name), dict(prov))
    claims_path = seeds_dir / "claims.csv"
    text = read_text(claims_path, file="seeds/claims.csv")
    register = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).set_index("id")
    out["claims_register"] = (_validated(register, "claims_register"),
                              {"rules": [], "sources": [{"file": "seeds/claims.csv",
                                                         "sha256": sha256_of(claims_path)}]})
    consistency_path = seeds_dir / "claim_consistency.csv"
    text = read_text(consistency_path, file="seeds/claim_consistency.csv")
    checks = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).set_index("id")
    out["claim_consistency"] = (_validated(checks, "claim_consistency"),
                                {"rules": [], "sources": [{"file": "seeds/claim_consistency.csv",
                                                           "sha256": sha256_of(consistency_path)}]})
    out["xinjiang_official"] = _seed_table(seeds_dir, "xinjiang_official_2020_2022.csv",
                                           "xinjiang_official", ["source", "year", "quantity"])
    return out


def _seed_table(seeds_dir: Path, file: str, name: str,
                key: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A ``seeds/`` CSV read as text, indexed by ``key`` and validated as dataset ``name``."""
    path = seeds_dir / file
    text = read_text(path, file=f"seeds/{file}")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).set_index(key)
    return (_validated(frame, name),
            {"rules": [], "sources": [{"file": f"seeds/{file}", "sha256": sha256_of(path)}]})
