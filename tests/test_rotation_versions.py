"""The pandas version of the rotation benchmark (benchmarks/rotation_pandas.py) and balance_sim's own
mechanisms on a tiny county: the same start, and in both every year teachers at the start + hired
− retired − left = at the end."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

datasets = pytest.importorskip("balance_sim.datasets")
bench_rotation = pytest.importorskip("bench_rotation")


@pytest.fixture(scope="module")
def runs():
    county = datasets.synthetic_county(seed=3, n_primary=5, n_junior=2, n_teaching_points=1, n_nine_year=0)
    policy = bench_rotation.rotation_policy()
    return {version: bench_rotation.run_version(version, county, policy, 3, 0)[0]
            for version in ("balance_sim", "pandas")}


def test_pandas_conserves_teachers_as_balance_sim_does(runs):
    ours, theirs = runs["balance_sim"], runs["pandas"]
    assert ours[0]["teachers_start"] == theirs[0]["teachers_start"] > 0
    # Retirement is by age alone: the first year's retirements are the same teachers' in both.
    assert ours[0]["retired"] == theirs[0]["retired"]
    for records in (ours, theirs):
        for before, year in zip([None] + records[:-1], records):
            assert year["teachers_start"] + year["hired"] - year["retired"] - year["left"] == year["teachers_end"]
            if before is not None:
                assert year["teachers_start"] == before["teachers_end"]
            assert year["backbone"].sum() <= year["teachers_end"]
            assert year["exchanged"] % 2 == 0
