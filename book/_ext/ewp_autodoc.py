"""Keep private names out of the API reference (book/api.md).

``autodoc`` documents members by their ``__all__``/public status, but a frozen
dataclass's private fields (``_cache``, ``_fits``, ...) still show up as members
and in the class signature. This extension skips every member whose name starts
with an underscore and drops such parameters from the signatures autodoc prints.
Module names given explicitly (``ewp_stats._results``) are not members and stay.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _skip_private(app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any) -> bool | None:
    """Skip members named ``_x`` (including dunders); leave every other decision to autodoc."""
    return True if name.startswith("_") else None


def _split_params(params: str) -> list[str]:
    """Top-level, comma-separated parts of a parameter list (brackets and quotes respected)."""
    parts, depth, quote, current = [], 0, "", []
    for ch in params:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def public_signature(signature: str) -> str:
    """``signature`` (``"(a, b, _c=<factory>)"``) without its parameters named ``_x``."""
    inner = signature.strip()
    if not (inner.startswith("(") and inner.endswith(")")):
        return signature
    kept = [p for p in _split_params(inner[1:-1]) if not p.lstrip("*").startswith("_")]
    if kept and kept[-1] == "*":  # every keyword-only parameter was private
        kept.pop()
    return "(" + ", ".join(kept) + ")"


def _strip_signature(app: Sphinx, what: str, name: str, obj: Any, options: Any, signature: str | None,
                     return_annotation: str | None) -> tuple[str | None, str | None] | None:
    if signature and "_" in signature:
        return public_signature(signature), return_annotation
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-skip-member", _skip_private)
    app.connect("autodoc-process-signature", _strip_signature)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
