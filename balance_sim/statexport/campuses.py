"""Campuses not counted as schools of their own (是否计校数 = 0), folded into their parent school.

docs/sources.md#quality-2017: such campuses are merged into their parent school, so their pupils,
teachers, rooms and areas are added to the parent's section of the same level. The parent comes
from a mapped column (所属学校标识码) or from a small CSV of campus → parent (school codes or
names); a campus without one is an error naming its row, never a question at the terminal.
"""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping as MappingType
from pathlib import Path

import pandas as pd

from balance_sim.errors import InputError, Problem
from balance_sim.statexport.cells import as_text
from balance_sim.statexport.headers import read_csv_grid

CAMPUS_HEADERS = ("campus", "campus_id", "校点", "校区", "校点代码", "校点名称")
PARENT_HEADERS = ("parent", "parent_school_id", "所属学校", "所属学校代码", "所属学校标识码", "所属学校名称")


def read_campus_parents(source: str | Path | MappingType | None) -> dict[str, str]:
    """Campus (code or name) → parent (code or name), from a CSV file (UTF-8 or GBK) or a dict."""
    if source is None:
        return {}
    if isinstance(source, MappingType):
        return {str(k): str(v) for k, v in source.items()}
    path = Path(source)
    if not path.is_file():
        raise InputError(Problem(str(path), None, None, "no such file"))
    grid = read_csv_grid(path)
    header = [h.strip() for h in grid[0]] if grid else []
    missing = [names[0] for names in (CAMPUS_HEADERS, PARENT_HEADERS) if not set(names) & set(header)]
    if missing:
        raise InputError(Problem(str(path), 1, None, f"needs a campus column and a parent column "
                                 f"(e.g. {CAMPUS_HEADERS[0]}/{CAMPUS_HEADERS[2]}, {PARENT_HEADERS[0]}/{PARENT_HEADERS[2]})"))
    campus_at = next(i for i, h in enumerate(header) if h in CAMPUS_HEADERS)
    parent_at = next(i for i, h in enumerate(header) if h in PARENT_HEADERS)
    parents, problems = {}, []
    for number, row in enumerate(grid[1:], start=2):
        cells = list(row) + [""] * (len(header) - len(row))
        campus, parent = as_text(cells[campus_at]), as_text(cells[parent_at])
        if campus is None and parent is None:
            continue
        if campus is None or parent is None:
            problems.append(Problem(str(path), number, header[parent_at if parent is None else campus_at], "empty"))
        elif parents.get(campus, parent) != parent:
            problems.append(Problem(str(path), number, header[campus_at], f"campus {campus} given two parents"))
        else:
            parents[campus] = parent
    if problems:
        raise InputError(problems)
    return parents


def fold_campuses(records: pd.DataFrame, parents: dict[str, str], additive: list[str],
                  locate: Callable[[pd.Series, str], tuple[str, int, str]]) -> tuple[pd.DataFrame, list[Problem]]:
    """Records without their campus rows, each campus's `additive` columns added to its parent's
    row of the same level. `locate(record, column)` gives file, row and column for messages."""
    if "counts_as_school" not in records:
        return records, []
    campus = records["counts_as_school"].eq("false").fillna(False).to_numpy(dtype=bool)
    counted = records[~campus]
    targets, problems = {}, []
    for index, row in records[campus].iterrows():
        parent = _parent_of(row, parents)
        where = locate(row, "counts_as_school")
        if parent is None:
            problems.append(Problem(*where, f"campus {row['name']} ({row['school_id']}) is not counted as a school "
                                    "(是否计校数 = 0) and has no parent school: give 所属学校标识码 or a campus → parent CSV"))
            continue
        same_level = counted[counted["level"] == row["level"]]
        match = same_level.index[same_level["school_id"] == parent]
        if len(match) == 0:
            match = same_level.index[same_level["name"] == parent]
        if len(match) != 1:
            problems.append(Problem(*where, f"campus {row['name']} ({row['school_id']}): parent school {parent} "
                                    f"{'is not' if len(match) == 0 else 'is more than once'} among the counted schools of the same level"))
            continue
        targets[index] = match[0]
    if problems:
        return records, problems
    folded = counted.copy()
    for index, target in targets.items():
        for column in additive:
            if column in folded:
                pair = [folded.at[target, column], records.at[index, column]]
                if any(pd.notna(v) for v in pair):
                    folded.at[target, column] = sum(v for v in pair if pd.notna(v))
    return folded, []


def _parent_of(row: pd.Series, parents: dict[str, str]) -> str | None:
    given = row.get("parent_school_id")
    if isinstance(given, str) and given:
        return given
    return parents.get(str(row["school_id"])) or parents.get(str(row["name"]))
