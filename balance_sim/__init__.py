"""balance_sim: measure the gaps between a county's schools as the national certification does,
and simulate ten years of policy (funding, teachers, pupils) to see which levers close them.

    import balance_sim as bs
    county = bs.load("demo")                       # or a folder, .xlsx, Parquet, export workbooks
    result = bs.assess(county, "quality-2017")     # CVs, per-school compliance, four parts, verdict
    run = bs.simulate(county, bs.load_policy(overrides=["funding.rural_share=0.8"]), years=10, seed=1)
"""
from __future__ import annotations

from balance_sim.assessment import Assessment, assess, inequality_table
from balance_sim.county import County
from balance_sim.errors import InputError, ParameterError, Problem
from balance_sim.io import load
from balance_sim.sim import Scenario, load_policy, simulate
from balance_sim.standards import load_standard
from balance_sim.targets import county_targets

__all__ = [
    "Assessment",
    "County",
    "InputError",
    "ParameterError",
    "Problem",
    "Scenario",
    "assess",
    "county_targets",
    "inequality_table",
    "load",
    "load_policy",
    "load_standard",
    "simulate",
]
__version__ = "0.1.0"
