"""The levers the validation table measures: each a name, the policy settings tried (key path →
value, applied to the default policy) and the quality-2017 indicators it is meant to move."""
from __future__ import annotations

from dataclasses import dataclass, field

RESOURCE_KEYS = ("teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
                 "multimedia_classrooms_per_100")
TEACHER_KEYS = ("above_degree_teachers_per_100", "backbone_teachers_per_100", "pe_art_teachers_per_100")


@dataclass(frozen=True)
class Lever:
    name: str
    description: str
    settings: tuple[dict, ...]  # each a delta on the default policy
    keys: tuple[str, ...]  # the indicators whose CV the lever targets
    baseline: dict = field(default_factory=dict)  # a delta both sides share (e.g. another rule)

    def label(self, setting: dict) -> str:
        return ", ".join(f"{path.split('.')[-1]} = {value}" for path, value in setting.items())


LEVERS = (
    Lever("rural_share", "Share of new funds earmarked for rural schools (default 0.5)",
          ({"funding.rural_share": 0.2}, {"funding.rural_share": 0.8}, {"funding.rural_share": 1.0}), RESOURCE_KEYS),
    Lever("exchange_rate", "Share of eligible teachers rotated each year (default 0.10)",
          ({"teachers.exchange_rate": 0.0}, {"teachers.exchange_rate": 0.2}, {"teachers.exchange_rate": 0.3},
           {"teachers.exchange_rate": 0.5}), ("backbone_teachers_per_100",)),
    Lever("exchange_to_minimum", "Exchange may lift a school short of the backbone minimum to it, above the county "
          "mean (default off)", ({"teachers.exchange_to_minimum": True},), ("backbone_teachers_per_100",)),
    Lever("allowance", "Rural teachers' hardship allowance, yuan a month (default 300)",
          ({"teachers.hardship_allowance_yuan_month": 0}, {"teachers.hardship_allowance_yuan_month": 800},
           {"teachers.hardship_allowance_yuan_month": 1500}), TEACHER_KEYS),
    Lever("training", "Share of due teachers completing the five-year training a year (default 0.82)",
          ({"teachers.training_completion_rate": 1.0},), ("above_degree_teachers_per_100", "backbone_teachers_per_100")),
    Lever("backbone_training", "Teachers of sections short of backbone teachers trained as county backbone a year (default 0)",
          ({"teachers.backbone_training_per_year": 10}, {"teachers.backbone_training_per_year": 20}),
          ("backbone_teachers_per_100",)),
    Lever("subject_retraining", "Teachers of sections short of PE and arts teachers retrained to teach them a year (default 0)",
          ({"teachers.subject_retraining_per_year": 5}, {"teachers.subject_retraining_per_year": 10}),
          ("pe_art_teachers_per_100",)),
    Lever("hire_by_subject", "Vacancies filled first with the PE and arts teachers a section lacks (default on)",
          ({"teachers.hire_by_subject": False},), ("pe_art_teachers_per_100",)),
    Lever("itinerant_pe_art", "Itinerant PE and arts teachers for rural schools of 50–99 pupils (default off)",
          ({"teachers.itinerant_pe_art.enabled": True},), ("pe_art_teachers_per_100",)),
    Lever("intake_caps", "Schools over the size limit admit no more entrants than they can hold (default off)",
          ({"capacity.intake_caps": True},), ("teaching_area_per_student", "sports_area_per_student")),
    Lever("extension_classrooms", "Classrooms built a year where classes lack rooms (default 0)",
          ({"capacity.extension_classrooms_per_year": 10}, {"capacity.extension_classrooms_per_year": 20}),
          ("teaching_area_per_student",)),
    Lever("budget_growth", "Growth of the compulsory-education budget a year (default 0.05)",
          ({"funding.budget_growth": 0.03}, {"funding.budget_growth": 0.08}), RESOURCE_KEYS),
)
