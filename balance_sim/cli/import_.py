"""`balance-sim import PATH… [--mapping FILE] [--campuses FILE] --out DIR`: reads the education
statistics export (one workbook per level) and writes the canonical tables, printing what it mapped.

Thin wrapper over `balance_sim.statexport.read_export` and `write_canonical`; the written folder
must load with `balance_sim.io.load` before it replaces anything, so bad input writes nothing, and
what the loader refuses is reported at the workbook cell it was read from, as `validate` does.
"""
from __future__ import annotations

import argparse

from balance_sim.errors import ParameterError
from balance_sim.io import load
from balance_sim.statexport import read_export, write_canonical


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="read the education statistics export (教育事业统计) into canonical tables",
        description="Read export workbooks (one per level: 小学 / 初中 / 高中) through a mapping file "
        "and write schools.csv (+ shared_facilities.csv) to DIR.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="export workbooks (.xlsx) or CSV files")
    parser.add_argument("--mapping", metavar="FILE", help="mapping YAML (default: the shipped one)")
    parser.add_argument("--campuses", metavar="FILE", help="CSV of campus → parent school (校点, 所属学校)")
    parser.add_argument("--header-rows", type=int, metavar="N", help="header rows (default: detected)")
    parser.add_argument("--year", type=int, metavar="YEAR", help="attach a year column")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the canonical tables")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.header_rows is not None and args.header_rows < 1:
        raise ParameterError(f"--header-rows must be at least 1, not {args.header_rows}")
    result = read_export(args.paths, mapping=args.mapping, campus_parents=args.campuses,
                         header_rows=args.header_rows, year=args.year)
    written = write_canonical(result, args.out, validate=load)
    print(result.report.text)
    for note in result.notes:
        print(f"note: {note}")
    for path in written:
        print(f"wrote {path}")
    return 0
