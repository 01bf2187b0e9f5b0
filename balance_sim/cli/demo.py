"""`balance-sim demo [--out DIR]`: the main job — every notebook on the embedded demo county, then
`DIR/index.html` linking each report with its headline numbers. Wraps `balance_sim.report.run_demo`."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="the main job: run every notebook on the demo data and write an index page",
        description="Run every numbered notebook with its defaults and write DIR/index.html.",
    )
    parser.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from balance_sim.report.demo import run_demo  # papermill and nbconvert load slowly: only when asked

    demo = run_demo(args.out, progress=not args.no_progress)
    for run in demo.runs:
        print(f"{run.name}: {run.html} ({run.seconds:.0f} s)")
    print(f"index: {demo.index} ({demo.seconds:.0f} s in all)")
    return 0
