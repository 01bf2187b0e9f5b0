"""A small county that passes every item of quality-2017, for the verdict tests."""
from __future__ import annotations

import math

import pandas as pd

from balance_sim.county import County

EVIDENCE = ["layout_plan", "unified_standards", "staffing_within_quota", "quota_tilted_to_rural", "left_behind_care",
            "school_charters", "ict_use", "moral_education", "full_curriculum", "no_excessive_homework"]
COUNTY_ROW = {
    "county": "county", "special_education_funds_per_pupil_yuan": 6500.0, "teacher_average_pay_yuan": 82_000.0,
    "civil_servant_average_pay_yuan": 80_000.0, "exchange_eligible_teachers": 100, "exchange_rotated_teachers": 12,
    "exchange_rotated_backbone_teachers": 3, "quota_places_allocated": 600, "quality_senior_high_places": 1000,
    "migrant_children_public_places": 900, "migrant_children": 1000, "junior_graduates": 960,
    "junior_transferred_in": 30, "junior_transferred_out": 20, "grade7_enrolment_three_years_before": 1000,
    "junior_deaths": 2, "disabled_children_enrolled": 96, "disabled_children": 100, "monitoring_level": 3,
    "monitoring_difference_rate": 0.12, "survey_satisfaction_share": 0.9, **{k: True for k in EVIDENCE},
}


def passing_section(school_id: str, level: str = "primary", students: int = 1000) -> dict:
    """A section at 1.2 × every quality-2017 minimum that meets every school item."""
    at = {"primary": (42, 10, 9, 4500.0, 7500.0, 2_000_000.0, 23), "junior": (53, 10, 9, 5800.0, 10200.0, 2_500_000.0, 24)}[level]
    columns = ["teachers_above_degree", "backbone_teachers", "pe_art_teachers", "teaching_area_m2", "sports_area_m2",
               "equipment_value_yuan", "multimedia_classrooms"]
    row = {"school_id": school_id, "name": f"School {school_id}", "level": level, "location": "urban",
           "school_type": "regular", "students": students, "classes": students // 40, "teachers": students // 12,
           "music_rooms": 3, "art_rooms": 3, "music_room_area_m2": 100.0, "art_room_area_m2": 95.0,
           "classes_over_45": 0, "classes_over_50": 0, "public_funds_yuan": 900.0 * students,
           "training_spending_yuan": 60.0 * students, "catchment_students": students}
    # whole teachers and rooms (rounded up), so the section stays above every minimum
    row.update({c: (v * 1.2 * students / 1000 if isinstance(v, float) else math.ceil(v * 1.2 * students / 1000))
                for c, v in zip(columns, at)})
    row["certified_teachers"] = row["training_completed_teachers"] = row["teachers"]
    return row


def passing_county(**county_changes) -> County:
    schools = pd.DataFrame([passing_section("a"), passing_section("b", students=800), passing_section("c", "junior")])
    return County.from_frames(schools, county_table=pd.DataFrame([{**COUNTY_ROW, **county_changes}]))
