"""The calibration of the synthetic counties, read from `calibration.yaml` (shipped in the package).

Each entry of the YAML is `{value, source}`; `value(group, name)` returns the value alone and
`source(group, name)` where it comes from. Per-role and per-level lists come back as numpy arrays
in the order of `ROLES` / `LEVELS`, so generators index them with a role or level code array.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import yaml


@cache
def _tree() -> dict:
    text = resources.files("balance_sim.datasets").joinpath("calibration.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def value(group: str, name: str | None = None):
    """The value of `group.name` (or of a top-level entry when `name` is None)."""
    entry = _tree()[group] if name is None else _tree()[group][name]
    return entry["value"]


def source(group: str, name: str | None = None) -> str:
    entry = _tree()[group] if name is None else _tree()[group][name]
    return str(entry["source"])


def entries(group: str) -> dict[str, dict]:
    """Every `{value, source}` entry of a group (for documentation)."""
    return {k: v for k, v in _tree()[group].items() if isinstance(v, dict) and "value" in v}


ROLES: tuple[str, ...] = tuple(_tree()["roles"]["order"])
LEVELS: tuple[str, ...] = tuple(_tree()["levels"]["order"])


def role_array(name: str) -> np.ndarray:
    """A per-role parameter as an array indexed by role code."""
    values = value("roles", name)
    if len(values) != len(ROLES):
        raise ValueError(f"calibration.yaml roles.{name}: {len(values)} values for {len(ROLES)} roles")
    return np.asarray(values)


def level_array(name: str) -> np.ndarray:
    """A per-level parameter as an array indexed by level code (0 primary, 1 junior)."""
    return np.asarray(value("levels", name))


ROLE_LEVEL = np.array([LEVELS.index(level) for level in value("roles", "level")], dtype=np.int8)
ROLE_LOCATION = np.asarray(value("roles", "location"))


def role_code(role: str) -> int:
    return ROLES.index(role)
