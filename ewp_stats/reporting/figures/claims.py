"""Figure of the claims chapter: claims per source document, by audit verdict."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the caller picks the backend (reproduce uses Agg)
import pandas as pd
from matplotlib.figure import Figure

from ewp_stats.paper import claims
from ewp_stats.paper.claims import AuditResult

__all__ = ["VERDICT_COLORS", "plot_status_by_document"]


#: The colour of each verdict in figures (greens where the figure agrees with its check, orange and
#: red where it is discrepant, grey where it is not checkable).
VERDICT_COLORS: dict[str, str] = {
    "reproduced": "#2d6a4f", "reproduced_under_convention": "#52b788",
    "consistent_with_claim": "#95d5b2", "arithmetic_agrees": "#a9d6e5",
    "count_matches_listing": "#cfe8ef", "bound_satisfied": "#b7e4c7",
    "discrepant_explained": "#f4a261", "discrepant_unexplained": "#d1495b",
    "not_checkable": "#bfbfbf"}


def plot_status_by_document(result: AuditResult | None = None) -> Figure:
    """Horizontal stacked bars: claims per document, coloured by audit verdict.

    Parameters
    ----------
    result
        An audit; default: :func:`~ewp_stats.paper.claims.audit` of the whole register.

    Returns
    -------
    matplotlib.figure.Figure
    """
    result = claims.audit() if result is None else result
    table = result.counts_by_document
    kinds = _document_labels()
    table.index = [kinds.get(d, d) for d in table.index]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    left = pd.Series(0, index=table.index)
    for verdict in claims.VERDICTS:
        ax.barh(table.index, table[verdict], left=left, color=VERDICT_COLORS[verdict],
                label=verdict.replace("_", " "))
        left = left + table[verdict]
    ax.invert_yaxis()
    ax.set_xlabel("number of claims")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _document_labels() -> dict[str, str]:
    """Document id -> short label, e.g. "004 (paper)" (kinds as in seeds/bibliography.csv)."""
    return {d: f"{d} ({'paper' if d == '004' else 'news'})" for d in claims.DOCUMENTS}
