"""The quality-2017 items as data: every part and threshold of docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist; bad files refused."""
from pathlib import Path

import pytest

from balance_sim.checklist import checklist
from balance_sim.errors import InputError
from balance_sim.standards import load_standard
from checklist_cases import ITEMS

SHIPPED = Path(__file__).resolve().parents[2] / "balance_sim" / "standards" / "quality-2017.yaml"


def test_four_parts_make_the_methods_32_items():
    parts = {part.name: part for part in checklist("quality-2017")}
    assert list(parts) == ["government", "quality", "recognition"]
    clauses = {name: len({item.clause for item in part.items}) for name, part in parts.items()}
    assert clauses == {"government": 15, "quality": 9, "recognition": 1}
    assert len(load_standard("quality-2017").resources.indicators) + sum(clauses.values()) == 32


@pytest.mark.parametrize("key, word, threshold", [
    ("exchange_share", "at_least", 0.10), ("exchange_backbone_share", "at_least", 0.20),
    ("migrant_children_public", "at_least", 0.85), ("disabled_children_enrolment", "at_least", 0.95),
    ("junior_retention", "at_least", 0.95), ("training_funds", "at_least", 0.05),
    ("social_recognition", "at_least", 0.85), ("teacher_pay", "at_least", 1.0),
    ("training_completion", "at_least", 1.0), ("teaching_certificates", "at_least", 1.0),
    ("nearest_school_primary", "at_least", 1.0), ("nearest_school_junior", "at_least", 0.95),
    ("senior_high_quota", "at_least", 0.50), ("special_education_funds", "at_least", 6000),
    ("learning_outcomes_level", "at_least", 3), ("learning_outcomes_difference", "below", 0.15),
])
def test_thresholds_are_the_facts(key, word, threshold):
    assert ITEMS[key].params[word] == threshold


def test_numeric_school_rules_are_the_facts():
    rooms = ITEMS["music_art_rooms"].params
    assert (rooms["classes_per_room"], rooms["music_room_min_m2"], rooms["art_room_min_m2"]) == (12, 96, 90)
    assert (ITEMS["school_size"].params["max_pupils"], ITEMS["school_size"].params["max_pupils_combined"]) == (2000, 2500)
    assert ITEMS["class_size"].params["max_pupils"] == {"primary": 45, "junior": 50}
    funds = ITEMS["public_funds_per_pupil"].params
    assert funds["benchmark_yuan"] == {"primary": 600, "junior": 800} and funds["small_school_pupils"] == 100


def test_every_item_has_text_source_and_needs():
    for item in ITEMS.values():
        assert item.zh and item.en and item.source and item.needs, item.key
        if item.method == "evidence":
            assert len(item.needs) == 1 and item.needs[0][0] == "county"


def _variant(tmp_path, old: str, new: str) -> Path:
    path = tmp_path / "variant.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_method_is_refused_with_its_key_path(tmp_path):
    path = _variant(tmp_path, "method: school_size", "method: school_sise")
    with pytest.raises(InputError) as error:
        checklist(load_standard(path))
    problem = error.value.problems[0]
    assert problem.file == str(path) and problem.column == "parts.government.items[3].method"
    assert "school_sise" in problem.message


def test_missing_threshold_and_wrong_clause_count_are_refused(tmp_path):
    path = _variant(tmp_path, "params: {numerator: exchange_rotated_teachers, denominator: exchange_eligible_teachers, at_least: 0.10}",
                    "params: {numerator: exchange_rotated_teachers, denominator: exchange_eligible_teachers}")
    path.write_text(path.read_text(encoding="utf-8").replace("clauses: 9", "clauses: 8"), encoding="utf-8")
    with pytest.raises(InputError) as error:
        checklist(load_standard(path))
    where = {p.column for p in error.value.problems}
    assert "parts.government.items[10].params" in where and "parts.quality.clauses" in where
