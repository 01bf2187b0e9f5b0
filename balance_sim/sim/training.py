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
    n = t.n
    active = t.active[:n]
    rural = s.location[t.school[:n]] == RURAL
    u = rng.random((4, n))
    trained = active & (u[0] < np.minimum(tp.training_rate * np.where(rural, tp.rural_training_priority, 1.0), 1.0))
    degree, title, backbone = t.degree[:n], t.title[:n], t.backbone[:n]
    degree += trained & (degree < TOP_DEGREE) & (u[1] < tp.degree_upgrade_probability)
    backbone[trained & (backbone == 0) & (title >= 2) & (u[2] < tp.backbone_probability)] = 1
    p = tp.promotion_probability
    promote = active & (u[3] < np.array([p.junior, p.intermediate, p.senior, p.professor, 0.0])[title])
    if tp.rural_service_before_senior:
        served = rural | (t.rural_years[:n] >= tp.rural_service_years_required)
        promote &= (title + 1 != SENIOR) | served
    title += promote & (title < TOP_TITLE)
    return state, []
