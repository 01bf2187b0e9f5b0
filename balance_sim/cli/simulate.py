"""`balance-sim simulate PATH [--policy FILE] [--set KEY=VALUE]... [--years N] [--seed S]
[--replications R] [--out DIR]`: run a scenario and write its trajectory (a thin wrapper over
`balance_sim.sim.simulate`, same parameter names).

Writes schools.parquet, county.parquet, teacher_moves.parquet, funding.parquet, checklist.parquet
(the modelled quality-2017 checklist items per year) and summary.json
into DIR, through a temporary folder beside it: nothing is written unless the run succeeds.
At most `MAX_REPLICATIONS` replications, and no more than the result tables fit in memory.
Exit 0; 2 for bad input or a bad parameter.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from balance_sim import atomic
from balance_sim.errors import InputError, ParameterError, Problem


def register(subparsers) -> None:
    parser = subparsers.add_parser("simulate", help="simulate a policy scenario for N years")
    parser.add_argument("path", metavar="PATH",
                        help="input folder or file, 'demo' / 'demo-province', or 'synthetic:N[:SEED]' (N synthetic counties)")
    parser.add_argument("--policy", metavar="FILE", help="YAML policy file (a partial tree changes the default)")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                        help="change one policy value by key path, e.g. funding.rural_share=0.8 (repeatable)")
    parser.add_argument("--years", type=int, default=10, help="years to simulate (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--replications", type=int, default=1, help="replications (default 1)")
    parser.add_argument("--out", metavar="DIR", default="simulation", help="output folder (default ./simulation)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from balance_sim.allocator import keep_freed_memory
    from balance_sim.io import load
    from balance_sim.sim import load_policy, simulate

    keep_freed_memory()  # a national run's temporary arrays reuse freed memory (allocator.py)
    policy = load_policy(args.policy, args.overrides)  # bad parameters fail before loading data
    _check_numbers(args)
    # simulate() also refuses, once the data are loaded, a run whose tables would not fit in memory.
    result = simulate(load(args.path), policy, years=args.years, seed=args.seed, replications=args.replications)
    summary = result.summary()
    write(result, summary, Path(args.out))
    print(f"simulated {len(summary['years']) - 1} years ({summary['years'][0]}–{summary['years'][-1]}), "
          f"{args.replications} replication(s), seed {args.seed} → {args.out}")
    for name, year in summary["first_year_meeting"].items():
        print(f"{name}: {'first met in ' + str(year) if year is not None else 'not met'}")
    for line in note_lines(result, Path(args.out) / "summary.json"):
        print(f"note: {line}", file=sys.stderr)
    return 0


SHOWN_COUNTY_NOTES = 10  # a province's or the country's other notes are in summary.json


def note_lines(result, summary: Path) -> list[str]:
    """The run's notes to print: all of them for one county; for several, each note every
    county has once, then the first few of single counties and where the rest are."""
    if len(result.counties) == 1:
        return list(result.notes)
    first = {name: run.state.notes for name, replication, run in result.runs if replication == result.runs[0][1]}
    shared = [text for text in dict.fromkeys(t for notes in first.values() for t in notes)
              if all(text in notes for notes in first.values())]
    own = [f"{name}: {text}" for name, notes in first.items() for text in notes if text not in shared]
    lines = [f"every county ({len(first):,}): {text}" for text in shared] + own[:SHOWN_COUNTY_NOTES]
    if len(own) > SHOWN_COUNTY_NOTES:
        lines.append(f"… and {len(own) - SHOWN_COUNTY_NOTES:,} more notes of single counties in {summary}")
    return lines


def _check_numbers(args) -> None:
    from balance_sim.sim.simulation import MAX_REPLICATIONS, MAX_YEARS

    if not 1 <= args.years <= MAX_YEARS:
        raise ParameterError(f"--years: must be from 1 to {MAX_YEARS}, got {args.years:,}")
    if not 1 <= args.replications <= MAX_REPLICATIONS:
        raise ParameterError(f"--replications: must be from 1 to {MAX_REPLICATIONS:,}, got {args.replications:,}")
    if args.seed < 0:
        raise ParameterError(f"--seed: must be at least 0, got {args.seed:,}")


def write(result, summary: dict, out: Path) -> None:
    """All six files (`summary`: result.summary(), for summary.json) into a temporary folder
    beside `out`, then moved into place."""
    try:
        with atomic.staged_folder(out) as staging:
            result.write_parquet(staging)  # by chunks of runs: a national run never holds a whole table
            text = json.dumps(summary, ensure_ascii=False, indent=2, allow_nan=False)
            (staging / "summary.json").write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(Problem(str(out), None, None, f"cannot write: {error.strerror or error}")) from None
