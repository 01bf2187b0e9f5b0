"""Writing the canonical tables of an export atomically: all files or none.

The tables go to a temporary folder beside the target; an optional `validate(folder)` (the
project loader, `balance_sim.io.load`) must accept them there; only then are they moved into place.
A problem it finds is reported at the export's sheet cell, as `balance-sim validate` reports it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from balance_sim import atomic
from balance_sim.errors import InputError, Problem
from balance_sim.statexport.reader import ExportResult

TABLE_FILES = {"schools": "schools.csv", "shared_facilities": "shared_facilities.csv"}


def write_canonical(result: ExportResult, out_dir: str | Path,
                    validate: Callable[[Path], object] | None = None) -> list[Path]:
    """Write `schools.csv` (and `shared_facilities.csv` when there are combined schools) with
    canonical English headers, UTF-8. Returns the paths written. A stale `shared_facilities.csv`
    from an earlier import is removed, since the loader would split it into these schools."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(Problem(str(out_dir), None, None, "exists and is not a folder"))
    tables = {"schools": result.schools}
    if len(result.shared_facilities):
        tables["shared_facilities"] = result.shared_facilities
    with atomic.staged_folder(out_dir, remove=TABLE_FILES.values()) as staging:
        for table, frame in tables.items():
            frame.to_csv(staging / TABLE_FILES[table], index=False, encoding="utf-8")
        if validate is not None:
            try:
                validate(staging)
            except InputError as error:
                raise InputError([_at_source(p, result, staging, out_dir) for p in error.problems]) from None
    return [out_dir / TABLE_FILES[t] for t in tables]


def _at_source(problem: Problem, result: ExportResult, staging: Path, out_dir: Path) -> Problem:
    """A problem the validation found in a staged file, named where the user can mend it: the
    sheet cell the value was read from (the staged file is gone once the import is refused)."""
    staged = {str(staging / name): table for table, name in TABLE_FILES.items()}
    if problem.file in staged:
        return result.at_source(problem, staged[problem.file])
    return Problem(problem.file.replace(str(staging), str(out_dir)), problem.row, problem.column, problem.message)
