"""Counties and runs shared by the validation suite: the demo county, a second county of the demo
province (its own schools and no roster), and paired runs (same seed, so common random numbers)."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

from balance_sim.datasets import demo_county, demo_province
from balance_sim.sim import default_policy, simulate

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))  # sim_counties: small random counties

YEARS = 10
REPLICATIONS = 4
SEED = 20261202


@cache
def county(name: str):
    if name == "demo":
        return demo_county()
    province = demo_province()
    return province.select(county=province.counties[1])


@cache
def _run(name: str, changes: tuple):
    changes = {path: dict(value) if isinstance(value, tuple) else value for path, value in changes}
    policy = default_policy().override(changes) if changes else default_policy()
    return simulate(county(name), policy, years=YEARS, seed=SEED, replications=REPLICATIONS)


def run(name: str, **changes):
    """The paired run of `name` ("demo" or "second") under the default policy with `changes`
    (key paths with "__" for "."; a dated value as {year: value}), cached across tests."""
    key = ((k.replace("__", "."), tuple(sorted(v.items())) if isinstance(v, dict) else v) for k, v in changes.items())
    return _run(name, tuple(sorted(key)))


@pytest.fixture(params=["demo", "second"])
def name(request) -> str:
    return request.param
