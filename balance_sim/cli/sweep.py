"""`balance-sim sweep PATH --grid KEY=V1,V2,… [--grid …] [--policy FILE] [--set KEY=VALUE]…
[--years N] [--seed S] --replications R [--executor serial|processes|dask] [--scheduler ADDRESS]
[--workers N] --out DIR`: the base policy and every combination of the grid, R replications each
(balance_sim.scenarios.sweep).

Writes into DIR, through a temporary folder beside it (nothing unless the sweep succeeds):
sweep.parquet (the tidy table: scenario × replication × county × year × level × standard × key ×
metric), scenarios.csv (each scenario's settings) and paired_cv.parquet (every quality-2017 CV,
scenario − baseline, paired over replications with its 90% interval). The numbers are the same
whichever executor runs them. Exit 0; 2 for bad input or a bad parameter, as `simulate`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from balance_sim import atomic
from balance_sim.errors import InputError, ParameterError, Problem


def register(subparsers) -> None:
    parser = subparsers.add_parser("sweep", help="simulate every combination of a grid of policy settings")
    parser.add_argument("path", metavar="PATH",
                        help="input folder or file, 'demo' / 'demo-province', or 'synthetic:N[:SEED]' (N synthetic counties)")
    parser.add_argument("--grid", metavar="KEY=V1,V2,...", action="append", default=[], required=True,
                        help="a key path and its values, e.g. funding.rural_share=0.2,0.5,0.8 (repeatable)")
    parser.add_argument("--policy", metavar="FILE", help="YAML policy file: the base the grid changes")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                        help="change the base policy by key path (repeatable)")
    parser.add_argument("--years", type=int, default=10, help="years to simulate (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--replications", type=int, required=True, help="replications of every scenario")
    parser.add_argument("--executor", choices=("serial", "processes", "dask"), default="processes",
                        help="where the runs go (default: local processes)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (with --executor dask)")
    parser.add_argument("--workers", type=int, help="processes or Dask workers (default: one per core)")
    parser.add_argument("--out", metavar="DIR", default="sweep", help="output folder (default ./sweep)")
    parser.set_defaults(func=run)


def parse_grid(texts: list[str]) -> dict[str, list[object]]:
    """["funding.rural_share=0.2,0.5"] → {"funding.rural_share": [0.2, 0.5]} (values read as YAML)."""
    from balance_sim.sim.policy import parse_assignment

    grid: dict[str, list[object]] = {}
    for text in texts:
        key, _, raw = text.partition("=")
        values = [parse_assignment(f"{key}={item}")[1] for item in raw.split(",")] if raw.strip() else []
        if not values:
            raise ParameterError(f"--grid {text!r}: expected KEY=V1,V2,…, e.g. funding.rural_share=0.2,0.8")
        if key.strip() in grid:
            raise ParameterError(f"--grid: {key.strip()} is given twice")
        grid[key.strip()] = values
    return grid


def run(args) -> int:
    from balance_sim.allocator import keep_freed_memory
    from balance_sim.cli.simulate import _check_numbers
    from balance_sim.io import load
    from balance_sim.scenarios import sweep
    from balance_sim.sim import load_policy

    keep_freed_memory()  # large states' temporary arrays reuse freed memory (allocator.py)
    base = load_policy(args.policy, args.overrides)  # bad parameters fail before loading data
    grid = parse_grid(args.grid)
    _check_numbers(args)
    if args.scheduler and args.executor != "dask":
        raise ParameterError("--scheduler: only with --executor dask")
    if args.workers is not None and args.workers < 1:
        raise ParameterError(f"--workers: must be at least 1, got {args.workers}")
    for scenario in grid_values(grid):  # every combination is a valid policy before any run
        base.override(scenario)
    result = sweep(load(args.path), base, grid, years=args.years, seed=args.seed, replications=args.replications,
                   executor=args.executor, scheduler=args.scheduler, workers=args.workers,
                   progress=sys.stderr.isatty())
    write(result, Path(args.out))
    print(f"swept {len(result.scenarios)} scenarios × {args.replications} replication(s), {args.years} years, "
          f"seed {args.seed} ({args.executor}) → {args.out}")
    return 0


def grid_values(grid: dict[str, list[object]]):
    from balance_sim.scenarios import grid_scenarios

    return [scenario.changes for scenario in grid_scenarios(grid)]


def write(result, out: Path) -> None:
    try:
        with atomic.staged_folder(out) as staging:
            result.table.to_parquet(staging / "sweep.parquet", index=False)
            result.scenarios.to_csv(staging / "scenarios.csv", index=False, encoding="utf-8-sig")
            result.paired("cv", "quality-2017").to_parquet(staging / "paired_cv.parquet", index=False)
    except OSError as error:
        raise InputError(Problem(str(out), None, None, f"cannot write: {error.strerror or error}")) from None
