"""Random streams: one generator per replication, county, mechanism and year.

Every draw of a run comes from `SeedSequence(seed, spawn_key=(replication, county, mechanism,
year))`, so each mechanism sees its own stream (design.md "Randomness"): a lever changes the
baseline only through its effects (common random numbers), and a replication's draws do not
depend on how many replications run, in which order, or on which executor. Within a year a
mechanism draws per teacher slot, so the draws of the teachers already serving do not depend on
how many were hired.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    """The generators of one replication of one county."""

    seed: int
    replication: int = 0
    county: int = 0

    def generator(self, mechanism: str, year: int) -> np.random.Generator:
        """A fresh generator for `mechanism` in `year` (the same every time it is asked for)."""
        key = (self.replication, self.county, MECHANISM_CODES[mechanism], int(year))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))
