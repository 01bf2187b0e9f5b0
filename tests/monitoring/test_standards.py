"""Standards as data: the shipped files hold docs/sources.md's numbers; bad files are refused by key."""
import math
from pathlib import Path

import pytest

from balance_sim.errors import InputError, ParameterError
from balance_sim.standards import available_standards, load_standard
from balance_sim.standards.rules import composite_cv

SHIPPED = Path(__file__).resolve().parents[2] / "balance_sim" / "standards"


def test_both_national_standards_are_shipped():
    assert {"basic-2012", "quality-2017"} <= set(available_standards())


def test_quality_2017_holds_the_facts_table():
    res = load_standard("quality-2017").resources
    assert len(res.indicators) == 7
    assert res.minimum("primary", "sports_area_per_student") == 7.5
    assert res.minimum("junior", "equipment_value_per_student") == 2500
    assert res.minimum("junior", "above_degree_teachers_per_100") == 5.3
    assert res.minimum("primary", "multimedia_classrooms_per_100") == 2.3
    assert dict(res.cv_max) == {"primary": 0.50, "junior": 0.45}
    assert res.cv_rule == "each"
    assert (res.school_rule.min_met, res.school_rule.floor_ratio) == (6, 0.85)
    assert res.inclusion.teaching_point_min_students == 50


def test_basic_2012_averages_eight_cvs_without_minimums():
    res = load_standard("basic-2012").resources
    assert len(res.indicators) == 8
    assert dict(res.cv_max) == {"primary": 0.65, "junior": 0.55}
    assert res.cv_rule == "mean" and not res.has_minimums and res.school_rule is None
    assert res.inclusion.exclude_school_types == ("teaching_point",)


def test_jilin_published_comprehensive_cv():
    # docs/sources.md#basic-2012: 南关区, primary, Jilin's 60-county table.
    cvs = [0.393, 0.578, 0.372, 0.246, 0.208, 0.311, 0.311, 0.455]
    assert round(composite_cv(cvs), 3) == 0.359
    assert math.isnan(composite_cv(cvs[:-1] + [float("nan")]))  # all eight are needed


def test_provincial_variant_loads_from_a_path(tmp_path):
    text = (SHIPPED / "quality-2017.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "hebei-quality.yaml"
    variant.write_text(text.replace("name: quality-2017", "name: hebei-quality").replace("primary: 0.50", "primary: 0.48"),
                       encoding="utf-8")
    std = load_standard(variant)
    assert std.name == "hebei-quality" and std.resources.cv_max["primary"] == 0.48


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("    - multimedia_classrooms_per_100\n", "    - classrooms_per_pupil\n", "resources.indicators[6]"),
        ("      equipment_value_per_student: 2000\n", "      equipment_value_per_student: lots\n",
         "resources.minimums.primary.equipment_value_per_student"),
        ("  cv_rule: each", "  cv_rule: median", "resources.cv_rule"),
        ("    min_met: 6 ", "    min_met: 9 ", "resources.school_rule.min_met"),
        ("    junior: 0.45\n", "", "resources.cv_max.junior"),
        ("    exclude_school_types: []", "    exclude_school_types: [private]",
         "resources.inclusion.exclude_school_types[0]"),
    ],
)
def test_malformed_file_names_file_and_key(tmp_path, old, new, key):
    text = (SHIPPED / "quality-2017.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_standard(bad)
    problems = caught.value.problems
    assert any(p.file == str(bad) and p.column == key for p in problems), [str(p) for p in problems]


def test_unknown_top_level_key_and_bad_yaml_are_refused(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("name: x\nresourcez: {}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_standard(bad)
    assert {p.column for p in caught.value.problems} >= {"(top).resourcez", "resources"}
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_standard(bad)


def test_parts_section_is_kept_for_later_items(tmp_path):
    text = (SHIPPED / "quality-2017.yaml").read_text(encoding="utf-8")
    path = tmp_path / "q.yaml"
    path.write_text(text + "parts:\n  government: {items: []}\n", encoding="utf-8")
    assert dict(load_standard(path).parts) == {"government": {"items": []}}


def test_unknown_standard_name_is_a_parameter_error():
    with pytest.raises(ParameterError, match="quality-2017"):
        load_standard("quality-2035")
