"""The policy tree: defaults with sources, overrides by key path, validation naming the key."""
import pytest
import yaml

from balance_sim.errors import ParameterError
from balance_sim.sim import Scenario, default_policy, describe, load_policy
from balance_sim.sim.policy import to_dict, Dated, _default_raw


def _leaves(node, path=""):
    if isinstance(node, dict) and ("value" in node or "values" in node):
        yield path, node
        return
    for key, child in node.items():
        yield from _leaves(child, f"{path}.{key}" if path else key)


def test_every_default_has_a_source_naming_facts_a_seed_or_assumption():
    leaves = list(_leaves(_default_raw()))
    assert len(leaves) > 80
    for path, leaf in leaves:
        source = str(leaf.get("source", ""))
        assert any(word in source for word in ("docs/sources.md", "seed", "assumption", "policy choice")), path
        assert leaf.get("label") and leaf.get("zh") and leaf.get("unit"), path


def test_dated_values_hold_from_their_year():
    p = default_policy()
    assert p.funding.public_funds_per_pupil.primary.at(2016) == 600
    assert p.funding.public_funds_per_pupil.junior.at(2030) == 800
    assert p.teachers.retirement_age.male.at(2029) == 60
    assert p.teachers.retirement_age.male.at(2030) == 61
    assert p.teachers.retirement_age.female.at(2041) == 58
    assert Dated(((2016, 600.0), (2020, 650.0))).at(2019) == 600
    assert Dated(((2016, 600.0), (2020, 650.0))).at(2020) == 650


def test_overrides_by_key_path_change_only_that_leaf():
    p = load_policy(overrides=["funding.rural_share=0.8", "teachers.exchange_rate=0.15"])
    assert p.value("funding.rural_share") == 0.8
    assert p.value("teachers.exchange_rate") == 0.15
    assert p.funding.budget_growth == default_policy().funding.budget_growth
    q = p.override({"funding.public_funds_per_pupil.primary": {2016: 600, 2022: 720}})
    assert q.funding.public_funds_per_pupil.primary.at(2023) == 720


@pytest.mark.parametrize(
    "assignment, key",
    [
        ("funding.rural_shar=0.8", "funding.rural_shar"),
        ("funding.rural_share=1.5", "funding.rural_share"),
        ("funding.rural_share=many", "funding.rural_share"),
        ("teachers.exchange_min_years=2.5", "teachers.exchange_min_years"),
        ("funding.allocation_rule=lottery", "funding.allocation_rule"),
        ("enrolment.consolidation.enabled=1", "enrolment.consolidation.enabled"),
        ("funding.capital_mix.books=0.5", "funding.capital_mix"),
        ("nothing.here=1", "nothing"),
    ],
)
def test_bad_values_are_refused_naming_the_key(assignment, key):
    with pytest.raises(ParameterError) as error:
        load_policy(overrides=[assignment])
    assert str(error.value).startswith(key)


def test_a_partial_policy_file_changes_the_default(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("funding:\n  rural_share: 0.7\n  allocation_rule: {value: per_pupil, source: test}\n")
    p = load_policy(path)
    assert p.value("funding.rural_share") == 0.7
    assert p.funding.allocation_rule == "per_pupil"
    assert p.teachers == default_policy().teachers


def test_policy_files_are_read_with_the_safe_loader(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("funding:\n  rural_share: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ParameterError):
        load_policy(path)
    (tmp_path / "unknown.yaml").write_text("funding:\n  ruralshare: 0.7\n")
    with pytest.raises(ParameterError, match="funding.ruralshare: unknown key"):
        load_policy(tmp_path / "unknown.yaml")


def test_describe_lists_every_leaf_with_current_value():
    rows = {r["key"]: r for r in describe(load_policy(overrides=["funding.rural_share=0.9"]))}
    assert rows["funding.rural_share"]["value"] == 0.9
    assert rows["funding.public_funds_per_pupil.primary"]["value"] == {2016: 600.0}
    assert "docs/sources.md#money" in rows["funding.small_school_floor"]["source"]


def test_scenario_is_a_name_and_a_policy():
    s = Scenario.from_file("rural", overrides=["funding.rural_share=0.8"])
    t = s.with_changes("rural+exchange", {"teachers.exchange_rate": 0.2})
    assert (s.name, s.policy.value("funding.rural_share")) == ("rural", 0.8)
    assert t.policy.value("teachers.exchange_rate") == 0.2 and t.policy.value("funding.rural_share") == 0.8
    assert yaml.safe_dump(s.name)


def test_a_dated_lever_holds_from_its_year():
    p = load_policy(overrides={"funding.rural_share": {2022: 0.5, 2027: 0.8}})
    assert [p.value("funding.rural_share", y) for y in (2020, 2026, 2027, 2030)] == [0.5, 0.5, 0.8, 0.8]
    assert to_dict(p)["funding"]["rural_share"] == {2022: 0.5, 2027: 0.8}
    assert to_dict(load_policy())["funding"]["rural_share"] == 0.5  # one value for every year stays a number
