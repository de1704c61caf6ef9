"""The ``ewp-stats`` command line.

Subcommands import what they need when they run, so ``ewp-stats --help`` is instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _cmd_datasets(args: argparse.Namespace) -> int:
    from ewp_stats import data

    table = data.list_datasets()
    if args.json:
        print(table.reset_index().to_json(orient="records", force_ascii=False, indent=2))
    else:
        for name, row in table.iterrows():
            print(f"{name}\n  title:    {row['title']}\n  unit:     {row['unit']}\n"
                  f"  coverage: {row['coverage']}\n  source:   {row['source']}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from ewp_stats import data

    frame = data.load(args.name)
    if args.metadata:
        print(json.dumps(frame.attrs["metadata"], ensure_ascii=False, indent=2))
        return 0
    if args.csv:
        frame.reset_index().to_csv(args.csv, index=False, lineterminator="\n")
        print(f"wrote {len(frame)} rows to {args.csv}")
        return 0
    with pd.option_context("display.max_rows", args.rows, "display.width", 200, "display.max_columns", 20):
        print(frame.to_string(max_rows=args.rows))
    return 0


def _cmd_build_data(args: argparse.Namespace) -> int:
    import filecmp
    import tempfile

    from ewp_stats.pipeline.build import build_all, default_out_dir

    if not args.check:
        path = build_all(args.raw_dir, seeds_dir=args.seeds_dir, out_dir=args.out_dir)
        print(f"wrote {path.parent}")
        return 0
    target = Path(args.out_dir) if args.out_dir else default_out_dir()
    with tempfile.TemporaryDirectory() as tmp:
        build_all(args.raw_dir, seeds_dir=args.seeds_dir, out_dir=tmp)
        fresh = sorted(p.name for p in Path(tmp).iterdir())
        differ = [n for n in fresh if not (target / n).exists() or not filecmp.cmp(Path(tmp) / n, target / n, shallow=False)]
        extra = sorted(p.name for p in target.iterdir() if p.suffix in (".csv", ".json") and p.name not in fresh)
    if differ or extra:
        print(f"rebuilt data differ from {target}: changed {differ}, not rebuilt {extra}", file=sys.stderr)
        return 1
    print(f"rebuilt {len(fresh)} files: byte-identical to {target}")
    return 0


def _cmd_claims(args: argparse.Namespace) -> int:
    """Print the claims audit: ``--format table`` (default) the scorecard by document and verdict,
    then each claim with its printed text, recomputed value and interval, verdict and reason, then
    the checks between claims; ``--format csv`` or ``json`` the audit table (one row per claim,
    numbers rounded to their meaningful digits). ``--csv PATH`` also writes the CSV to a file.
    Exit code 0, or 2 for an unknown document or verdict (the message goes to stderr)."""
    import json

    from ewp_stats.errors import InputError
    from ewp_stats.paper.claims import audit

    try:
        result = audit(document=args.document, verdict=args.verdict)
    except InputError as exc:
        print(f"ewp-stats claims: {exc}", file=sys.stderr)
        return 2
    report = result.report_frame().reset_index()
    if args.format == "csv":
        sys.stdout.write(report.to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        payload = {"document": result.document, "verdict": result.verdict,
                   "n_register": result.n_register, "counts": dict(result.counts),
                   "scorecard": result.scorecard.to_dict(orient="index"),
                   "claims": json.loads(report.to_json(orient="records")),
                   "consistency": json.loads(result.consistency.to_frame().reset_index().to_json(
                       orient="records")) if result.consistency is not None else []}
        print(json.dumps(payload, indent=1, ensure_ascii=False))
    else:
        print(result.summary())
    if args.csv is not None:
        Path(args.csv).write_text(report.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
        print(f"\nwrote {len(result.claims)} rows to {args.csv}", file=sys.stderr)
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from ewp_stats.reporting.reproduce import reproduce

    reproduce(args.out, progress=not args.quiet)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from ewp_stats.reporting.reproduce import verify_cli

    return verify_cli(args.out, reference=args.reference, rtol=args.rtol, atol=args.atol)


def _cmd_book(args: argparse.Namespace) -> int:
    from ewp_stats.reporting.book import build_book

    if args.keep:
        print("ewp-stats book: --keep is deprecated: incremental builds are the default", file=sys.stderr)
    index = build_book(fresh=args.fresh)
    print(index)
    return 0


def _parser() -> argparse.ArgumentParser:
    from ewp_stats import __version__

    p = argparse.ArgumentParser(prog="ewp-stats", description="Statistics on China's East-West partnership "
                                "for poverty reduction: datasets, analyses, claims audit, book.",
                                epilog=_EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"ewp-stats {__version__}")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("datasets", help="list the shipped datasets (title, unit, coverage, source)")
    s.add_argument("--json", action="store_true", help="print as JSON")
    s.set_defaults(func=_cmd_datasets)

    s = sub.add_parser("show", help="print one dataset as a table, or write it as CSV")
    s.add_argument("name", help="dataset name (see `ewp-stats datasets`)")
    s.add_argument("--csv", metavar="PATH", help="write CSV to PATH instead of printing")
    s.add_argument("--rows", type=int, default=60, help="rows to print (default 60)")
    s.add_argument("--metadata", action="store_true", help="print the dataset's metadata as JSON")
    s.set_defaults(func=_cmd_show)

    s = sub.add_parser("build-data", help="rebuild the cleaned datasets from the raw files")
    s.add_argument("--raw-dir", help="raw-data directory (default: $EWP_RAW_DIR)")
    s.add_argument("--seeds-dir", help="the project's seeds/ (default: the checkout's)")
    s.add_argument("--out-dir", help="output directory (default: ewp_stats/data of the checkout)")
    s.add_argument("--check", action="store_true",
                   help="rebuild into a temporary directory and fail unless byte-identical to the shipped data")
    s.set_defaults(func=_cmd_build_data)

    s = sub.add_parser("claims", help="audit every numeric claim of the source documents")
    s.add_argument("--document", help="only this document id (e.g. 004)")
    s.add_argument("--verdict", help="only claims with this verdict (reproduced, reproduced_under_convention, "
                   "consistent_with_claim, bound_satisfied, discrepant_explained, discrepant_unexplained, "
                   "not_checkable)")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="output: the scorecard and one block per claim (table, default), or the audit "
                        "table as CSV or JSON")
    s.add_argument("--csv", metavar="PATH", help="also write the audit table as CSV to PATH")
    s.set_defaults(func=_cmd_claims)

    s = sub.add_parser("reproduce", help="run every analysis and write tables, figures and a manifest")
    s.add_argument("--out", default="results", help="output directory (default: results)")
    s.add_argument("--quiet", action="store_true", help="no progress display")
    s.set_defaults(func=_cmd_reproduce)

    s = sub.add_parser("verify", help="rerun everything and compare with the committed reference results")
    s.add_argument("--out", default="results", help="where to write the fresh results (default: results)")
    s.add_argument("--reference", help="reference results JSON (default: the one shipped with the package)")
    s.add_argument("--rtol", type=float, default=1e-9,
                   help="relative tolerance per number, finite and >= 0 (default 1e-9)")
    s.add_argument("--atol", type=float, default=1e-12,
                   help="absolute tolerance per number, finite and >= 0 (default 1e-12)")
    s.set_defaults(func=_cmd_verify)

    s = sub.add_parser(
        "book", help="build the Jupyter Book (incrementally) and print the path of index.html",
        description="Build the Jupyter Book in book/ (warnings are errors) and print the path of index.html. "
        "Builds are incremental: only pages whose source changed are re-read and only notebooks whose code "
        "changed are executed again (jupyter-cache, in book/_build/.jupyter_cache). The build starts clean "
        "when the package, its data, seeds/, book/_config.yml, book/_toc.yml, book/_ext/ or the installed "
        "versions changed since the last successful build (a hash kept in book/_build/.ewp_inputs_key), when "
        "a figure or table written by a notebook is missing, or when the last build failed.")
    s.add_argument("--fresh", action="store_true",
                   help="clean build: delete book/_build (and the notebook cache) and execute every notebook")
    s.add_argument("--keep", action="store_true", help="deprecated, the default (incremental build)")
    s.set_defaults(func=_cmd_book)
    return p


_EXIT_CODES = """exit codes:
  0    success
  1    `build-data --check` or `verify` found differences
  2    bad input: an invalid argument, a missing, unreadable or corrupted file, a failed check
       (one line on stderr names what failed, the path and what to do)
  3    an unexpected internal error (please report it; rerun with --debug for the traceback)
  130  interrupted (Ctrl-C)

