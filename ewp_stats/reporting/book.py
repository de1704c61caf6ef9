"""Build the project's Jupyter Book (``book/``) from a source checkout.

The book is built by Jupyter Book 1 (Sphinx + MyST-NB) in a subprocess of the
current interpreter, with warnings as errors (``-W``), nit-picky cross-reference
checks (``-n``) and ``--keep-going`` so that one run reports every warning.

Builds are incremental by default. Notebooks are executed through jupyter-cache
(``execute_notebooks: cache`` in ``book/_config.yml``): a notebook runs again only
when its code cells change, and Sphinx re-reads only the pages whose source changed.
What Sphinx cannot see, a change to the package, its data or the build set-up, is
covered by an *inputs key* (:func:`inputs_key`) kept in ``_build/.ewp_inputs_key``:
when the key differs from the last successful build's, or a figure or table a
notebook wrote is missing, the build starts clean. Usage::

    from ewp_stats.reporting.book import build_book
    index = build_book()            # incremental; returns .../book/_build/html/index.html
    index = build_book(fresh=True)  # clean: delete _build (and the notebook cache) first
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ewp_stats._typing import PathLike
from ewp_stats.errors import EwpStatsError

__all__ = ["build_book", "book_dir", "inputs_key", "BookBuildError", "KEY_FILE"]

#: Builders accepted by :func:`build_book` and the folder each writes to under ``_build``.
BUILDERS = {"html": "html", "dirhtml": "dirhtml", "singlehtml": "singlehtml", "latex": "latex"}

#: File under ``_build/`` that records the inputs key and the notebook outputs of the last
#: successful build.
KEY_FILE = ".ewp_inputs_key"

#: Folders (by name, anywhere in the book's sources) that notebooks write figures and tables to.
OUTPUT_FOLDERS = ("figures", "tables")

# Sphinx colours its log unless told not to; without a terminal (a log file, ``capture``) or with
# NO_COLOR set, switch the colours off so that logs carry no escape sequences.
_JB_MAIN = (
    "from sphinx.util.console import color_terminal, nocolor\n"
    "if not color_terminal(): nocolor()\n"
    "from jupyter_book.cli.main import main; main()"
)
_PACKAGE = Path(__file__).resolve().parents[1]  # the ewp_stats folder of this checkout


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
    path = Path(env) if env else _PACKAGE.parent / "book"
    if not (path / "_config.yml").is_file():
        raise FileNotFoundError(
            f"book sources not found: {path / '_config.yml'} does not exist; build the book from a "
            "source checkout of ewp_stats (or set EWP_BOOK_DIR to its book/ folder)"
        )
    return path


def _files(folder: Path, pattern: str = "*") -> Iterator[Path]:
    """Files under ``folder`` matching ``pattern`` (recursively), without byte-code caches."""
    if folder.is_dir():
        for path in folder.rglob(pattern):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                yield path


def _key_inputs(source: Path, package: Path) -> list[tuple[str, Path]]:
    """The files the inputs key covers, each with the name it is hashed under."""
    groups: list[tuple[str, Path, Iterable[Path]]] = [
        # the package: code, its shipped data (ewp_stats/data/*.csv, datapackage.json) and the
        # published reference values (ewp_stats/reference/)
        ("package", package, _files(package)),
        # the committed seed tables (transcriptions of the source documents) the package reads
        ("seeds", package.parent / "seeds", _files(package.parent / "seeds")),
        ("book", source, [source / "_config.yml", source / "_toc.yml"]),
        ("book", source, _files(source / "_ext", "*.py")),
    ]
    return sorted({(f"{tag}/{p.relative_to(base).as_posix()}", p) for tag, base, paths in groups
                   for p in paths if p.is_file()})


def _versions() -> list[str]:
    """``python`` and ``name==version`` of every installed distribution, sorted."""
    names = {f"{(d.metadata['Name'] or '?').lower()}=={d.version}" for d in importlib.metadata.distributions()}
    return [f"python=={sys.version.split()[0]}", *sorted(names)]


def inputs_key(*, source: PathLike | None = None, package: PathLike | None = None) -> str:
    """SHA-256 of everything that can change a notebook's output without changing its source.

    Parameters
    ----------
    source
        The book folder (default: :func:`book_dir`).
    package
        The ``ewp_stats`` package folder whose files are hashed (default: the one this
        module belongs to). Its parent is taken as the checkout, for ``seeds/``.

    Returns
    -------
    str
        64 hexadecimal digits.

    Notes
    -----
    The key covers every file of the package (code, shipped cleaned data, the
    published ``reference/`` values), the checkout's ``seeds/``, ``_config.yml``,
    ``_toc.yml`` and ``_ext/*.py`` of the book, and the versions of Python and of
    every installed distribution. File names and contents are hashed, not
    modification times, so a checkout or ``touch`` leaves the key unchanged. The
    notebooks' own sources are not part of the key: Sphinx and jupyter-cache track
    them page by page.
    """
    src = Path(source).resolve() if source is not None else book_dir()
    pkg = Path(package).resolve() if package is not None else _PACKAGE
    digest = hashlib.sha256()
    for name, path in _key_inputs(src, pkg):
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update("\n".join(_versions()).encode())
    return digest.hexdigest()


def _notebook_outputs(src: Path) -> list[str]:
    """Files in the book's ``figures/`` and ``tables/`` folders (through symlinks), relative to ``src``."""
    found: list[str] = []
    for root, dirs, files in os.walk(src, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        if Path(root).name in OUTPUT_FOLDERS:
            found += [(Path(root) / f).relative_to(src).as_posix() for f in files]
    return sorted(found)


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _stale(state: dict, key: str, src: Path) -> bool:
    """Whether the previous build cannot be reused: another inputs key, or a notebook output missing."""
    return state.get("key") != key or any(not (src / f).is_file() for f in state.get("outputs", []))


def _stderr_fd() -> int | None:
    """The file descriptor of ``sys.stderr`` (the build log goes there, so that stdout carries only
    the path of ``index.html``), or None (inherit) where stderr is not a real file, as in Jupyter."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def build_book(
    *,
    fresh: bool = False,
    builder: str = "html",
    source: PathLike | None = None,
    output: PathLike | None = None,
    capture: bool = False,
) -> Path:
    """Build the Jupyter Book and return the path of its ``index.html``.

    By default the build is incremental: Sphinx re-reads only the pages whose
    source changed (and pages that glue values from them) and jupyter-cache
    re-executes only notebooks whose code changed. The build starts clean instead
    (``_build/`` with its notebook cache deleted) when ``fresh`` is true, when
    :func:`inputs_key` differs from the key of the last successful build, when a
    file the last build's notebooks wrote to a ``figures/`` or ``tables/`` folder is
    missing, or when the last build failed.

    Parameters
    ----------
    fresh
        Always start clean, so that every page is read and every notebook executed.
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
    same copy of the package. The notebook cache is jupyter-cache's, in
    ``_build/.jupyter_cache``; the book's ``_config.yml`` must set
    ``execute_notebooks: cache`` for notebooks to be reused (with ``force`` every
    build executes every notebook). A failed build removes the key, so that the
    next build is clean and reports every warning again: Sphinx reports warnings
    only for the pages it re-reads.
    """
    if builder not in BUILDERS:
        raise ValueError(f"builder must be one of {sorted(BUILDERS)}, got {builder!r}")
    src = Path(source).resolve() if source is not None else book_dir()
    if not (src / "_config.yml").is_file():
        raise FileNotFoundError(f"book sources not found: {src / '_config.yml'} does not exist")
    out_root = (Path(output).resolve() if output is not None else src) / "_build"
    key_file = out_root / KEY_FILE
    key = inputs_key(source=src)
    if (fresh or _stale(_read_state(key_file), key, src)) and out_root.exists():
        shutil.rmtree(out_root)  # also removes the notebook cache, _build/.jupyter_cache
    key_file.unlink(missing_ok=True)

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
    out_root.mkdir(parents=True, exist_ok=True)
    state = {"key": key, "outputs": _notebook_outputs(src)}
    key_file.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    target = out_root / BUILDERS[builder]
    index = target / "index.html"
    return index if builder != "latex" else target
