"""Counties and runs shared by the validation suite (a module of its own name, so that no other
folder's conftest can stand in for it on the import path): the demo county, a second county of
the demo province (its own schools and no roster), and paired runs (same seed, so common random
numbers)."""
from __future__ import annotations

from functools import cache

from balance_sim.datasets import demo_county, demo_province
from balance_sim.sim import default_policy, simulate

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
