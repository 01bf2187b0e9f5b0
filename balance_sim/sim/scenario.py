"""A scenario: a name and a policy (design.md "Scenario = name + Policy"), built from the
default tree, a YAML file and key-path overrides."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from balance_sim.sim.policy import Policy, default_policy, load_policy


@dataclass(frozen=True)
class Scenario:
    name: str
    policy: Policy

    @classmethod
    def from_file(cls, name: str, path: str | Path | None = None, overrides=()) -> Scenario:
        """The default policy changed by the file at `path` and by "key.path=value" overrides."""
        return cls(name, load_policy(path, overrides))

    @classmethod
    def baseline(cls) -> Scenario:
        return cls("baseline", default_policy())

    def with_changes(self, name: str, changes: dict[str, object]) -> Scenario:
        """A new scenario: this one's policy with the leaves at the given key paths replaced."""
        return Scenario(name, self.policy.override(changes))
