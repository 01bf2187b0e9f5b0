"""The model's validation: every lever's effect on the demo county, paired against the baseline
over replications with 90% intervals, written to `docs/validation.md` by
`python -m balance_sim.validation`."""
from __future__ import annotations

from balance_sim.validation.levers import LEVERS, Lever
from balance_sim.validation.run import lever_effects

__all__ = ["LEVERS", "Lever", "lever_effects"]
