"""`simulate(county, policy, years, seed, replications)`: run the year loop for every county of
the input and every replication, and gather the tidy result.

Randomness: replication r of county c draws every mechanism's numbers of a year from its own
stream, `SeedSequence(seed, spawn_key=(r, c, mechanism, year))` (streams.py), so a replication's
draws do not depend on how many replications run, in which order, or on which backend, and a
lever changes the baseline only through its effects.
"""
from __future__ import annotations

import numpy as np

from balance_sim.county import County
from balance_sim.errors import ParameterError
from balance_sim.sim.model import run_county
from balance_sim.sim.policy import Policy, default_policy
from balance_sim.sim.result import SimulationResult
from balance_sim.sim.scenario import Scenario
from balance_sim.sim.streams import Streams

MAX_YEARS = 100


def _check(years, seed, replications) -> None:
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= MAX_YEARS:
        raise ParameterError(f"years: must be a whole number from 1 to {MAX_YEARS}, got {years!r}")
    if isinstance(replications, bool) or not isinstance(replications, (int, np.integer)) or replications < 1:
        raise ParameterError(f"replications: must be a whole number ≥ 1, got {replications!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed: must be a whole number ≥ 0, got {seed!r}")


def simulate(county: County, policy: Policy | Scenario | None = None, years: int = 10,
             seed: int | None = None, replications: int = 1) -> SimulationResult:
    """Simulate `years` years of `policy` (default: the shipped default policy) on `county`.

    `seed=None` draws fresh entropy and records it in the result (`result.seed`).
    """
    if isinstance(policy, Scenario):
        policy = policy.policy
    policy = policy or default_policy()
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    _check(years, seed, replications)
    names = list(county.counties)
    runs = []
    notes: list[str] = []
    run_years: list[int] = []
    for replication in range(replications):
        for index, name in enumerate(names):
            one = county if len(names) == 1 else county.select(county=name)
            run = run_county(one, policy, years, Streams(int(seed), replication, index))
            run_years = run.years
            if replication == 0:
                notes.extend(n if len(names) == 1 else f"{name}: {n}" for n in run.state.notes)
            runs.append((name, replication, run))
    # The tidy tables are built from the runs' arrays when first read (result.py).
    return SimulationResult(
        runs=runs, policy=policy, seed=int(seed), replications=replications,
        years=list(run_years), counties=names, notes=list(dict.fromkeys(notes)),
    )
