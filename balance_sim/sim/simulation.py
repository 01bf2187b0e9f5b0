"""`simulate(county, policy, years, seed, replications)`: run the year loop for every county of
the input and every replication, and gather the tidy result.

Randomness: replication r of county c draws every mechanism's numbers of a year from its own
stream, `SeedSequence(seed, spawn_key=(r, c, mechanism, year))` (streams.py), so a replication's
draws do not depend on how many replications run, in which order, or on which backend, and a
lever changes the baseline only through its effects.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.errors import ParameterError
from balance_sim.sim.model import run_county
from balance_sim.sim.one_state import run_counties, run_replications
from balance_sim.sim.policy import Policy, default_policy
from balance_sim.sim.result import SimulationResult
from balance_sim.sim.scenario import Scenario
from balance_sim.sim.streams import Streams

MAX_YEARS = 100
# Far above the hundreds a percentile band needs; a larger number is a typo (one extra zero or
# three) that would run for days and exhaust memory.
MAX_REPLICATIONS = 10_000

# Memory the result keeps per simulated year of one replication (base year included), measured
# on the demo and on a 300-section synthetic county and rounded up: the year × section panel and
# the funding ledger per section, the teacher-movement ledger per teacher, the county metrics.
BYTES_PER_SECTION_YEAR = 2_000
BYTES_PER_TEACHER_YEAR = 40
BYTES_PER_COUNTY_YEAR = 40_000


def available_memory() -> int:
    """Bytes of memory this process can have: the machine's physical memory, or the container's
    limit when that is lower."""
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return physical
    return min(physical, int(limit)) if limit.isdigit() else physical


def estimated_bytes(county: County, years: int, replications: int) -> int:
    """Memory the result tables of a run will take, from the base year's sections and teachers."""
    schools = county.schools
    if "year" in schools and schools["year"].notna().any():
        schools = schools[schools["year"] == schools["year"].max()]
    teachers = int(pd.to_numeric(schools["teachers"], errors="coerce").fillna(0).sum()) if "teachers" in schools else 0
    per_year = (len(schools) * BYTES_PER_SECTION_YEAR + teachers * BYTES_PER_TEACHER_YEAR
                + len(county.counties) * BYTES_PER_COUNTY_YEAR)
    return per_year * (years + 1) * replications


def _check(years, seed, replications, county: County | None = None) -> None:
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= MAX_YEARS:
        raise ParameterError(f"years: must be a whole number from 1 to {MAX_YEARS}, got {years!r}")
    if (isinstance(replications, bool) or not isinstance(replications, (int, np.integer))
            or not 1 <= replications <= MAX_REPLICATIONS):
        raise ParameterError(f"replications: must be a whole number from 1 to {MAX_REPLICATIONS:,}, got {replications!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed: must be a whole number ≥ 0, got {seed!r}")
    if county is not None:
        needed, memory = estimated_bytes(county, int(years), int(replications)), available_memory()
        if needed > memory:
            raise ParameterError(
                f"replications: {replications:,} replications of {years} years need about {_size(needed)} "
                f"of memory for the result tables, more than the memory here ({_size(memory)}); "
                f"run at most {_fitting(needed, memory, replications):,} replications at a time")


def _size(count: int) -> str:
    return f"{count / 1e9:,.1f} GB" if count >= 1e9 else f"{count / 1e6:,.0f} MB"


def _fitting(needed: int, memory: int, replications: int) -> int:
    return max(1, memory * replications // needed)


REPLICATIONS_IN_ONE_STATE = 100  # of one county: a state of 100 demo counties holds 260,000 teachers


def _blocks(numbers: range, counties: int) -> list[range]:
    """Replications run together: one at a time for several counties (they are one state
    already), else up to REPLICATIONS_IN_ONE_STATE side by side."""
    size = 1 if counties > 1 else REPLICATIONS_IN_ONE_STATE
    return [numbers[i:i + size] for i in range(0, len(numbers), size)]


def simulate(county: County, policy: Policy | Scenario | None = None, years: int = 10,
             seed: int | None = None, replications: int = 1, first_replication: int = 0) -> SimulationResult:
    """Simulate `years` years of `policy` (default: the shipped default policy) on `county`.

    `seed=None` draws fresh entropy and records it in the result (`result.seed`). Replications
    are numbered from `first_replication`: replication r draws the same numbers whichever run
    holds it, so a sweep can run its replications in separate processes and gather them.
    """
    if isinstance(policy, Scenario):
        policy = policy.policy
    policy = policy or default_policy()
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    _check(years, seed, replications, county)
    names = list(county.counties)
    runs = []
    notes: list[str] = []
    run_years: list[int] = []
    if isinstance(first_replication, bool) or not isinstance(first_replication, (int, np.integer)) \
            or first_replication < 0:
        raise ParameterError(f"first_replication: must be a whole number ≥ 0, got {first_replication!r}")
    numbers = range(first_replication, first_replication + replications)
    for block in _blocks(numbers, len(names)):
        # Several counties run as one state, and so do several replications of one county; county
        # i of replication r draws from the streams of (r, i) either way.
        if len(names) > 1:
            counties = [run_counties(county, policy, years, int(seed), block[0])]
        elif len(block) > 1:
            counties = [[run] for run in run_replications(county, policy, years, int(seed), list(block))]
        else:
            counties = [[run_county(county, policy, years, Streams(int(seed), block[0], 0))]]
        for replication, runs_of_counties in zip(block, counties, strict=True):
            for name, run in zip(names, runs_of_counties, strict=True):
                run_years = run.years
                if replication == first_replication:
                    notes.extend(n if len(names) == 1 else f"{name}: {n}" for n in run.state.notes)
                runs.append((name, replication, run))
    # The tidy tables are built from the runs' arrays when first read (result.py).
    return SimulationResult(
        runs=runs, policy=policy, seed=int(seed), replications=replications,
        years=list(run_years), counties=names, notes=list(dict.fromkeys(notes)),
    )
