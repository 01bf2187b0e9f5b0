"""Fixtures of the input tests: a valid county folder written into tmp_path."""
from pathlib import Path

import pytest
from io_inputs import BUDGET, SCHOOLS, TEACHERS, write


@pytest.fixture
def county_folder(tmp_path: Path) -> Path:
    """A valid folder: schools, teachers and budget as UTF-8 CSV."""
    return write(
        tmp_path / "county",
        {"schools.csv": SCHOOLS, "teachers.csv": TEACHERS, "budget.csv": BUDGET},
    )
