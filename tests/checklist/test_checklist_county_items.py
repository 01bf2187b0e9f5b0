"""Hand-worked cases of the county-table items (pay, exchange, quotas, children, retention,
monitoring, survey) and the evidence items, never guessed."""
import pytest

from balance_sim.checklist.county_methods import retention_rate
from checklist_cases import judge

RETENTION = {"junior_graduates": 960, "junior_transferred_in": 30, "junior_transferred_out": 20,
             "grade7_enrolment_three_years_before": 1000, "junior_deaths": 2}


def test_retention_formula():
    # (960 − 30 + 20) ÷ (1000 − 2) = 950 / 998
    assert retention_rate(960, 30, 20, 1000, 2) == pytest.approx(950 / 998)
    outcome = judge("junior_retention", county=RETENTION)
    assert outcome.status == "pass" and outcome.value == pytest.approx(0.951904, abs=1e-6)
    low = judge("junior_retention", county={**RETENTION, "junior_graduates": 930})  # 920 / 998 = 0.9218
    assert low.status == "fail" and low.gap == pytest.approx((0.95 - 920 / 998) / 0.95)


def test_retention_names_each_missing_count():
    outcome = judge("junior_retention", county={k: v for k, v in RETENTION.items() if k != "junior_deaths"})
    assert outcome.status == "not_assessable" and outcome.missing == ("county.junior_deaths",)


def test_exchange_share_and_backbone_share():
    county = {"exchange_eligible_teachers": 100, "exchange_rotated_teachers": 9, "exchange_rotated_backbone_teachers": 2}
    share = judge("exchange_share", county=county)
    assert share.status == "fail" and share.value == pytest.approx(0.09) and share.gap == pytest.approx(0.1)
    backbone = judge("exchange_backbone_share", county=county)  # 2 of 9 = 22%
    assert backbone.status == "pass" and backbone.value == pytest.approx(2 / 9)
    assert judge("exchange_share", county={**county, "exchange_rotated_teachers": 10}).status == "pass"
    none = judge("exchange_backbone_share", county={**county, "exchange_rotated_teachers": 0})
    assert none.status == "not_assessable" and "undefined" in none.detail


@pytest.mark.parametrize("teacher, civil, status", [(80_000, 80_000, "pass"), (79_000, 80_000, "fail")])
def test_teacher_pay_not_below_civil_servants(teacher, civil, status):
    outcome = judge("teacher_pay", county={"teacher_average_pay_yuan": teacher, "civil_servant_average_pay_yuan": civil})
    assert outcome.status == status


@pytest.mark.parametrize("key, county, status", [
    ("migrant_children_public", {"migrant_children_public_places": 850, "migrant_children": 1000}, "pass"),
    ("migrant_children_public", {"migrant_children_public_places": 849, "migrant_children": 1000}, "fail"),
    ("disabled_children_enrolment", {"disabled_children_enrolled": 95, "disabled_children": 100}, "pass"),
    ("disabled_children_enrolment", {"disabled_children_enrolled": 94, "disabled_children": 100}, "fail"),
    ("senior_high_quota", {"quota_places_allocated": 500, "quality_senior_high_places": 1000}, "pass"),
    ("senior_high_quota", {"quota_places_allocated": 499, "quality_senior_high_places": 1000}, "fail"),
    ("special_education_funds", {"special_education_funds_per_pupil_yuan": 6000}, "pass"),
    ("special_education_funds", {"special_education_funds_per_pupil_yuan": 5999}, "fail"),
    ("learning_outcomes_level", {"monitoring_level": 3}, "pass"),
    ("learning_outcomes_level", {"monitoring_level": 2}, "fail"),
    ("learning_outcomes_difference", {"monitoring_difference_rate": 0.149}, "pass"),
    ("learning_outcomes_difference", {"monitoring_difference_rate": 0.15}, "fail"),  # strictly below
    ("social_recognition", {"survey_satisfaction_share": 0.85}, "pass"),
    ("social_recognition", {"survey_satisfaction_share": 0.84}, "fail"),
])
def test_county_thresholds(key, county, status):
    assert judge(key, county=county).status == status


def test_evidence_is_taken_never_guessed():
    assert judge("full_curriculum", county={"full_curriculum": True}).status == "pass"
    no = judge("full_curriculum", county={"full_curriculum": False})
    assert no.status == "fail" and no.value == 0.0
    for county in (None, {}, {"full_curriculum": None}):
        outcome = judge("full_curriculum", county=county)
        assert outcome.status == "not_assessable" and outcome.missing == ("county.full_curriculum",)
