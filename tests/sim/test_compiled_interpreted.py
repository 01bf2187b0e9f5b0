"""The compiled year loop and the same kernels run as plain Python (NUMBA_DISABLE_JIT=1, in a
fresh interpreter) give the same tables: compilation changes the speed, never a result."""
import os
import pickle
import subprocess
import sys

import pandas as pd
import pytest

from balance_sim.sim import load_policy, simulate
from sim_counties import small_county

TABLES = ("schools", "county", "teacher_moves", "funding", "checklist")
POLICIES = {
    "all_on": {"enrolment.consolidation.enabled": True, "teachers.pool_rebalancing": True},
    "levers": {"funding.rural_share": 0.8, "teachers.exchange_rate": 0.25, "teachers.exchange_stay_probability": 0.4,
               "funding.allocation_rule": "per_pupil", "enrolment.consolidation.enabled": True},
}
SCRIPT = """
import pickle, sys
sys.path.insert(0, {tests!r})
from balance_sim.sim import load_policy, simulate
from sim_counties import small_county
county = small_county(seed=11, n_primary=9, n_junior=4, roster=True, budget=True)
out = {{name: {{t: getattr(simulate(county, load_policy(overrides=over), years=8, seed=4), t) for t in {tables!r}}}
        for name, over in {policies!r}.items()}}
pickle.dump(out, open(sys.argv[1], "wb"))
"""


@pytest.fixture(scope="module")
def interpreted(tmp_path_factory):
    path = tmp_path_factory.mktemp("interpreted") / "tables.pkl"
    code = SCRIPT.format(tests=os.path.dirname(__file__), tables=TABLES, policies=POLICIES)
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=True, timeout=600)
    with open(path, "rb") as file:
        return pickle.load(file)


@pytest.mark.parametrize("name", POLICIES)
def test_compiled_and_interpreted_runs_agree(interpreted, name):
    county = small_county(seed=11, n_primary=9, n_junior=4, roster=True, budget=True)
    result = simulate(county, load_policy(overrides=POLICIES[name]), years=8, seed=4)
    assert len(result.teacher_moves) > 50  # the run moves teachers: the comparison is not empty
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(result, table), interpreted[name][table],
                                      check_exact=False, rtol=1e-9, atol=1e-6)
