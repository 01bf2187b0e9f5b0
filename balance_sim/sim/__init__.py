"""The ten-year simulation: policy tree, state arrays, one module per mechanism, the year loop
and its tidy result (design.md "Simulation principles")."""
from __future__ import annotations

from balance_sim.sim.policy import Dated, Policy, default_policy, describe, load_policy
from balance_sim.sim.result import SimulationResult
from balance_sim.sim.scenario import Scenario
from balance_sim.sim.simulation import replication_generator, simulate

__all__ = [
    "Dated", "Policy", "Scenario", "SimulationResult", "default_policy", "describe",
    "load_policy", "replication_generator", "simulate",
]
