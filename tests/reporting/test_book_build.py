"""Incremental book builds (:mod:`ewp_stats.reporting.book`): the inputs key and when a build starts clean.

The key and the clean-or-incremental decision are checked fast, with ``jupyter-book`` replaced by a
stub; one slow test builds a tiny real book twice and checks that its notebook ran once.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from ewp_stats.reporting import book
from ewp_stats.reporting.book import KEY_FILE, build_book, inputs_key


def _tiny_book(root: Path, code: str = "print('hello')") -> Path:
    """A book folder with a configuration, a toc, one extension and one MyST notebook."""
    src = root / "book"
    (src / "_ext").mkdir(parents=True)
    (src / "_config.yml").write_text(textwrap.dedent("""\
        title: Tiny
        author: tests
        only_build_toc_files: true
        exclude_patterns: [_build, _ext]
        execute:
          execute_notebooks: cache
          run_in_temp: false
          allow_errors: false
        """), encoding="utf-8")
    (src / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (src / "_ext" / "noop.py").write_text("def setup(app):\n    return {}\n", encoding="utf-8")
    _write_notebook(src, code)
    return src


def _write_notebook(src: Path, code: str, prose: str = "A tiny notebook.") -> None:
    (src / "intro.md").write_text(textwrap.dedent("""\
        ---
        jupytext:
          text_representation:
            format_name: myst
        kernelspec:
          name: python3
          display_name: Python 3
        ---

        # Tiny

        {prose}

        ```{{code-cell}} python3
        {code}
        ```
        """).format(prose=prose, code=code), encoding="utf-8")


def _package(root: Path) -> Path:
    """A stand-in package folder (code, shipped data, reference values) with seeds/ beside it."""
    pkg = root / "pkg" / "ewp_stats"
    for rel, text in {"__init__.py": "", "core.py": "X = 1\n", "data/table.csv": "a,b\n1,2\n",
                      "reference/values.json": "{}\n"}.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text, encoding="utf-8")
    (pkg.parent / "seeds").mkdir()
    (pkg.parent / "seeds" / "claims.csv").write_text("id\nN1\n", encoding="utf-8")
    return pkg


def test_inputs_key_changes_with_the_package_data_and_configuration(tmp_path: Path) -> None:
    src, pkg = _tiny_book(tmp_path), _package(tmp_path)
    key = inputs_key(source=src, package=pkg)
    assert len(key) == 64 and inputs_key(source=src, package=pkg) == key

    # not part of the key: modification times, byte-code caches, the notebooks (Sphinx tracks them)
    os.utime(pkg / "core.py", (1, 1))
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")
    _write_notebook(src, "print('changed')")
    assert inputs_key(source=src, package=pkg) == key

    seen = {key}
    for path, text in [(pkg / "core.py", "X = 2\n"), (pkg / "data" / "table.csv", "a,b\n1,3\n"),
                       (pkg / "reference" / "values.json", '{"k": 1}\n'),
                       (pkg.parent / "seeds" / "claims.csv", "id\nN2\n"),
                       (src / "_config.yml", "title: Other\n"), (src / "_toc.yml", "format: jb-book\nroot: x\n"),
                       (src / "_ext" / "noop.py", "def setup(app):\n    return {'version': '2'}\n"),
                       (pkg / "new_module.py", "")]:
        path.write_text(text, encoding="utf-8")
        new = inputs_key(source=src, package=pkg)
        assert new not in seen, f"key unchanged after editing {path.relative_to(tmp_path)}"
        seen.add(new)


def test_inputs_key_of_the_checkout_is_stable() -> None:
    assert inputs_key() == inputs_key()


class _FakeJupyterBook:
    """Stands in for the ``jupyter-book build`` subprocess: records each call, writes a page and,
    like a notebook, a figure."""

    def __init__(self, src: Path) -> None:
        self.src, self.calls, self.returncode = src, 0, 0

    def __call__(self, cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        self.calls += 1
        html = self.src / "_build" / "html"
        html.mkdir(parents=True, exist_ok=True)
        (html / "index.html").write_text("<html></html>", encoding="utf-8")
        (self.src / "figures").mkdir(exist_ok=True)
        (self.src / "figures" / "fig.png").write_bytes(b"png")
        return subprocess.CompletedProcess(cmd, self.returncode, stdout="log line\n", stderr=None)


def test_build_starts_clean_only_when_it_must(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _tiny_book(tmp_path)
    fake = _FakeJupyterBook(src)
    monkeypatch.setattr(book.subprocess, "run", fake)
    marker = src / "_build" / ".jupyter_cache" / "cached"

    def build(**kw: object) -> bool:
        """Build once; True if the previous build (and its notebook cache) was kept."""
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        assert build_book(source=src, capture=True, **kw) == src / "_build" / "html" / "index.html"
        return marker.exists()

    assert not build()  # no key from an earlier build: the old _build cannot be trusted
    state = json.loads((src / "_build" / KEY_FILE).read_text(encoding="utf-8"))
    assert state["key"] == inputs_key(source=src) and state["outputs"] == ["figures/fig.png"]
    assert build()  # nothing changed: incremental
    _write_notebook(src, "print(2)")
    assert build()  # a notebook changed: Sphinx and jupyter-cache handle it
    assert not build(fresh=True)
    (src / "_config.yml").write_text((src / "_config.yml").read_text(encoding="utf-8") + "copyright: x\n",
                                     encoding="utf-8")
    assert not build()  # the key changed
    assert build()
    (src / "figures" / "fig.png").unlink()
    assert not build()  # a notebook output is missing
    fake.returncode = 1
    with pytest.raises(book.BookBuildError, match="exit status 1\nlog line"):
        build()
    assert not (src / "_build" / KEY_FILE).exists()
    fake.returncode = 0
    assert not build()  # after a failure the next build is clean, so it reports every warning
    assert fake.calls == 9


@pytest.mark.slow
def test_second_build_does_not_execute_the_notebook_again(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    src = _tiny_book(tmp_path, code=f"with open({str(runs)!r}, 'a') as f:\n    f.write('run\\n')")
    index = build_book(source=src, capture=True)
    assert index.is_file() and runs.read_text().count("run") == 1
    build_book(source=src, capture=True)
    assert runs.read_text().count("run") == 1  # unchanged: the notebook's outputs come from the cache
    _write_notebook(src, f"with open({str(runs)!r}, 'a') as f:\n    f.write('run\\n')", prose="Other prose.")
    build_book(source=src, capture=True)
    assert runs.read_text().count("run") == 1  # prose changed, code did not: still cached
    assert "Other prose." in (index.parent / "intro.html").read_text(encoding="utf-8")
    build_book(source=src, capture=True, fresh=True)
    assert runs.read_text().count("run") == 2
