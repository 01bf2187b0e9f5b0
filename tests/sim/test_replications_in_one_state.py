"""Replications of one county run side by side in one state (one_state.run_replications, what
`simulate` does with several replications of one county) equal each replication run alone,
every table exactly, for the default policy and with the levers on."""
from __future__ import annotations

import pandas as pd
import pytest

from balance_sim.datasets import demo_county
from balance_sim.sim import simulate
from balance_sim.sim.model import run_county
from balance_sim.sim.one_state import run_replications
from balance_sim.sim.policy import default_policy
from balance_sim.sim.streams import Streams
from stacking import TABLES, levers_policy, result_of


@pytest.mark.parametrize("levers", [False, True])
def test_replications_side_by_side_equal_each_alone(levers):
    county, years, seed = demo_county(), 4, 8
    policy = levers_policy() if levers else default_policy()
    numbers = [3, 0, 7]
    together = run_replications(county, policy, years, seed, numbers)
    alone = [run_county(county, policy, years, Streams(seed, r, 0)) for r in numbers]
    name = county.counties[0]
    for r, a, b in zip(numbers, together, alone):
        x = result_of([(name, r, a)], [name], policy, seed, years)
        y = result_of([(name, r, b)], [name], policy, seed, years)
        for table in TABLES:
            pd.testing.assert_frame_equal(getattr(x, table), getattr(y, table), check_exact=True, obj=table)
        assert a.state.notes == b.state.notes


def test_simulate_gives_the_same_replications_in_any_grouping():
    county, policy = demo_county(), default_policy()
    many = simulate(county, policy, years=3, seed=2, replications=5, first_replication=1).county
    one_by_one = pd.concat([simulate(county, policy, years=3, seed=2, replications=1, first_replication=r).county
                            for r in range(1, 6)], ignore_index=True)
    pd.testing.assert_frame_equal(many, one_by_one, check_exact=True)
