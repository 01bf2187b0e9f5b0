"""Hand-worked cases of the per-school items (教督〔2017〕6号 政府保障程度 3–6, 9, 12, 13; 教育质量 4)."""
import numpy as np
import pytest

from balance_sim.checklist.school_methods import funds_required, rooms_needed
from checklist_cases import judge, school

ROOMS = {"music_room_area_m2": 96.0, "art_room_area_m2": 90.0}


def test_rooms_needed_for_13_and_24_classes():
    # one of each per 12 classes, rounded up: 13 → 2, 24 → 2, 25 → 3, 12 → 1
    assert list(rooms_needed([13, 24, 25, 12])) == [2, 2, 3, 1]


@pytest.mark.parametrize("classes, rooms, status", [(13, 1, "fail"), (13, 2, "pass"), (24, 2, "pass"), (25, 2, "fail")])
def test_music_and_art_rooms_per_12_classes(classes, rooms, status):
    outcome = judge("music_art_rooms", [school(classes=classes, music_rooms=rooms, art_rooms=rooms, **ROOMS)])
    assert outcome.status == status and outcome.value == (1.0 if status == "fail" else 0.0)


def test_each_room_must_reach_its_area():
    small = judge("music_art_rooms", [school(classes=12, music_rooms=1, art_rooms=1, music_room_area_m2=95.9, art_room_area_m2=90.0)])
    assert small.status == "fail"
    art = judge("music_art_rooms", [school(classes=12, music_rooms=1, art_rooms=1, music_room_area_m2=96.0, art_room_area_m2=89.0)])
    assert art.status == "fail"


def test_nine_year_sections_share_rooms_and_teaching_points_are_left_out():
    rows = [school("n", "primary", classes=10, school_type="nine_year", music_rooms=1, art_rooms=1, **ROOMS),
            school("n", "junior", classes=5, school_type="nine_year", music_rooms=0, art_rooms=1, **ROOMS),
            school("tp", classes=2, school_type="teaching_point", music_rooms=0, art_rooms=0, **ROOMS)]
    # 15 classes need 2 of each: the school has 1 music room and 2 art rooms
    outcome = judge("music_art_rooms", rows)
    assert outcome.status == "fail" and outcome.value == 1 and "1 of 1 schools" in outcome.detail


def test_rooms_unknown_without_columns_but_a_known_shortfall_still_fails():
    assert judge("music_art_rooms", [school()]).status == "not_assessable"
    rows = [school("a", classes=13, music_rooms=1, art_rooms=2), school("b", classes=6, music_rooms=1, art_rooms=1)]
    outcome = judge("music_art_rooms", rows)  # areas unknown, but school a lacks a music room
    assert outcome.status == "fail" and outcome.value == 1


@pytest.mark.parametrize("rows, status", [
    ([school(students=2000)], "pass"),
    ([school(students=2001)], "fail"),
    ([school("n", "primary", 1400, school_type="nine_year"), school("n", "junior", 1100, school_type="nine_year")], "pass"),
    ([school("n", "primary", 1400, school_type="nine_year"), school("n", "junior", 1101, school_type="nine_year")], "fail"),
    # a primary and a junior school that are separate schools: each ≤ 2,000
    ([school("p", "primary", 1900), school("j", "junior", 1900)], "pass"),
])
def test_school_size_per_school_not_per_section(rows, status):
    assert judge("school_size", rows).status == status


def test_class_size_from_bins_counts_classes_over_the_limit():
    rows = [school("p", classes_over_45=2, classes_over_50=0), school("j", "junior", classes_over_45=5, classes_over_50=1)]
    outcome = judge("class_size", rows)
    # primary is read at 45, junior at 50: 2 + 1 classes over
    assert outcome.status == "fail" and outcome.value == 3.0 and outcome.gap == 1.0


def test_class_size_without_bins():
    over = judge("class_size", [school(students=480, classes=10)])  # average 48 > 45: surely a class over
    assert over.status == "fail" and over.value == 1.0
    unknown = judge("class_size", [school(students=400, classes=10)])  # average 40: cannot tell
    assert unknown.status == "not_assessable" and unknown.missing == ("schools.classes_over_45",)
    ok = judge("class_size", [school(students=400, classes=10, classes_over_45=0)])
    assert ok.status == "pass" and ok.value == 0.0


def test_public_funds_small_school_counts_as_100_and_boarders_add_200():
    assert funds_required(["primary"], [80], [0], {"benchmark_yuan": {"primary": 600}, "small_school_pupils": 100,
                                                    "boarding_supplement_yuan": 200})[0] == 60_000
    assert judge("public_funds_per_pupil", [school(students=80, public_funds_yuan=60_000.0)]).status == "pass"
    assert judge("public_funds_per_pupil", [school(students=80, public_funds_yuan=59_000.0)]).status == "fail"
    # junior, 300 pupils of whom 50 board: 800 × 300 + 200 × 50 = 250,000
    rows = [school(level="junior", students=300, boarding_students=50, public_funds_yuan=250_000.0)]
    assert judge("public_funds_per_pupil", rows).status == "pass"
    rows[0]["public_funds_yuan"] = 249_000.0
    assert judge("public_funds_per_pupil", rows).status == "fail"


def test_training_funds_at_least_5_percent_of_public_funds_in_every_school():
    rows = [school("a", public_funds_yuan=100_000.0, training_spending_yuan=5_000.0),
            school("b", public_funds_yuan=200_000.0, training_spending_yuan=12_000.0)]
    assert judge("training_funds", rows).status == "pass"
    rows[1]["training_spending_yuan"] = 9_800.0  # 4.9%
    outcome = judge("training_funds", rows)
    assert outcome.status == "fail" and outcome.value == 1.0 and outcome.gap == 0.5


def test_certificates_and_training_are_shares_of_all_teachers():
    rows = [school("a", teachers=60, certified_teachers=60), school("b", teachers=40, certified_teachers=39)]
    outcome = judge("teaching_certificates", rows)
    assert outcome.status == "fail" and outcome.value == pytest.approx(0.99) and outcome.gap == pytest.approx(0.01)
    rows = [school("a", teachers=60, training_completed_teachers=60), school("b", teachers=40, training_completed_teachers=40)]
    assert judge("training_completion", rows).status == "pass"


def test_an_unreported_school_bounds_the_share():
    # b did not report: the share lies between 50/100 and 100/100 → cannot be judged
    rows = [school("a", teachers=50, certified_teachers=50), school("b", teachers=50, certified_teachers=np.nan)]
    assert judge("teaching_certificates", rows).status == "not_assessable"
    # a already lacks 10: even if b were complete the share is 90% → fail
    rows[0]["certified_teachers"] = 40
    outcome = judge("teaching_certificates", rows)
    assert outcome.status == "fail" and outcome.value == pytest.approx(0.9)


def test_nearest_school_counts_urban_and_town_day_schools_of_the_level():
    rows = [
        school("u", students=500, catchment_students=500, location="urban"),
        school("t", students=300, catchment_students=300, location="town", boarding_students=0),
        school("r", students=100, catchment_students=40, location="rural"),  # rural: not counted
        school("b", students=200, catchment_students=100, location="town", boarding_students=150),  # boarding school
        school("j", "junior", students=1000, catchment_students=940, location="urban"),
    ]
    primary = judge("nearest_school_primary", rows)
    assert primary.status == "pass" and primary.value == 1.0
    junior = judge("nearest_school_junior", rows)
    assert junior.status == "fail" and junior.value == pytest.approx(0.94)
    rows[-1]["catchment_students"] = 950
    assert judge("nearest_school_junior", rows).status == "pass"
