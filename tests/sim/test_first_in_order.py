"""`exchange_moves.first_in_order` (the first few candidates of each group in order of draw,
sorting only those below a threshold) gives what sorting every slot by draw and filtering
gives: the same slots in the same order, ties by slot, for any need — none, a few, all, more
than there are — with and without a later tier."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim.exchange_moves import Candidates, first_in_order


def reference(mask, draw, group, need, later):
    order = np.argsort(draw, kind="stable")  # every slot by draw, ties by slot
    tiers = [order[mask[order]]] if later is None else [order[(mask & ~later)[order]], order[(mask & later)[order]]]
    listed = np.concatenate(tiers)
    listed = listed[np.argsort(group[listed], kind="stable")]
    out, taken = [], {}
    for slot in listed:
        g = group[slot]
        if taken.get(g, 0) < need[g]:
            out.append(slot)
            taken[g] = taken.get(g, 0) + 1
    return np.array(out, dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 12), st.booleans(), st.booleans(), st.integers(0, 2**32 - 1))
def test_equals_sorting_every_slot(n, groups, tiered, ties, seed):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n)
    draw = rng.random(n)
    if ties:
        draw = np.floor(draw * 4) / 4
    mask = rng.random(n) < 0.7
    later = rng.random(n) < 0.4 if tiered else None
    need = rng.integers(-1, 40, groups)
    got = first_in_order(mask, draw, group, need, groups, later)
    assert np.array_equal(got, reference(mask, draw, group, need, later))


def test_a_hand_case():
    draw = np.array([0.9, 0.1, 0.5, 0.3, 0.7, 0.2])
    section = np.array([0, 0, 0, 1, 1, 1])
    mask = np.array([True, True, True, True, False, True])
    later = np.array([False, False, False, False, False, True])
    ranked = Candidates.of(mask, section, draw, 2, later=later).first(np.array([2, 2]))
    assert ranked.slots.tolist() == [1, 2, 3, 5]  # section 0: 0.1, 0.5; section 1: 0.3, then the later 0.2
    assert ranked.count.tolist() == [2, 2] and ranked.start.tolist() == [0, 2]
    assert Candidates.of(mask, section, draw, 2).count.tolist() == [3, 2]
