"""Build the project's Jupyter Book (``book/``) from a source checkout.

The book is built by Jupyter Book 1 (Sphinx + MyST-NB) in a subprocess of the
current interpreter, with warnings as errors (``-W``), nit-picky cross-reference
checks (``-n``) and ``--keep-going`` so that one run reports every warning. Every
notebook is executed afresh (``execute_notebooks: force`` in ``book/_config.yml``).
Usage::

    from ewp_stats.reporting.book import build_book
    index = build_book()             # clean build, returns .../book/_build/html/index.html
    index = build_book(fresh=False)  # incremental: only pages whose source changed
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ewp_stats._typing import PathLike
from ewp_stats.errors import EwpStatsError

__all__ = ["build_book", "book_dir", "BookBuildError"]

#: Builders accepted by :func:`build_book` and the folder each writes to under ``_build``.
BUILDERS = {"html": "html", "dirhtml": "dirhtml", "singlehtml": "singlehtml", "latex": "latex"}

_JB_MAIN = "from jupyter_book.cli.main import main; main()"


class BookBuildError(EwpStatsError, RuntimeError):
    """``jupyter-book build`` failed (a warning under ``-W``, an error in a notebook, ...)."""


def book_dir() -> Path:
    """The ``book/`` folder of the source checkout this package was imported from.

    Returns
    -------
    Path
        ``$EWP_BOOK_DIR`` if set, else ``<checkout>/book``.

    Raises
    ------
    FileNotFoundError
        No ``_config.yml`` there: the book is built from a git checkout, not from an
        installed wheel.
    """
    env = os.environ.get("EWP_BOOK_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "book"
    if not (path / "_config.yml").is_file():
        raise FileNotFoundError(
            f"book sources not found: {path / '_config.yml'} does not exist; build the book from a "
            "source checkout of ewp_stats (or set EWP_BOOK_DIR to its book/ folder)"
        )
    return path


def _stderr_fd() -> int | None:
    """The file descriptor of ``sys.stderr`` (the build log goes there, so that stdout carries only
    the path of ``index.html``), or None (inherit) where stderr is not a real file, as in Jupyter."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def build_book(
    *,
    fresh: bool = True,
    builder: str = "html",
    source: PathLike | None = None,
    output: PathLike | None = None,
    capture: bool = False,
) -> Path:
    """Build the Jupyter Book and return the path of its ``index.html``.

    Parameters
    ----------
    fresh
        Delete the previous build (HTML, doctrees and executed notebooks) first, so
        that every page is read and every notebook executed again. ``False`` makes an
        incremental build: only pages whose source changed (and pages that glue
        numbers from them) are rebuilt.
    builder
        One of ``"html"``, ``"dirhtml"``, ``"singlehtml"``, ``"latex"``.
    source
        The book folder (default: :func:`book_dir`).
    output
        Folder that receives ``_build/`` (default: the book folder).
    capture
        Capture the build log instead of streaming it to standard error; on failure the
        end of the log is included in the exception message.

    Returns
    -------
    Path
        ``<output>/_build/<builder>/index.html`` (for ``latex``, the build folder).

    Raises
    ------
    ValueError
        Unknown ``builder``.
    FileNotFoundError
        The book sources are not available (see :func:`book_dir`).
    BookBuildError
        The build failed; warnings count as errors.

    Notes
    -----
    The subprocess runs ``jupyter-book build <source> -W -n --keep-going --builder
    <builder>`` with the current interpreter. The checkout's root is put first on
    ``PYTHONPATH`` so that the API reference and the notebooks document and use the
    same copy of the package.
    """
    if builder not in BUILDERS:
        raise ValueError(f"builder must be one of {sorted(BUILDERS)}, got {builder!r}")
    src = Path(source).resolve() if source is not None else book_dir()
    if not (src / "_config.yml").is_file():
        raise FileNotFoundError(f"book sources not found: {src / '_config.yml'} does not exist")
    out_root = (Path(output).resolve() if output is not None else src) / "_build"
    if fresh and out_root.exists():
        shutil.rmtree(out_root)

    cmd = [sys.executable, "-c", _JB_MAIN, "build", str(src), "-W", "-n", "--keep-going", "--builder", builder]
    if output is not None:
        cmd += ["--path-output", str(Path(output).resolve())]
    env = dict(os.environ)
    root = str(src.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # silences a debugger notice of ipykernel

    proc = subprocess.run(
        cmd,
        cwd=src.parent,
        env=env,
        stdout=subprocess.PIPE if capture else _stderr_fd(),
        stderr=subprocess.STDOUT if capture else None,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = ""
        if capture and proc.stdout:
            tail = "\n" + "\n".join(proc.stdout.splitlines()[-80:])
        raise BookBuildError(f"jupyter-book build of {src} failed with exit status {proc.returncode}{tail}")
    target = out_root / BUILDERS[builder]
    index = target / "index.html"
    return index if builder != "latex" else target
