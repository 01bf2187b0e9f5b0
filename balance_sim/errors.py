"""Errors for users: bad input and bad parameters, reported as `file:row:column: message`.

Bugs raise ordinary exceptions; only these two types are turned into exit code 2 by the CLI.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a user's input. `row` counts as the user sees the file (header = row 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        column = "-" if not self.column else self.column
        return f"{self.file}:{row}:{column}: {self.message}"


class InputError(Exception):
    """Every problem found in a user's input, collected before anything is reported."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ParameterError(Exception):
    """A bad parameter (policy key, command-line value, notebook parameter); the message names it."""
