"""Random streams: one generator per replication, county, mechanism and year.

Every draw of a run comes from `SeedSequence(seed, spawn_key=(replication, county, mechanism,
year))`, so each mechanism sees its own stream (design.md "Randomness"): a lever changes the
baseline only through its effects (common random numbers), and a replication's draws do not
depend on how many replications run, in which order, or on which executor. Within a year a
mechanism draws per teacher slot, so the draws of the teachers already serving do not depend on
how many were hired.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from balance_sim.sim.groups import stable_order

# Stable codes: appending a mechanism never changes the streams of the others.
MECHANISM_CODES = {
    "roster": 0,
    "enrolment": 1,
    "funding": 2,
    "retirement": 3,
    "mobility": 4,
    "hiring": 5,
    "training": 6,
    "exchange": 7,
    "quality": 8,
    "capacity": 9,
    "targeted_training": 10,
}


@dataclass(frozen=True)
class Streams:
    """The generators of one replication of one or more counties.

    `counties` are the counties' indices in the input (the spawn key's county): a state of
    several counties draws each county's numbers from its own streams, so a county draws the
    same numbers in a state of many counties as alone.
    """

    seed: int
    replication: int = 0
    county: int = 0
    counties: tuple[int, ...] | None = None
    # The replication of each county of the state, when a state holds several replications
    # (of one county or of several); None: every county is of `replication`.
    replications: tuple[int, ...] | None = None

    @property
    def codes(self) -> tuple[int, ...]:
        return self.counties if self.counties is not None else (self.county,)

    def replication_of(self, position: int) -> int:
        return self.replication if self.replications is None else self.replications[position]

    def generator(self, mechanism: str, year: int, county: int | None = None,
                  replication: int | None = None) -> np.random.Generator:
        """A fresh generator for `mechanism` in `year` (the same every time it is asked for);
        `county` is the county's index in the input (default: the only or first county),
        `replication` its replication (default: `self.replication`)."""
        code = self.codes[0] if county is None else county
        replication = self.replication if replication is None else replication
        key = (replication, code, MECHANISM_CODES[mechanism], int(year))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def draws(self, mechanism: str, year: int) -> "CountyDraws":
        """The draws of `mechanism` in `year` for every county of the state."""
        return CountyDraws(self, mechanism, int(year))


class CountyDraws:
    """Uniform draws of one mechanism and year, each county from its own generator.

    `random(county, *columns)` gives one row per element of `county` (the position of each
    row's county in the state, rows in the state's order); county c's rows are the next numbers
    of its generator, in order. With one county this is `generator.random((n, *columns))`.
    Generators are made when a county first draws and then continue, so successive calls
    continue each county's stream as successive `random` calls of one generator would.
    """

    def __init__(self, streams: Streams, mechanism: str, year: int):
        self.streams, self.mechanism, self.year = streams, mechanism, year
        self._generators: dict[int, np.random.Generator] = {}

    @classmethod
    def of(cls, generator: np.random.Generator) -> "CountyDraws":
        """Draws of one county from a given generator (for callers that hold one)."""
        draws = cls(Streams(0), "roster", 0)
        draws._generators[0] = generator
        return draws

    @property
    def counties(self) -> int:
        return len(self.streams.codes)

    def generator(self, position: int) -> np.random.Generator:
        if position not in self._generators:
            self._generators[position] = self.streams.generator(self.mechanism, self.year,
                                                                self.streams.codes[position],
                                                                self.streams.replication_of(position))
        return self._generators[position]

    def random(self, county: np.ndarray, *columns: int) -> np.ndarray:
        county = np.asarray(county)
        n = len(county)
        if self.counties == 1:
            return self.generator(0).random((n, *columns))
        out = np.empty((n, *columns))
        if n == 0:
            return out
        runs = _sorted_runs(county)
        if runs is not None:
            # Rows already in county order, run after run (the base year's slots, then each
            # year's hires): each county's rows of a run take its next numbers in place.
            first = 0
            for run_counties, run_sizes in runs:
                for c, size in zip(run_counties, run_sizes):
                    self.generator(c).random(out=out[first:first + size])
                    first += size
            return out
        order = _county_order(county)
        sizes = np.bincount(county, minlength=self.counties)
        out[order] = np.concatenate([self.generator(c).random((int(sizes[c]), *columns))
                                     for c in np.flatnonzero(sizes)])
        return out


# Beyond this many runs in county order, one scatter of the draws costs less than a call per
# county and run.
_MOST_RUNS = 32


class _LastReadOnly:
    """What was worked out from the last read-only array it was asked about: the slots'
    counties of a state are one read-only array until slots are added (State.teacher_county),
    drawn from by several mechanisms a year."""

    def __init__(self, compute):
        self.compute = compute
        self.last = None  # (weak reference to the array, its value), replaced whole

    def __call__(self, county: np.ndarray):
        last = self.last
        if last is not None and last[0]() is county:
            return last[1]
        value = self.compute(county)
        if not county.flags.writeable:
            self.last = (weakref.ref(county), value)
        return value


def _runs_of(county: np.ndarray) -> list[tuple[list[int], list[int]]] | None:
    """The array as runs in ascending county order: [(the run's counties, their row counts)],
    or None if it has more than _MOST_RUNS runs."""
    starts = np.flatnonzero(county[1:] < county[:-1]) + 1
    if len(starts) >= _MOST_RUNS:
        return None
    runs = []
    for run in np.split(county, starts):
        firsts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
        runs.append((run[firsts].tolist(), np.diff(np.r_[firsts, len(run)]).tolist()))
    return runs


_sorted_runs = _LastReadOnly(_runs_of)
_county_order = _LastReadOnly(stable_order)  # positions county by county (a stable sort)
