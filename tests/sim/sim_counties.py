"""Small counties built in code for the simulation tests (County.from_frames)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.county import County

LOCATIONS = ("urban", "town", "rural")


def small_county(seed: int = 0, n_primary: int = 6, n_junior: int = 3, townships: int = 2,
                 roster: bool = False, budget: bool = False, teaching_point: bool = True) -> County:
    """A county of a few sections; rural sections are poorer in teachers and equipment."""
    rng = np.random.default_rng(seed)
    rows = []
    for level, n in (("primary", n_primary), ("junior", n_junior)):
        for i in range(n):
            location = LOCATIONS[i % 3]
            rural = location == "rural"
            students = int(rng.integers(60, 900)) if not rural else int(rng.integers(40, 400))
            limit = 45 if level == "primary" else 50
            classes = max(int(np.ceil(students / limit)), 6 if level == "primary" else 3)
            teachers = max(int(students / (17 if level == "primary" else 12)), 3)
            factor = 0.6 if rural else 1.0
            rows.append({
                "school_id": f"{level[0]}{i}",
                "name": f"{level} school {i}",
                "township": f"tw{i % townships}",
                "level": level,
                "location": location,
                "school_type": "teaching_point" if (teaching_point and rural and level == "primary" and i == 2) else "regular",
                "students": students,
                "classes": classes,
                "teachers": teachers,
                "teachers_above_degree": int(teachers * (0.7 * factor + 0.2)),
                "teachers_mid_senior_title": int(teachers * 0.5),
                "backbone_teachers": int(teachers * 0.15 * factor),
                "pe_art_teachers": int(teachers * 0.12 * factor),
                "teaching_area_m2": students * rng.uniform(3.5, 6.5),
                "sports_area_m2": students * rng.uniform(5.0, 12.0),
                "equipment_value_yuan": students * rng.uniform(1200, 3000) * factor,
                "books": students * 25,
                "computers": students // 8,
                "multimedia_classrooms": int(classes * 0.8 * factor),
                "boarding_students": students // 5 if rural else 0,
                "weak_school": bool(rural and i % 2 == 0),
            })
    schools = pd.DataFrame(rows)
    teachers = _roster(schools, rng) if roster else None
    budget_frame = None
    if budget:
        budget_frame = pd.DataFrame({
            "year": [2021, 2022, 2023],
            "fiscal_revenue_yuan": [1.0e8, 1.05e8, 1.1e8],
            "compulsory_education_yuan": [3.0e7, 3.2e7, 3.4e7],
        })
    return County.from_frames(schools, teachers=teachers, budget=budget_frame)


def _roster(schools: pd.DataFrame, rng) -> pd.DataFrame:
    rows = []
    k = 0
    for _, school in schools.iterrows():
        for j in range(int(school["teachers"])):
            rows.append({
                "teacher_id": f"t{k}",
                "school_id": school["school_id"],
                "level": school["level"],
                "birth_year": int(2023 - rng.integers(23, 58)),
                "sex": "female" if rng.random() < 0.6 else "male",
                "degree": ["associate", "bachelor", "postgraduate", "secondary"][j % 4],
                "title": ["none", "junior", "intermediate", "senior"][j % 4],
                "backbone": "county" if j % 6 == 0 else "none",
                "subject": "pe" if j % 8 == 0 else "math",
                "years_at_school": int(rng.integers(0, 12)),
                "rural_service_years": 0,
            })
            k += 1
    return pd.DataFrame(rows)
