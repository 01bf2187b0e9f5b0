"""The county's targets (docs/sources.md#county-targets, docs/sources.md#county-targets), worked by hand on a small county."""
import numpy as np
import pytest

from balance_sim.errors import ParameterError
from balance_sim.targets import county_targets, target_definitions
from monitoring_counties import county_of, section


def _county():
    return county_of(
        # urban 1,000 pupils in 20 classes (50 each), 12 backbone teachers, all at the minimums
        section("u", students=1000, location="urban", classes=20, backbone_teachers=12),
        # rural 300 pupils in 10 classes (30 each): half the teaching area, 2 backbone teachers
        section("r", students=300, location="rural", classes=10, backbone_teachers=2,
                teaching_area_m2=675.0),
        # rural primary of 150 pupils, 2 classes of 75
        section("s", students=150, location="rural", classes=2),
        # junior with 2 classes of 60
        section("j", "junior", students=120, location="town", classes=2),
        section("tp", students=60, school_type="teaching_point", location="rural", classes=3),
    )


def test_targets_by_hand():
    table = county_targets(_county()).set_index("key")
    value = table["value"]
    # r fails (teaching area 2.25 of 4.5 = 50%, backbone 0.67 of 1.0); 4 of 5 counted sections meet it.
    assert value["standardisation_rate"] == pytest.approx(4 / 5)
    assert not table.loc["standardisation_rate", "pass"]
    # small classes (≤ 30): r's 10 and tp's 3 (20 pupils each) of 20 + 10 + 2 + 2 + 3 = 37 classes
    assert value["small_class_share"] == pytest.approx(13 / 37)
    assert table.loc["small_class_share", "pass"]
    # over 56: s (75) and j (60); over 66: s only
    assert value["large_class_sections"] == 2 and value["super_large_class_sections"] == 1
    # primary under 200 pupils, teaching points excepted: s; junior under 3 classes: j
    assert value["small_primary_schools"] == 1 and value["small_junior_schools"] == 1
    # backbone per 100: rural (2 + 1.5 + 0.6) / 510 pupils; urban and town (12 + 1.2) / 1,120
    rural, urban = (2 + 1.5 + 0.6) / 510, (12 + 1.2) / 1120
    assert value["backbone_rural_urban_ratio"] == pytest.approx(rural / urban)
    assert table.loc["school_choice_rate", "status"] == "not_assessable"
    assert table["pass"].isna().sum() == 1


def test_urban_rural_balance_coefficient_by_hand():
    # Primary: rural teaching area (675 + 675 + 270) / 510 m² per pupil vs urban 4.5; rural
    # backbone teachers (2 + 1.5 + 0.6) / 510 × 100 vs urban 1.2; the other five primary
    # indicators are equal on both sides (ratio 1). Junior has no rural side and is left out.
    value = county_targets(_county()).set_index("key").loc["urban_rural_balance", "value"]
    rural_area = (675 + 675 + 270) / 510
    rural_backbone = (2 + 1.5 + 0.6) / 510 * 100
    assert value == pytest.approx((5 + rural_area / 4.5 + rural_backbone / 1.2) / 7)


def test_start_phase_uses_the_near_targets():
    table = county_targets(_county(), phase="start").set_index("key")
    assert table.loc["standardisation_rate", "target"] == 0.85
    assert table.loc["backbone_rural_urban_ratio", "target"] == 0.5
    with pytest.raises(ParameterError):
        county_targets(_county(), phase="later")


def test_every_target_carries_a_source_and_definition():
    for key, spec in target_definitions().items():
        assert spec["source"] and spec["definition"] and spec["rule"] in (">=", "<=", "<", ">"), key
