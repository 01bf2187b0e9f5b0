"""Training and titles (policy-brief lever 2; facts.md §3a training, §6 and §8 titles).

Training reaches `training_rate` of teachers a year (rural teachers `rural_training_priority`
times as likely); a trained teacher may gain the next degree, and one with a mid or senior title
may become a county backbone teacher. Titles rise one step with a probability per step; with the
rural-service rule on, a teacher in a town or urban school needs `rural_service_years_required`
years of rural service before the senior title (seed 003; national rules since 2015).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import RURAL, State

SENIOR = 3
TOP_DEGREE, TOP_TITLE = 3, 4


def step(state: State, policy, rng: np.random.Generator):
    t, s, tp = state.teachers, state.schools, policy.teachers
    serving = np.flatnonzero(t.active[: t.n])
    rural = s.location[t.school[serving]] == RURAL
    u = rng.random((4, len(serving)))
    trained = u[0] < np.minimum(tp.training_rate * np.where(rural, tp.rural_training_priority, 1.0), 1.0)
    degree = t.degree[serving]
    t.degree[serving] = degree + (trained & (degree < TOP_DEGREE) & (u[1] < tp.degree_upgrade_probability))
    title = t.title[serving]
    new_backbone = trained & (t.backbone[serving] == 0) & (title >= 2) & (u[2] < tp.backbone_probability)
    t.backbone[serving[new_backbone]] = 1
    p = tp.promotion_probability
    chance = np.array([p.junior, p.intermediate, p.senior, p.professor, 0.0])[title]
    promote = u[3] < chance
    if tp.rural_service_before_senior:
        served = rural | (t.rural_years[serving] >= tp.rural_service_years_required)
        promote &= (title + 1 != SENIOR) | served
    t.title[serving] = np.minimum(title + promote, TOP_TITLE)
    return state, []
