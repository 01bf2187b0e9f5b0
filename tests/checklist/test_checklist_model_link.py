"""The items a simulated year can show, from plain arrays; the rest named as outside the model."""
import numpy as np
import pytest

from balance_sim.checklist import MODELLED, all_items, modelled_items, outside_model_items

EXCHANGE = {"exchange_eligible_teachers": 200, "exchange_rotated_teachers": 20, "exchange_rotated_backbone_teachers": 4}


def _year(**changes):
    arrays = {"school_id": np.array(["a", "b", "n", "n"]), "level": np.array([0, 0, 0, 1]),
              "school_type": np.array(["regular", "regular", "nine_year", "nine_year"]),
              "students": np.array([450.0, 90.0, 1300.0, 1100.0]), "classes": np.array([10.0, 3.0, 30.0, 22.0]),
              "teachers": np.array([30, 8, 80, 90]), "training_completed_teachers": np.array([30, 8, 80, 90]),
              "public_funds_yuan": np.array([270_000.0, 60_000.0, 780_000.0, 880_000.0])}
    arrays.update(changes)
    return arrays


def test_every_modelled_item_passes_in_a_good_year():
    out = modelled_items(_year(), EXCHANGE)
    assert list(out["key"]) == list(MODELLED)
    assert (out["status"] == "pass").all(), out


def test_even_classes_judge_the_largest_class():
    # 451 pupils in 10 classes: the largest has 46 > 45
    out = modelled_items(_year(students=np.array([451.0, 90.0, 1300.0, 1100.0]),
                               public_funds_yuan=np.array([280_000.0, 60_000.0, 780_000.0, 880_000.0])), EXCHANGE)
    row = out.set_index("key").loc["class_size"]
    assert row["status"] == "fail" and row["value"] == 1.0


def test_each_modelled_item_can_fail():
    out = modelled_items(_year(students=np.array([450.0, 90.0, 1400.0, 1101.0]), classes=np.array([10.0, 3.0, 32.0, 23.0]),
                               training_completed_teachers=np.array([29, 8, 80, 90])),
                         {**EXCHANGE, "exchange_rotated_teachers": 19, "exchange_rotated_backbone_teachers": 3})
    status = out.set_index("key")["status"].to_dict()
    assert status == {"exchange_share": "fail", "exchange_backbone_share": "fail", "class_size": "pass",
                      "school_size": "fail", "public_funds_per_pupil": "fail", "training_completion": "fail"}


def test_without_exchange_figures_the_exchange_items_are_not_assessable():
    out = modelled_items(_year(), None).set_index("key")
    assert out.loc["exchange_share", "status"] == "not_assessable"


def test_outside_items_are_the_rest():
    outside = set(outside_model_items()["key"])
    assert outside.isdisjoint(MODELLED)
    assert outside | set(MODELLED) == {item.key for item in all_items()}
    assert {"teacher_pay", "social_recognition", "junior_retention"} <= outside
