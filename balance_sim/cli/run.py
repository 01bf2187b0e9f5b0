"""`balance-sim run NOTEBOOK [-p NAME VALUE]... [--out DIR]`: one notebook with papermill, then HTML.

Thin wrapper over `balance_sim.report.run_notebook`. A parameter the notebook does not declare,
or a value its rules reject, is a ParameterError: one line on stderr, exit 2, nothing written.
"""
from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="execute one notebook with papermill and export it as HTML",
        description="Execute one parameterised notebook (by name, e.g. 01_county_monitoring, or path) "
        "and write OUT/NAME.ipynb, OUT/NAME.html and the tables in OUT/NAME/.",
    )
    parser.add_argument("notebook", metavar="NOTEBOOK", help="notebook name or path")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="set a parameter of the notebook (repeatable), e.g. -p years 5",
    )
    parser.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from balance_sim.report.runner import run_notebook  # papermill and nbconvert load slowly: only when asked

    run = run_notebook(args.notebook, dict(args.parameter), out=args.out, progress=not args.no_progress)
    print(f"{run.name}: {run.html} ({run.seconds:.0f} s)", file=sys.stdout)
    for item in (run.summary or {}).get("headline", []):
        print(f"  {item['label']}: {item['text']} {item.get('unit', '')}".rstrip())
    return 0
