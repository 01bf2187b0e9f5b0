"""A raw table's headers matched to the canonical columns of its dictionary table.

Headers the dictionary does not know are left out of the canonical table and named in the load
notes; a header with a foreign unit, or two headers meaning the same column, is a problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from balance_sim.errors import Problem
from balance_sim.io.dictionary import Table, dictionary
from balance_sim.io.readers import RawTable


@dataclass(frozen=True)
class MappedTable:
    """Cell text under canonical column names, with what the user called each column."""

    table: Table
    label: str
    text: pd.DataFrame  # str cells, canonical columns, index = user-visible row
    headers: dict[str, str]  # canonical column -> header as written
    scales: dict[str, Decimal]  # canonical column -> unit factor of its header (万元 → 10,000)
    unreadable_headers: frozenset[str] = frozenset()  # columns whose header was rejected
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def map_headers(raw: RawTable, table: Table) -> MappedTable:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    scales: dict[str, Decimal] = {}
    unknown: list[str] = []
    rejected: set[str] = set()
    problems: list[Problem] = []
    for position, header in enumerate(raw.headers):
        if not header:
            continue  # an empty column without a header (readers reject one with values)
        match = dictionary().match_header(table.name, header)
        if match is None:
            unknown.append(header)
        elif match.problem:
            problems.append(Problem(raw.label, 1, header, match.problem))
            rejected.add(match.column)
        elif match.column in positions:
            first = headers[match.column]
            problems.append(
                Problem(raw.label, 1, header, f"same column as '{first}' ({match.column})")
            )
        else:
            positions[match.column] = position
            headers[match.column] = header
            scales[match.column] = match.scale
    cells = raw.frame()
    text = cells.iloc[:, list(positions.values())].set_axis(list(positions), axis=1)
    notes = list(raw.notes)
    if unknown:
        notes.append(f"{raw.label}: columns not in the data dictionary, ignored: {', '.join(unknown)}")
    for column, scale in scales.items():
        if scale != 1:
            notes.append(f"{raw.label}: {headers[column]} converted to {column} (× {scale:,})")
    return MappedTable(table, raw.label, text, headers, scales, frozenset(rejected), problems, notes)

