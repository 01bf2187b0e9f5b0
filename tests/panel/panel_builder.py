"""Builds the panel tests' inputs: the demo county as statistics-export workbooks (小学, 初中),
the same county as canonical tables, and what the combined-school split must make of it.

Imported by the tests of this folder as `panel_builder`; the export workbooks are written by the
export tests' own builder (`tests/statexport/statexport_builder.py`).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statexport"))
import statexport_builder as export_builder  # noqa: E402

SHARED = export_builder.SHARED
COUNTS = export_builder.COUNTS
# The columns an export workbook carries (the demo's other columns have no export header).
EXPORT_COLUMNS = ["school_id", "name", "county", "level", "location", "school_type", *COUNTS, *SHARED]
# primary : junior per-pupil weights of the split (docs/sources.md#combined-schools)
JUNIOR_WEIGHT = 1.1


def whole_school(schools: pd.DataFrame) -> pd.DataFrame:
    """One row per nine-year school: its facilities summed over its two sections."""
    nine = schools[schools["school_type"] == "nine_year"]
    return nine.groupby("school_id", sort=True)[SHARED].sum().reset_index().assign(school_type="nine_year")


def export_rows(schools: pd.DataFrame, level: str, indoor: dict[str, float]) -> list[dict]:
    """The level's rows as the export holds them: nine-year schools with whole-school facilities."""
    totals = whole_school(schools).set_index("school_id")
    rows = []
    for row in schools[schools["level"] == level].to_dict("records"):
        if row["school_id"] in totals.index:
            row.update(totals.loc[row["school_id"], SHARED].to_dict())
        rows.append({**row, "counts": 1, "indoor_sports_m2": indoor.get(row["school_id"], 0.0)})
    return rows


def write_demo_export(folder: Path, schools: pd.DataFrame, stem: str = "示范县") -> Path:
    """小学 and 初中 workbooks of `schools`; three schools report indoor sports rooms (室内体育用房)
    inside their teaching area, as exports do."""
    folder.mkdir(parents=True, exist_ok=True)
    regular = schools[schools["school_type"] == "regular"]["school_id"].drop_duplicates().iloc[:3]
    indoor = {sid: 150.0 + 50 * i for i, sid in enumerate(regular)}
    for level in ("primary", "junior"):
        export_builder.write_export(folder / f"{stem}{export_builder.LEVEL_WORDS[level]}基层表.xlsx", level,
                                    rows=export_rows(schools, level, indoor))
    return folder


def split_expected(schools: pd.DataFrame) -> pd.DataFrame:
    """`schools` with each nine-year school's facilities re-divided by pupil weights, by hand:
    primary share = total · p / (p + 1.1 j), junior share = total · 1.1 j / (p + 1.1 j)."""
    out = schools.copy()
    for column in SHARED:
        out[column] = out[column].astype(float)
    for school_id, sections in schools[schools["school_type"] == "nine_year"].groupby("school_id"):
        pupils = sections.set_index("level")["students"].astype(float)
        weighted = pupils["primary"] + JUNIOR_WEIGHT * pupils["junior"]
        for index, section in sections.iterrows():
            share = pupils[section["level"]] * (JUNIOR_WEIGHT if section["level"] == "junior" else 1.0) / weighted
            for column in SHARED:
                out.at[index, column] = float(sections[column].sum()) * share
    return out


def write_canonical_split(folder: Path, schools: pd.DataFrame) -> Path:
    """`schools` as canonical tables whose nine-year schools give whole-school totals
    (shared_facilities.csv), which the loader splits."""
    folder.mkdir(parents=True, exist_ok=True)
    table = schools[EXPORT_COLUMNS].copy()
    nine = table["school_type"] == "nine_year"
    table[SHARED] = table[SHARED].astype("float64")
    table.loc[nine, SHARED] = float("nan")
    table.to_csv(folder / "schools.csv", index=False)
    whole_school(schools).to_csv(folder / "shared_facilities.csv", index=False)
    return folder
