"""Reading and validating input data: `load(path) -> County` (design.md "Data flow")."""
from balance_sim.io.load import load

__all__ = ["load"]
