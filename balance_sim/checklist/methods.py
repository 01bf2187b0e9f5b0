"""The registry of checklist methods: the `method:` word of a standard's item → how to check its
parameters and how to judge it (教督〔2017〕6号; docs/sources.md#quality-2017-checklist)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from balance_sim.checklist import county_methods as county
from balance_sim.checklist import school_methods as schools
from balance_sim.checklist.outcome import check_comparison


@dataclass(frozen=True)
class Method:
    evaluate: Callable
    check: Callable[[dict], list[str]]


def _keys(*names: str) -> Callable[[dict], list[str]]:
    return lambda params: [f"{name} required" for name in names if name not in params]


METHODS = {
    "evidence": Method(county.evidence, lambda params: []),
    "county_value": Method(county.county_value, county.check_county_value),
    "retention": Method(county.retention, check_comparison),
    "schools_share": Method(schools.schools_share, schools.check_share),
    "music_art_rooms": Method(schools.music_art_rooms, _keys("classes_per_room", "music_room_min_m2", "art_room_min_m2")),
    "school_size": Method(schools.school_size, _keys("max_pupils", "max_pupils_combined", "combined_types")),
    "class_size": Method(schools.class_size, _keys("max_pupils")),
    "public_funds": Method(schools.public_funds, _keys("benchmark_yuan", "small_school_pupils")),
    "training_funds": Method(schools.training_funds, check_comparison),
}
