"""The demo province (60 counties, docs/sources.md#jilin-2011) and the size parameters of the generators."""
import pytest
from datasets_official import passes_basic, passes_quality

from balance_sim.datasets import synthetic_county, synthetic_province
from balance_sim.errors import ParameterError


def _outcomes(province):
    s = province.schools
    rows = {}
    for county in province.counties:
        rows[county] = {
            "basic": all(passes_basic(s, level, county) for level in ("primary", "junior")),
            "quality": all(passes_quality(s, level, county) for level in ("primary", "junior")),
        }
    return rows


def test_province_has_60_named_counties(province):
    assert len(province.counties) == 60
    assert all(name.endswith("县") for name in province.counties)
    assert province.schools["school_id"].str[:6].nunique() == 60


def test_province_counties_pass_and_fail_each_standard(province):
    outcomes = _outcomes(province).values()
    basic = sum(o["basic"] for o in outcomes)
    quality = sum(o["quality"] for o in outcomes)
    assert 20 <= basic <= 55
    assert 1 <= quality <= 15
    # a county certified under the stricter standard also passes the older one
    assert all(o["basic"] for o in outcomes if o["quality"])


def test_province_counties_vary_in_size_and_wealth(province):
    s = province.schools
    sizes = s.groupby("county")["school_id"].nunique()
    assert sizes.min() < 35 and sizes.max() > 80
    equipment = s.groupby("county")[["equipment_value_yuan", "students"]].sum()
    per_pupil = equipment["equipment_value_yuan"] / equipment["students"]
    assert per_pupil.max() > 1.5 * per_pupil.min()


@pytest.mark.parametrize("n_counties", [1, 5, 120])
def test_province_size_is_honoured(n_counties):
    province = synthetic_province(4, n_counties)
    assert len(province.counties) == n_counties
    assert not province.schools.duplicated(["school_id", "level"]).any()


def test_province_primary_range_is_honoured():
    s = synthetic_province(4, 10, n_primary_range=(20, 20)).schools
    regular_primary = s[(s["level"] == "primary") & (s["school_type"] != "teaching_point")]
    assert (regular_primary.groupby("county").size() == 20).all()


def test_gap_zero_makes_equal_schools_and_large_gap_unequal():
    from datasets_official import comprehensive_cv
    equal = synthetic_county(9, gap=0.0, roster=False).schools
    unequal = synthetic_county(9, gap=2.5, roster=False).schools
    assert comprehensive_cv(equal, "junior") < comprehensive_cv(unequal, "junior")
    assert comprehensive_cv(unequal, "primary") > 0.65


@pytest.mark.parametrize("kwargs", [
    {"n_junior": 0}, {"n_primary": 5, "n_junior": 14}, {"n_nine_year": 20}, {"n_teaching_points": -1},
    {"gap": -1.0}, {"wealth": float("nan")}, {"pupil_teacher_ratio": (16.0, 0.0)},
])
def test_bad_sizes_raise_parameter_error(kwargs):
    with pytest.raises(ParameterError):
        synthetic_county(1, **kwargs)


def test_province_needs_a_county():
    with pytest.raises(ParameterError):
        synthetic_province(1, 0)
