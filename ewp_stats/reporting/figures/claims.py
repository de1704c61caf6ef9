"""Figure of the claims chapter: claims per source document, by audit verdict."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ewp_stats.paper import claims
from ewp_stats.paper.claims import AuditResult
from ewp_stats.reporting.figures.style import new_figure

__all__ = ["VERDICT_COLORS", "VERDICT_WORDS", "DOCUMENT_LABELS", "plot_status_by_document"]


#: The colour of each verdict in figures (greens and blues where the figure agrees with its check,
#: orange and red where it is discrepant, grey where it is not checkable).
VERDICT_COLORS: dict[str, str] = {
    "reproduced": "#2d6a4f", "reproduced_under_convention": "#52b788",
    "consistent_with_claim": "#95d5b2", "arithmetic_agrees": "#a9d6e5",
    "count_matches_listing": "#cfe8ef", "bound_satisfied": "#b7e4c7",
    "discrepant_explained": "#f4a261", "discrepant_unexplained": "#d1495b",
    "not_checkable": "#bfbfbf"}


#: Each verdict in words, as the figure's legend and the chapter's tables print it.
VERDICT_WORDS: dict[str, str] = {
    "reproduced": "reproduced", "reproduced_under_convention": "reproduced under a convention",
    "consistent_with_claim": "consistent with another claim", "arithmetic_agrees": "date arithmetic agrees",
    "count_matches_listing": "count matches the listing", "bound_satisfied": "bound satisfied",
    "discrepant_explained": "discrepant, explained", "discrepant_unexplained": "discrepant, unexplained",
    "not_checkable": "not checkable"}


#: Each source document by outlet and date (seeds/bibliography.csv), as figures and tables name it.
DOCUMENT_LABELS: dict[str, str] = {
    "000": "Xinhua, 2025-11-22", "001": "Economic Daily, 2026-07-05",
    "002": "People's Daily, 2025-05-29", "003": "Xinhua, 2023-09-22", "004": "Research paper"}


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
    table.index = [DOCUMENT_LABELS.get(d, d) for d in table.index]
    fig, ax = new_figure(height=4.2)
    left = pd.Series(0, index=table.index)
    for verdict in claims.VERDICTS:
        ax.barh(table.index, table[verdict], left=left, color=VERDICT_COLORS[verdict],
                label=VERDICT_WORDS[verdict])
        left = left + table[verdict]
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Number of claims")
    fig.legend(loc="outside upper center", ncol=2, frameon=False)
    return fig
