"""balance_sim: measure the gaps between a county's schools as the national certification does,
and simulate ten years of policy (funding, teachers, pupils) to see which levers close them.

    import balance_sim as bs
    county = bs.load("demo")                       # or a folder, .xlsx, Parquet, export workbooks
    result = bs.assess(county, "quality-2017")     # CVs, per-school compliance, four parts, verdict
    run = bs.simulate(county, bs.load_policy(overrides=["funding.rural_share=0.8"]), years=10, seed=1)
"""
from __future__ import annotations

import importlib

from balance_sim.county import County
from balance_sim.errors import InputError, ParameterError, Problem

# Heavy parts load on first use, so that `balance-sim --help` and small imports stay quick.
_LAZY = {
    "Assessment": "balance_sim.assessment",
    "assess": "balance_sim.assessment",
    "inequality_table": "balance_sim.assessment",
    "load": "balance_sim.io",
    "Scenario": "balance_sim.sim",
    "load_policy": "balance_sim.sim",
    "simulate": "balance_sim.sim",
    "load_standard": "balance_sim.standards",
    "county_targets": "balance_sim.targets",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'balance_sim' has no attribute {name!r}")


__all__ = ["County", "InputError", "ParameterError", "Problem", *_LAZY]
__version__ = "0.1.0"
