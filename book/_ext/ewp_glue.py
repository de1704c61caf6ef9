"""Sphinx extension: make glued numbers checkable in the built HTML.

myst-nb renders ``{glue:text}`key:fmt``` as a bare ``<span class="pasted-text">``
that no longer says which key it came from.  This extension wraps the output
of the ``glue``, ``glue:any`` and ``glue:text`` roles in a node rendered as::

    <span class="glue-value" data-glue-doc="analyses/eras" data-glue-key="eras/n_cells"
          data-glue-fmt=".2f" data-glue-role="text">2.86</span>

so that ``tests/reporting/test_book.py`` can compare every number a reader sees
with the ``values.json`` of a fresh ``ewp-stats reproduce`` run: the notebooks glue
each value under its ``values.json`` key (``ewp_stats.reporting.glue.publish``).  It also records cross-document glue
references (``{glue:text}`other.md::key```) and marks the referring page as
outdated when the referenced page is rebuilt, so incremental builds never
show a stale number.

Provenance: ``publish`` also glues each step's provenance chain (under
``_provenance/<step>``, see ``ewp_stats.reporting.provenance``).  Once every page
is read, each glued span gets ``data-glue-step``, ``data-glue-function``, a
``title`` (the hover text: key, step and function, datasets, raw files with
commit and sha256) and a link to its row in the appendix that the
``{ewp-provenance-index}`` directive fills (``book/provenance.md``): one row per
glued key, with the pages it appears on and the value as shown there.  The
appendix is re-read whenever any page is, so it never lists a stale number.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from myst_nb.ext.glue.utils import PendingGlueReference
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ewp_stats.reporting.provenance import (
    CHAIN_MIME,
    GLUE_PREFIX,
    StepProvenance,
    anchor_ids,
    tooltip,
)

LOGGER = logging.getLogger(__name__)


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


def _attribute(value: str) -> str:
    """An HTML attribute value, newlines kept (docutils' ``starttag`` would fold them to spaces)."""
    return html.escape(value, quote=True).replace("\n", "&#10;")


def span_attributes(node: glue_value) -> dict[str, str]:
    """The attributes of a glued value's ``<span>`` (provenance ones once it is resolved)."""
    attrs = {"class": "glue-value", "data-glue-doc": node["glue_doc"], "data-glue-key": node["glue_key"],
             "data-glue-fmt": node["glue_fmt"], "data-glue-role": node["glue_role"]}
    for name in ("step", "function"):
        if node.get(f"glue_{name}"):
            attrs[f"data-glue-{name}"] = node[f"glue_{name}"]
    if node.get("glue_title"):
        attrs["title"] = node["glue_title"]
    return attrs


def _visit_html(self, node: glue_value) -> None:
    attrs = " ".join(f'{k}="{_attribute(v)}"' for k, v in span_attributes(node).items())
    self.body.append(f"<span {attrs}>")
    if node.get("glue_href"):
        self.body.append(f'<a class="glue-source" href="{_attribute(node["glue_href"])}">')


def _depart_html(self, node: glue_value) -> None:
    self.body.append("</a></span>" if node.get("glue_href") else "</span>")


def _visit_other(self, node: glue_value) -> None:
    self.visit_inline(node)


def _depart_other(self, node: glue_value) -> None:
    self.depart_inline(node)


# Per-document records in the environment (purged, re-recorded and merged per document):
#   ewp_glue_deps   doc -> docs it glues from;
#   ewp_chains      doc -> {step: chain as a dict} glued by the doc's notebook;
#   ewp_glue_uses   doc -> [(key, source doc, fmt, role, text shown or None if cross-document)];
#   ewp_prov_index  doc -> True when the doc holds the {ewp-provenance-index} directive.
_RECORDS = ("ewp_glue_deps", "ewp_chains", "ewp_glue_uses", "ewp_prov_index")


def _records(env: BuildEnvironment) -> None:
    for name in _RECORDS:
        if not hasattr(env, name):
            setattr(env, name, {})


def _env_before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _records(env)
    for doc in docnames:
        for name in _RECORDS:
            getattr(env, name).pop(doc, None)  # re-recorded while reading


def _env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for name in _RECORDS:
        getattr(env, name, {}).pop(docname, None)


def _env_merge_info(app: Sphinx, env: BuildEnvironment, docnames, other) -> None:
    _records(env)
    for name in _RECORDS:
        for doc in docnames:
            if doc in getattr(other, name, {}):
                getattr(env, name)[doc] = getattr(other, name)[doc]


def _env_get_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read pages that glue values from a page being rebuilt, and the provenance appendix
    whenever any page is rebuilt."""
    rebuilt = set(added) | set(changed) | set(removed)
    deps: dict[str, set[str]] = getattr(env, "ewp_glue_deps", {})
    outdated = {doc for doc, refs in deps.items() if refs & rebuilt}
    if rebuilt:
        outdated |= set(getattr(env, "ewp_prov_index", {}))
    return sorted(outdated - rebuilt)


# --------------------------------------------------------------------------- provenance


class provenance_index(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for the appendix table, filled once every page is read."""


class ProvenanceIndexDirective(Directive):
    """``{ewp-provenance-index}``: the table of every glued number and where it comes from."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        _records(env)
        env.ewp_prov_index[env.docname] = True
        node = provenance_index()
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


def _glue_cache(env: BuildEnvironment, docname: str) -> dict[str, Any]:
    """myst-nb's glue data of a notebook page (``<docname>.glue.json`` in its output folder)."""
    *folders, name = docname.split("/")
    path = Path(env.mystnb_config.output_folder).joinpath(*folders, f"{name}.glue.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record the page's glued chains and every glued value it shows."""
    env = app.env
    _records(env)
    doc = env.docname
    glued = env.nb_metadata.get(doc, {}).get("glue", []) if hasattr(env, "nb_metadata") else []
    if any(k.startswith(GLUE_PREFIX) for k in glued):
        cache = _glue_cache(env, doc)
        chains = {}
        for k, v in sorted(cache.items()):
            if not k.startswith(GLUE_PREFIX):
                continue
            if CHAIN_MIME not in v.get("data", {}):
                LOGGER.warning(f"glued provenance {k!r} of {doc} has no {CHAIN_MIME} data "
                               f"(it has {sorted(v.get('data', {}))}); its numbers get no chain", location=doc)
                continue
            chains[k[len(GLUE_PREFIX):]] = v["data"][CHAIN_MIME]
        env.ewp_chains[doc] = chains
    uses = []
    for node in doctree.findall(glue_value):
        local = node["glue_doc"] == doc
        uses.append((node["glue_key"], node["glue_doc"], node["glue_fmt"], node["glue_role"],
                     node.astext() if local else None))
    if uses:
        env.ewp_glue_uses[doc] = uses


def _chain(env: BuildEnvironment, doc: str, key: str) -> StepProvenance | None:
    step = key.split("/", 1)[0]
    found = getattr(env, "ewp_chains", {}).get(doc, {}).get(step)
    return StepProvenance.from_dict(found) if found is not None else None


def _index_doc(env: BuildEnvironment) -> str | None:
    docs = sorted(getattr(env, "ewp_prov_index", {}))
    return docs[0] if docs else None


def _all_keys(env: BuildEnvironment) -> list[str]:
    return sorted({u[0] for uses in getattr(env, "ewp_glue_uses", {}).values() for u in uses})


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    index = _index_doc(env)
    anchors = anchor_ids(_all_keys(env))
    for node in doctree.findall(glue_value):
        chain = _chain(env, node["glue_doc"], node["glue_key"])
        if chain is None:
            LOGGER.warning(f"glued value {node['glue_key']!r} (from {node['glue_doc']!r}): no provenance chain "
                           f"for its step; glue it with ewp_stats.reporting.glue.publish",
                           type="ewp_glue", subtype="provenance", location=node)
            continue
        node["glue_step"], node["glue_function"] = chain.step, chain.function
        node["glue_title"] = tooltip(node["glue_key"], chain)
        if index is not None and app.builder.format == "html":
            node["glue_href"] = f"{app.builder.get_relative_uri(docname, index)}#{anchors[node['glue_key']]}"
    for placeholder in list(doctree.findall(provenance_index)):
        placeholder.replace_self(_index_table(app, docname, anchors))


def shown_values(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """For each glued key: the pages showing it, the value as shown, and the doc that glued it."""
    rows: dict[str, dict[str, Any]] = {}
    for page, uses in sorted(getattr(env, "ewp_glue_uses", {}).items()):
        for key, source, fmt, role, text in uses:
            if text is None:  # cross-document: formatted as myst-nb formats it
                data = _glue_cache(env, source).get(key, {}).get("data", {})
                text = format_plain_text(data["text/plain"], fmt) if "text/plain" in data and role == "text" \
                    else data.get("text/plain", "")
            row = rows.setdefault(key, {"pages": [], "shown": [], "source": source})
            if page not in row["pages"]:
                row["pages"].append(page)
            if text not in row["shown"]:
                row["shown"].append(text)
    return rows


def _para(*children: nodes.Node | str) -> nodes.paragraph:
    return nodes.paragraph("", "", *[nodes.Text(c) if isinstance(c, str) else c for c in children])


def _lines(items: list[str]) -> list[nodes.Node]:
    return [nodes.line_block("", *[nodes.line(x, x) for x in items])] if items else []


def _index_table(app: Sphinx, docname: str, anchors: dict[str, str]) -> list[nodes.Node]:
    """One table per step, a row per glued key: the value as shown, the pages showing it and the
    key; the step and its function; the datasets and their raw and seed files."""
    env = app.env
    rows = shown_values(env)
    by_step: dict[str, list[str]] = {}
    for key in sorted(rows):
        by_step.setdefault(key.split("/", 1)[0], []).append(key)
    out: list[nodes.Node] = []
    headers = ("Value, page and values.json key", "Computed by (reproduce step, its function)", "Datasets the step loaded, their raw and seed files")
    for step, keys in sorted(by_step.items()):
        table = nodes.table(classes=["ewp-provenance"], ids=[f"provenance-step-{step}"])
        tgroup = nodes.tgroup(cols=len(headers))
        caption = f"Numbers computed by the {step} step of ewp-stats reproduce"
        table += nodes.title(caption, caption)
        table += tgroup
        for width in (35, 25, 40):
            tgroup += nodes.colspec(colwidth=width)
        head, body = nodes.thead(), nodes.tbody()
        head += nodes.row("", *[nodes.entry("", _para(h)) for h in headers])
        for key in keys:
            row = rows[key]
            chain = _chain(env, row["source"], key)
            pages: list[nodes.Node] = []
            for page in row["pages"]:
                title = env.titles[page].astext() if page in env.titles else page
                pages += [nodes.Text("; ") if pages else nodes.Text("on "),
                          nodes.reference(title, title, internal=True,
                                          refuri=app.builder.get_relative_uri(docname, page))]
            shown = " / ".join(row["shown"])
            number = [_para(nodes.strong(shown, shown)), _para(*pages), _para(nodes.literal(key, key))]
            if chain is None:
                by, source = [_para("not recorded")], [_para("not recorded")]
            else:
                by = [_para(chain.step), _para(nodes.literal(chain.function, chain.function))]
                files = [f.label() for f in chain.raw_files()] + [f.label() for f in chain.seed_files()]
                source = [_para(", ".join(d.name for d in chain.datasets) or "no dataset"), *_lines(files)]
            tr = nodes.row(ids=[anchors[key]])
            for cell in (number, by, source):
                tr += nodes.entry("", *cell)
            body += tr
        tgroup += head
        tgroup += body
        out.append(table)
    if not out:
        out.append(_para("No glued value was found in the book."))
    return out


def _add_static(app: Sphinx) -> None:
    """Ship ``_static/ewp_provenance.css`` (the subtle mark of a glued number) with every page."""
    static = Path(app.srcdir, "_static")
    if app.builder.format == "html" and static.joinpath("ewp_provenance.css").is_file():
        if str(static) not in app.config.html_static_path and "_static" not in app.config.html_static_path:
            app.config.html_static_path.append(str(static))
        app.add_css_file("ewp_provenance.css")


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
    app.add_node(provenance_index)
    app.add_directive("ewp-provenance-index", ProvenanceIndexDirective)
    app.connect("doctree-read", _doctree_read)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("builder-inited", _add_static)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
