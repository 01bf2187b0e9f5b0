"""Many counties in one state equal each county run alone: every table of the result, for the
default policy and for one with the levers on (one_state.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from balance_sim.sim.model import run_county
from balance_sim.sim.one_state import run_counties
from balance_sim.sim.policy import default_policy
from balance_sim.sim.streams import Streams
from stacking import TABLES, levers_policy, province, result_of



@pytest.mark.parametrize("first, n, years, levers", [(0, 3, 4, False), (5, 2, 3, True)])
def test_counties_in_one_state_equal_each_county_alone(first, n, years, levers):
    county = province()
    names = list(county.counties)[first:first + n]
    policy = levers_policy() if levers else default_policy()
    seed = 21
    stacked = run_counties(county, policy, years, seed, 0, names=names, codes=list(range(n)))
    alone = [run_county(county.select(county=name), policy, years, Streams(seed, 0, code))
             for code, name in enumerate(names)]
    together = result_of([(name, 0, run) for name, run in zip(names, stacked)], names, policy, seed, years)
    apart = result_of([(name, 0, run) for name, run in zip(names, alone)], names, policy, seed, years)
    for table in TABLES:
        a, b = getattr(together, table), getattr(apart, table)
        assert len(a) > 0, table
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=table)
