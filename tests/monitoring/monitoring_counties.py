"""Small hand-made counties for the monitoring tests (built with County.from_frames)."""
from __future__ import annotations

import pandas as pd

# A section of 1,000 pupils whose totals give exactly the quality-2017 minimums (docs/sources.md#quality-2017).
AT_MINIMUM = {
    "primary": {
        "teachers_above_degree": 42, "backbone_teachers": 10, "pe_art_teachers": 9,
        "teaching_area_m2": 4500.0, "sports_area_m2": 7500.0, "equipment_value_yuan": 2_000_000.0,
        "multimedia_classrooms": 23,
    },
    "junior": {
        "teachers_above_degree": 53, "backbone_teachers": 10, "pe_art_teachers": 9,
        "teaching_area_m2": 5800.0, "sports_area_m2": 10200.0, "equipment_value_yuan": 2_500_000.0,
        "multimedia_classrooms": 24,
    },
}


def section(school_id: str, level: str = "primary", students: int = 1000, scale: float = 1.0, **columns) -> dict:
    """One school section at `scale` times the quality-2017 minimums (per pupil), overridable."""
    row = {
        "school_id": school_id, "name": f"School {school_id}", "level": level, "location": "rural",
        "school_type": "regular", "students": students, "classes": max(students // 40, 1),
        "teachers": students // 15,
        "books": 30 * students, "computers": students // 8, "teachers_mid_senior_title": students // 30,
    }
    for column, total in AT_MINIMUM[level].items():
        row[column] = total * scale * students / 1000
    row.update(columns)
    return row


def county_of(*rows: dict):
    from balance_sim import County

    return County.from_frames(pd.DataFrame(list(rows)))
