"""Every notebook runs top to bottom in a fresh kernel, as a reader would run it.

The notebooks are MyST markdown files (jupytext): the analysis chapters in
``analyses/`` and the book's own notebook pages in ``book/`` (pages whose front
matter declares a kernel). Each is converted with jupytext and executed with
nbclient in a new ``python3`` kernel whose working directory is the notebook's
folder, using the installed ``ewp_stats``. A cell that raises fails the test, and
so does any output on stderr (the book build treats stderr as a warning, which is
an error under ``-W``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _is_notebook(path: Path) -> bool:
    """A MyST markdown file whose front matter names a kernel."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    front = text.split("---", 2)[1]
    return "kernelspec:" in front


def notebook_paths() -> list[Path]:
    """The notebooks of ``analyses/`` and ``book/``, sorted by path."""
    found = [p for folder in ("analyses", "book") for p in sorted((ROOT / folder).glob("*.md"))]
    return [p for p in found if _is_notebook(p)]


def execute(path: Path, timeout: int = 600):
    """Execute the MyST notebook at ``path`` in a fresh kernel; return the executed notebook."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return nb


NOTEBOOKS = notebook_paths()


def test_there_are_notebooks():
    names = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]
    assert "book/data.md" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_runs_clean(path: Path):
    nb = execute(path)  # raises CellExecutionError (with the traceback) if a cell fails
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cells"
    assert all(c.execution_count is not None for c in code_cells), f"{path.name}: a code cell did not run"
    errors = [o for c in code_cells for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: error outputs {[e.ename for e in errors]}"
    stderr = [
        (i, o.text) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not stderr, f"{path.name}: output on stderr (cell index, text): {stderr}"
    first_code = code_cells[0].source
    assert "ewp_stats" in first_code, f"{path.name}: the first code cell must import the library"
