"""CountyDraws.random: county c's rows, in row order, are the next numbers of c's own generator,
whatever the order of the rows (runs in county order, drawn in place, or any order, scattered)
and however the draws are split over calls."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import streams as S
from balance_sim.sim.streams import Streams

COUNTIES = 5
STREAMS = Streams(11, replication=2, counties=(3, 0, 7, 1, 4))


def _expected(calls: list[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """Each call's rows from one generator per county, consumed row by row in order."""
    generators = [STREAMS.generator("mobility", 2026, code, 2) for code in STREAMS.codes]
    out = []
    for county, columns in calls:
        rows = np.empty((len(county), columns))
        for i, c in enumerate(county):
            rows[i] = generators[c].random(columns)
        out.append(rows)
    return out


def _runs(sizes: list[list[int]]) -> np.ndarray:
    """Runs in ascending county order, each run giving each county the count listed."""
    return np.concatenate([np.repeat(np.arange(COUNTIES), run) for run in sizes]).astype(np.int32)


run_sizes = st.lists(st.lists(st.integers(0, 6), min_size=COUNTIES, max_size=COUNTIES), min_size=1, max_size=5)
any_order = st.lists(st.integers(0, COUNTIES - 1), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(first=run_sizes, second=any_order, columns=st.sampled_from([1, 2, 5]))
def test_rows_take_their_county_stream_in_order(first, second, columns):
    read_only = _runs(first)
    read_only.flags.writeable = False  # as State.teacher_county: the runs are remembered
    calls = [(read_only, columns), (np.array(second, np.int32), 2), (read_only, 1)]
    draws = STREAMS.draws("mobility", 2026)
    got = [draws.random(county, k) for county, k in calls]
    for g, e in zip(got, _expected(calls), strict=True):
        np.testing.assert_array_equal(g, e)


def test_many_runs_are_scattered_with_the_same_numbers():
    county = np.tile(np.arange(COUNTIES, dtype=np.int32), S._MOST_RUNS + 3)  # more runs than drawn in place
    assert S._sorted_runs(county) is None
    got = STREAMS.draws("mobility", 2026).random(county, 3)
    np.testing.assert_array_equal(got, _expected([(county, 3)])[0])
    assert S._sorted_runs(_runs([[2, 0, 1, 0, 3], [1, 1, 0, 0, 0]])) == [([0, 2, 4], [2, 1, 3]), ([0, 1], [1, 1])]
