"""Sphinx extension: make glued numbers checkable in the built HTML.

myst-nb renders ``{glue:text}`key:fmt``` as a bare ``<span class="pasted-text">``
that no longer says which key it came from.  This extension wraps the output
of the ``glue``, ``glue:any`` and ``glue:text`` roles in a node rendered as::

    <span class="glue-value" data-glue-doc="analyses/eras" data-glue-key="eras/h"
          data-glue-fmt=".2f" data-glue-role="text">2.86</span>

so that ``tests/reporting/test_book.py`` can compare every number a reader sees
with the ``values.json`` of a fresh ``ewp-stats reproduce`` run: the notebooks glue
each value under its ``values.json`` key (``ewp_stats.reporting.glue.publish``).  It also records cross-document glue
references (``{glue:text}`other.md::key```) and marks the referring page as
outdated when the referenced page is rebuilt, so incremental builds never
show a stale number.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from myst_nb.ext.glue.utils import PendingGlueReference
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class glue_value(nodes.inline):  # noqa: N801 (docutils node naming)
    """An inline container for one glued value, remembering its key."""


def _wrap(role, gtype: str, result):
    """Wrap the nodes returned by a myst-nb glue role in a ``glue_value`` node."""
    out_nodes, messages = result
    if not out_nodes:  # myst-nb already reported the problem
        return out_nodes, messages
    if gtype == "text":
        key_fmt = role.text.rsplit(":", 1)
        key, fmt = (key_fmt[0], key_fmt[1]) if len(key_fmt) == 2 else (key_fmt[0], "s")
    else:
        key, fmt = role.text, ""
    env: BuildEnvironment = role.document.settings.env
    doc = env.docname
    if "::" in key:
        _, key = key.split("::", 1)
        pending = [n for n in out_nodes if isinstance(n, PendingGlueReference)]
        if pending:
            doc = pending[0].refdoc
            deps = env.ewp_glue_deps.setdefault(env.docname, set())  # type: ignore[attr-defined]
            deps.add(doc)
    wrapper = glue_value("", "", *out_nodes, glue_doc=doc, glue_key=key, glue_fmt=fmt, glue_role=gtype)
    role.set_source_info(wrapper)
    return [wrapper], messages


class KeyedPasteTextRole(PasteTextRole):
    """``{glue:text}`` that remembers its key in the output."""

    def run(self):
        return _wrap(self, "text", super().run())


class KeyedPasteRoleAny(PasteRoleAny):
    """``{glue}`` / ``{glue:any}`` that remembers its key in the output."""

    def run(self):
        return _wrap(self, "any", super().run())


def _visit_html(self, node: glue_value) -> None:
    attrs = {
        "data-glue-doc": node["glue_doc"],
        "data-glue-key": node["glue_key"],
        "data-glue-fmt": node["glue_fmt"],
        "data-glue-role": node["glue_role"],
    }
    self.body.append(self.starttag(node, "span", "", CLASS="glue-value", **attrs))


def _depart_html(self, node: glue_value) -> None:
    self.body.append("</span>")


def _visit_other(self, node: glue_value) -> None:
    self.visit_inline(node)


def _depart_other(self, node: glue_value) -> None:
    self.depart_inline(node)


def _env_before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "ewp_glue_deps"):
        env.ewp_glue_deps = {}  # type: ignore[attr-defined]
    for doc in docnames:
        env.ewp_glue_deps.pop(doc, None)  # re-recorded while reading


def _env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "ewp_glue_deps", {}).pop(docname, None)


def _env_merge_info(app: Sphinx, env: BuildEnvironment, docnames, other) -> None:
    for doc in docnames:
        if doc in getattr(other, "ewp_glue_deps", {}):
            env.ewp_glue_deps[doc] = other.ewp_glue_deps[doc]  # type: ignore[attr-defined]


def _env_get_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read pages that glue values from a page being rebuilt."""
    rebuilt = set(added) | set(changed) | set(removed)
    deps: dict[str, set[str]] = getattr(env, "ewp_glue_deps", {})
    return sorted(doc for doc, refs in deps.items() if refs & rebuilt and doc not in rebuilt)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_node(
        glue_value,
        html=(_visit_html, _depart_html),
        latex=(_visit_other, _depart_other),
        text=(_visit_other, _depart_other),
        man=(_visit_other, _depart_other),
        texinfo=(_visit_other, _depart_other),
    )
    app.add_role("glue", KeyedPasteRoleAny(), override=True)
    for name, role in (("", KeyedPasteRoleAny()), ("any", KeyedPasteRoleAny()), ("text", KeyedPasteTextRole())):
        app.add_role_to_domain("glue", name, role, override=True)
    app.connect("env-before-read-docs", _env_before_read)
    app.connect("env-purge-doc", _env_purge_doc)
    app.connect("env-merge-info", _env_merge_info)
    app.connect("env-get-outdated", _env_get_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
