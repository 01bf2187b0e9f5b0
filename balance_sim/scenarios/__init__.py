"""Scenarios against a baseline: paired differences over replications with their intervals."""
from __future__ import annotations

from balance_sim.scenarios.paired import INTERVAL, paired, paired_county_series, paired_cvs

__all__ = ["INTERVAL", "paired", "paired_county_series", "paired_cvs"]
