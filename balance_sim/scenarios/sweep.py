"""Scenarios and sweeps over policy settings, run serially, on local processes or on Dask, with
the same numbers whichever runs them.

A task is one scenario's replications r … r + k − 1: the base policy with the scenario's
changes, simulated for those replications (`simulate(..., replications=k, first_replication=r)`).
Replication r draws every mechanism's numbers from `SeedSequence(seed, spawn_key=(r, county,
mechanism, year))` in every scenario (common random numbers, sim/streams.py), so its result
depends only on (scenario, r) — not on the executor, the chunk, the worker, or the order tasks
finish — and scenario − baseline of replication r is the policy's effect on it. The tables are gathered in task order.

The result is tidy: one row per scenario × replication × county × year × level × (standard,
key) × metric, as `SimulationResult.county` holds it, with a `scenario` column — what seaborn
plots directly — and `paired(...)` gives scenario − baseline with 90% intervals.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from balance_sim.county import County
from balance_sim.errors import ParameterError
from balance_sim.scenarios.paired import paired
from balance_sim.sim import default_policy, simulate
from balance_sim.sim.policy_tree import Policy
from balance_sim.sim.simulation import _check as check_run

BASELINE = "baseline"
EXECUTORS = ("serial", "processes", "dask")


@dataclass(frozen=True)
class Scenario:
    """A name and a policy delta: key path → value, applied to the base policy."""

    name: str
    changes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """Replications first … first + count − 1 of one scenario."""

    scenario: str
    changes: tuple[tuple[str, object], ...]
    first: int
    count: int = 1


@dataclass
class Sweep:
    """What a sweep or comparison ran, and its tidy table."""

    table: pd.DataFrame  # scenario, replication, county, year, level, standard, key, metric, value
    scenarios: pd.DataFrame  # scenario and one column per swept key path
    seed: int
    years: int
    replications: int

    def metric(self, metric: str, standard: str = "", key: str | None = None) -> pd.DataFrame:
        rows = self.table[(self.table["metric"] == metric) & (self.table["standard"] == standard)]
        return rows if key is None else rows[rows["key"] == key]

    def paired(self, metric: str = "cv", standard: str = "quality-2017", key: str | None = None) -> pd.DataFrame:
        """Every scenario − baseline of `metric`, paired over replications, per county, level,
        key and year, with its 90% interval (balance_sim.scenarios.paired)."""
        rows = self.metric(metric, standard, key)
        keys = ["county", "level", "key", "year"]
        base = rows[rows["scenario"] == BASELINE]
        parts = [paired(base, rows[rows["scenario"] == name], keys).assign(scenario=name)
                 for name in self.scenarios["scenario"] if name != BASELINE]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def run_task(task: Task, county: County, base_policy: Policy, years: int, seed: int) -> pd.DataFrame:
    """One scenario's replications `first` … : their county table with a `scenario` column."""
    policy = base_policy.override(dict(task.changes)) if task.changes else base_policy
    result = simulate(county, policy, years=years, seed=seed, replications=task.count, first_replication=task.first)
    return result.county.assign(scenario=task.scenario)


def tasks_of(scenarios, replications: int, chunk: int) -> list[Task]:
    """Each scenario's replications in chunks of at most `chunk` (a chunk is one simulate call;
    replication r's numbers do not depend on the chunk that holds it)."""
    return [Task(s.name, tuple(s.changes.items()), first, min(chunk, replications - first))
            for s in scenarios for first in range(0, replications, chunk)]


def _progress(iterable, total: int, show: bool, what: str):
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=what, unit="run")


def run_tasks(function: Callable[[Task], pd.DataFrame], tasks: Sequence[Task], executor: str = "serial",
              scheduler: str | None = None, workers: int | None = None, progress: bool = False) -> list[pd.DataFrame]:
    """Each task's table, in task order, computed by `executor`."""
    if executor not in EXECUTORS:
        raise ParameterError(f"executor: must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if executor == "serial":
        return list(_progress(map(function, tasks), len(tasks), progress, "scenarios"))
    if executor == "processes":
        workers = workers or os.cpu_count() or 1
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(_progress(pool.map(function, tasks), len(tasks), progress, "scenarios"))
    return _run_dask(function, tasks, scheduler, workers, progress)


def _run_dask(function, tasks, scheduler, workers, progress) -> list[pd.DataFrame]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None if scheduler else LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                                  processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = client.map(function, list(tasks), pure=False)
        if progress:
            list(_progress(as_completed(futures), len(futures), True, "scenarios (dask)"))
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def compare(county: County, scenarios: Sequence[Scenario], years: int = 10, seed: int = 0, replications: int = 1,
            base_policy: Policy | None = None, executor: str = "serial", scheduler: str | None = None,
            workers: int | None = None, progress: bool = False) -> Sweep:
    """The baseline (the base policy) and each scenario, `replications` each."""
    base_policy = base_policy or default_policy()
    named = [Scenario(BASELINE), *[s for s in scenarios if s.name != BASELINE]]
    names = [s.name for s in named]
    if len(set(names)) != len(names):
        raise ParameterError(f"scenarios: names must differ, got {names}")
    check_run(years, seed, replications)  # refused before any run, as simulate refuses
    for s in named:  # a bad key or value too
        base_policy.override(dict(s.changes))
    parallel = executor != "serial"
    # A few chunks per worker keep every core busy to the end; serially one call per scenario.
    chunk = max(1, -(-replications // (4 * (workers or os.cpu_count() or 1)))) if parallel else replications
    tasks = tasks_of(named, replications, chunk)
    function = partial(run_task, county=county, base_policy=base_policy, years=years, seed=seed)
    tables = run_tasks(function, tasks, executor, scheduler, workers, progress)
    table = pd.concat(tables, ignore_index=True)
    columns = ["scenario", *[c for c in table.columns if c != "scenario"]]
    swept = sorted({path for s in named for path in s.changes})
    frame = pd.DataFrame([{"scenario": s.name, **{p: s.changes.get(p) for p in swept}} for s in named])
    return Sweep(table[columns], frame, int(seed), int(years), int(replications))


def grid_scenarios(grid: Mapping[str, Sequence[object]]) -> list[Scenario]:
    """Every combination of the grid's values, named "path=value, …" (the default's setting
    included when it is in the grid: it is a scenario like the others)."""
    paths = list(grid)
    out = []
    for values in itertools.product(*(grid[p] for p in paths)):
        changes = dict(zip(paths, values))
        out.append(Scenario(", ".join(f"{p}={v}" for p, v in changes.items()), changes))
    return out


def sweep(county: County, base_policy: Policy | None = None, grid: Mapping[str, Sequence[object]] | None = None,
          years: int = 10, seed: int = 0, replications: int = 1, executor: str = "processes",
          scheduler: str | None = None, workers: int | None = None, progress: bool = False) -> Sweep:
    """The base policy and every combination of `grid` ({key path: values}), `replications` each."""
    if not grid:
        raise ParameterError("grid: give at least one key path with its values")
    return compare(county, grid_scenarios(grid), years, seed, replications, base_policy, executor, scheduler,
                   workers, progress)
