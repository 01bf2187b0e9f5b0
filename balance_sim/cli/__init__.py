"""The `balance-sim` command line: one thin module per subcommand, each a wrapper over one
public function of the package.

Each module in this package defines `register(subparsers)`, which adds its subparser and sets
`func(args) -> int`. Bad input (`InputError`) and bad parameters (`ParameterError`) become one
line per problem on stderr and exit code 2; anything else is a bug and is not hidden (exit 1).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from balance_sim.errors import InputError, ParameterError

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    # argparse exits 2 on a usage error already; keep its message, drop nothing.
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="balance-sim",
        description="Measure and simulate the balanced development of compulsory education.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or EXIT_OK)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except ParameterError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def entry_point() -> None:
    sys.exit(main())
