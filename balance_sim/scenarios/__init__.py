"""Scenarios against a baseline: paired differences over replications with their intervals, and
sweeps over policy settings on serial, process or Dask executors (identical numbers on each)."""
from __future__ import annotations

from balance_sim.scenarios.paired import INTERVAL, paired, paired_county_series, paired_cvs
from balance_sim.scenarios.sweep import EXECUTORS, Scenario, Sweep, compare, grid_scenarios, sweep

__all__ = ["EXECUTORS", "INTERVAL", "Scenario", "Sweep", "compare", "grid_scenarios", "paired",
           "paired_county_series", "paired_cvs", "sweep"]
