"""Fixtures: export workbooks written from the known county of `statexport_builder`."""
from pathlib import Path

import pytest

import statexport_builder as builder


@pytest.fixture
def export_files(tmp_path: Path) -> dict[str, Path]:
    """小学 (with a column-number row), 初中 and 高中 workbooks, and the campus → parent CSV."""
    return {
        "primary": builder.write_export(tmp_path / "2023小学基层表.xlsx", "primary", column_numbers=True),
        "junior": builder.write_export(tmp_path / "2023初中基层表.xlsx", "junior"),
        "senior": builder.write_export(tmp_path / "2023高中基层表.xlsx", "senior"),
        "campuses": builder.campus_csv(tmp_path / "campuses.csv"),
    }
