"""The ten-year simulation: policy tree, state arrays, one module per mechanism, the year loop
and its tidy result (design.md "Simulation principles").

Names are imported on first use, so a mechanism module (`balance_sim.sim.hiring`) can be imported
without the whole year loop."""
from __future__ import annotations

import importlib

_PUBLIC = {
    "Dated": "balance_sim.sim.policy", "Policy": "balance_sim.sim.policy",
    "default_policy": "balance_sim.sim.policy", "describe": "balance_sim.sim.policy",
    "load_policy": "balance_sim.sim.policy", "SimulationResult": "balance_sim.sim.result",
    "Scenario": "balance_sim.sim.scenario", "simulate": "balance_sim.sim.simulation",
    "Streams": "balance_sim.sim.streams",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
