"""Shared text and HTML rendering of key-value result summaries (synthetic control, DiD)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import ClassVar

__all__ = ["KeyValueReport", "fmt", "html_table"]


def fmt(x: float, digits: int = 3) -> str:
    """A float with ``digits`` decimals."""
    return f"{x:.{digits}f}"


def html_table(rows: Sequence[tuple[str, str]], title: str) -> str:
    """A two-column HTML table (label, value) with a caption, every string escaped."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


class KeyValueReport:
    """Mixin: ``summary()`` and ``_repr_html_()`` from the subclass's ``_rows()`` and ``_title``."""

    _title: ClassVar[str] = ""

    def _rows(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def summary(self) -> str:
        """Plain-text summary: the title, then one aligned ``label  value`` line per item."""
        rows = self._rows()
        width = max(len(k) for k, _ in rows)
        return self._title + "\n" + "\n".join(f"{k:<{width}}  {v}" for k, v in rows)

    def _repr_html_(self) -> str:
        return html_table(self._rows(), self._title)
