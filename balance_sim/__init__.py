"""balance_sim: measure the gaps between a county's schools as the national certification does,
and simulate ten years of policy (funding, teachers, pupils) to see which levers close them."""
from __future__ import annotations

from balance_sim.county import County
from balance_sim.errors import InputError, ParameterError, Problem

__all__ = ["County", "InputError", "ParameterError", "Problem"]
__version__ = "0.1.0"
