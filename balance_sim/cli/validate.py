"""`balance-sim validate PATH`: load and validate input data, print what was loaded.

Exit 0 when valid (the summary and the loader's notes on stdout); bad input is reported by the
command line as one `file:row:column: message` line per problem on stderr, exit 2.
"""
from __future__ import annotations

import argparse

from balance_sim.io import load


def run(args: argparse.Namespace) -> int:
    print(load(args.path).summary())
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="load and validate input data; list every problem",
        description="Load PATH (a folder, .xlsx, .csv or .parquet file, a folder of statistics-export "
        "workbooks (小学/初中/高中) or one such workbook, a folder of year folders, 'demo', or "
        "'synthetic:N[:SEED]') and validate it.",
    )
    parser.add_argument("path", metavar="PATH",
                        help="input data, 'demo' / 'demo-province', or 'synthetic:N[:SEED]' (N synthetic counties)")
    parser.set_defaults(func=run)
