"""Monitoring and certification: `assess(county, standard)` → `Assessment` (CVs, per-school
compliance, verdicts, shortfalls, contributions) and `inequality_table(county)`."""
from __future__ import annotations

from balance_sim.assessment.core import assess
from balance_sim.assessment.inequality import inequality_table
from balance_sim.assessment.result import Assessment

__all__ = ["Assessment", "assess", "inequality_table"]
