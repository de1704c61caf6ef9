"""Figure of the claims chapter: claims per source document, by audit status."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the caller picks the backend (reproduce uses Agg)
import pandas as pd
from matplotlib.figure import Figure

from ewp_stats.paper import claims
from ewp_stats.paper.claims import AuditResult

__all__ = ["STATUS_COLORS", "plot_status_by_document"]


#: Colours of the statuses in figures.
STATUS_COLORS: dict[str, str] = {"reproduced": "#4c956c", "discrepant": "#d1495b",
                                 "not_checkable": "#bfbfbf"}


def plot_status_by_document(result: AuditResult | None = None) -> Figure:
    """Horizontal stacked bars: claims per document, coloured by audit status.

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
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    left = pd.Series(0, index=table.index)
    for status in claims.STATUSES:
        ax.barh(table.index, table[status], left=left, color=STATUS_COLORS[status],
                label=status.replace("_", " "))
        left = left + table[status]
    ax.invert_yaxis()
    ax.set_xlabel("number of claims")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _document_labels() -> dict[str, str]:
    """Document id -> short label, e.g. "004 (paper)" (kinds as in seeds/bibliography.csv)."""
    return {d: f"{d} ({'paper' if d == '004' else 'news'})" for d in claims.DOCUMENTS}