Add --debug (before the command) to see the full traceback of any error."""


def _one_line(exc: BaseException) -> str:
    """What failed and the path, from any ordinary exception, on one line."""
    if isinstance(exc, PermissionError):
        what = f"permission denied: {exc.filename}" if exc.filename else f"permission denied: {exc}"
        hint = "check the file's permissions or choose another path"
    elif isinstance(exc, FileNotFoundError):
        what = f"not found: {exc.filename}" if exc.filename else str(exc)
        hint = "check the path"
    elif isinstance(exc, IsADirectoryError | NotADirectoryError):
        what = f"{exc.strerror}: {exc.filename}"
        hint = "check the path"
    elif isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        what = f"{exc.strerror or exc}{where}"
        hint = "free disk space or check the device and path" if exc.errno == 28 else "check the path and the device"
    elif isinstance(exc, UnicodeError):
        what = f"text encoding error ({exc})"
        hint = "save files as UTF-8 or set PYTHONIOENCODING=utf-8 for the console"
    else:
        from ewp_stats.errors import EwpStatsError

        what = str(exc)
        hint = "" if isinstance(exc, EwpStatsError) else "check the input"
    text = " ".join(what.split())
    return f"{text}; {hint}" if hint and hint not in text else text


def _console_safe() -> None:
    """A console that cannot encode the output (e.g. LANG=C with Chinese names) replaces what
    it cannot show instead of failing mid-way."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or unusual stream
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ewp-stats``; returns the exit status (see ``ewp-stats --help``)."""
    from ewp_stats.errors import EwpStatsError

    _console_safe()
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head` and closed early
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"ewp-stats {args.command}: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except (EwpStatsError, OSError, UnicodeError, ValueError) as exc:
        if args.debug:
            raise
        print(f"ewp-stats {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a command-line tool
        if args.debug:
            raise
        print(f"ewp-stats {args.command}: internal error: {type(exc).__name__}: {exc}; "
              "rerun with --debug and report the traceback", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
