"""Exchange and rotation of teachers (facts.md §3 and §8; seed 003; policy-brief lever 2).

First, teachers whose term ends stay at the receiving school with `exchange_stay_probability`
(their post moves there) or return home. Then, within each level, sections are ranked by
strength = quality + `exchange_urban_bonus` for town and urban sections; those at or above the
enrolment-weighted mean send, the others receive. `exchange_rate` × the level's eligible teachers
(≥ `exchange_min_years` at their school) are sent from the senders' eligible teachers, at least
`backbone_share_min` of them backbone teachers when enough exist, for `exchange_term_years`;
receivers (each up to `exchange_receive_share` of its staffing norm) take them where backbone
teachers per pupil are scarcest (water-filling), backbone teachers placed first.
The post stays with the home school while away.

How a year is computed: one compiled call (balance_sim/jit.py) of three passes around the year's
two draws (draws.py) — `_serve_and_sort_out` (one pass over the teachers: terms served, whose
term ends, who hosts whom, who is eligible and in the senders' pool), the stay-or-return draw,
`_settle` (term ends applied, the teachers back or staying added where eligible, the quotas), the
selection draw, `_send_kernel` (backbone-first selection and water-filling placement, moves
applied).
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim import ledger as L
from balance_sim.sim.draws import fill, pointers
from balance_sim.sim.exchange_choice import choose, sift_down, sift_up
from balance_sim.sim.state import TEACHER_COUNTS, State

BACKBONE_COLUMN = TEACHER_COUNTS.index("backbone_teachers")


@kernel
def _strength(quality, urban_bonus, section_open, pupils, level, score, sender):
    """Strength of each section into `score`, True for senders into `sender`: quality (0 where
    unknown) plus the urban bonus; senders are open sections at or above their level's
    enrolment-weighted mean. The weighted sums run in section order, as a weighted bincount does."""
    weighted = np.zeros(2)
    weights = np.zeros(2)
    for i in range(len(quality)):
        q = quality[i]
        if np.isnan(q):
            q = 0.0
        score[i] = q + urban_bonus[i]
        w = pupils[i] if section_open[i] else 0.0
        weighted[level[i]] += w * score[i]
        weights[level[i]] += w
    for i in range(len(quality)):
        sender[i] = section_open[i] and score[i] >= weighted[level[i]] / max(weights[level[i]], 1e-12)


@kernel
def _serve_and_sort_out(n, active, exchange_left, school, post, years_at_school, backbone, min_years, section_open,
                        level, quality, urban_bonus, pupils, done, pool, pool_group, hosted, eligible, score, sender):
    """One more year served by every teacher away on exchange, then the year's sorting out in the
    same pass: the slots whose term ends now (ascending, into `done`; settled after the
    stay-or-return draw), the exchange teachers each section hosts, the eligible teachers
    (serving, not away, at least `min_years` at an open section) by level, and the senders' pool
    (slots ascending) with each one's group 2 × level + backbone; before it, the sections'
    strength and senders. Writes into the buffers given; returns (terms ended, pool size before
    the term ends are settled)."""
    _strength(quality, urban_bonus, section_open, pupils, level, score, sender)
    # One small code per section (bit 0 open, bit 1 sender, bit 2 junior level): one read per teacher.
    n_sections = len(section_open)
    code = np.empty(n_sections, np.int64)
    for j in range(n_sections):
        code[j] = section_open[j] + 2 * sender[j] + 4 * level[j]
        hosted[j] = 0
    eligible[0] = eligible[1] = 0
    n_done = n_pool = n_eligible = n_eligible_junior = 0
    for i in range(n):
        here = school[i]
        left = exchange_left[i]
        if active[i] and left > 0:
            left -= 1
            exchange_left[i] = left
            if left == 0:
                done[n_done] = i
                n_done += 1
            else:
                hosted[here] += 1
        elif active[i]:  # branch-free: whether a teacher qualifies is a coin toss
            c = code[here]
            junior = c >> 2
            ok = (years_at_school[i] >= min_years) & (c & 1)
            n_eligible_junior += ok & junior
            n_eligible += ok
            pool[n_pool] = i
            pool_group[n_pool] = 2 * junior + (backbone[i] > 0)
            n_pool += ok & (c >> 1)
    eligible[0], eligible[1] = n_eligible - n_eligible_junior, n_eligible_junior
    return n_done, n_pool


@kernel
def _settle(done, stay_draws, stay_probability, school, post, years_at_school, backbone, min_years,
            section_open, level, sender, eligible, quota, rate, pool, pool_group, n_pool):
    """Term ends (the first len(stay_draws) of `done`) applied: stay where the draw is below the
    probability or the home section has closed (the post moves), else return home. Those now
    eligible join the counts and, in a sending section, the pool (kept in slot order, in its
    buffer). Each level's quota (rounded up: "at least 10%", facts.md §8) into `quota`.
    Returns (the ledger's stay rows, its return rows, eligible teachers, pool size)."""
    n_done = len(stay_draws)
    stays = np.empty((3, n_done), np.int64)  # rows: teacher, from, to
    returns = np.empty((3, n_done), np.int64)
    joining = np.empty(n_done, np.int64)
    n_stay = n_return = n_joining = 0
    for k in range(n_done):
        i = done[k]
        if stay_draws[k] < stay_probability or not section_open[post[i]]:
            stays[0, n_stay], stays[1, n_stay], stays[2, n_stay] = i, post[i], school[i]
            post[i] = school[i]
            n_stay += 1
        else:
            returns[0, n_return], returns[1, n_return], returns[2, n_return] = i, school[i], post[i]
            school[i] = post[i]
            years_at_school[i] = 0
            n_return += 1
        here = school[i]
        if years_at_school[i] >= min_years and section_open[here]:
            eligible[level[here]] += 1
            if sender[here]:
                joining[n_joining] = i
                n_joining += 1
    # Merge the joining slots into the pool, both ascending, from the back (the buffer has room).
    a, b = n_pool - 1, n_joining - 1
    for k in range(n_pool + n_joining - 1, -1, -1):
        if b < 0:
            break
        if a >= 0 and pool[a] > joining[b]:
            pool[k], pool_group[k] = pool[a], pool_group[a]
            a -= 1
        else:
            i = joining[b]
            pool[k], pool_group[k] = i, 2 * level[school[i]] + (backbone[i] > 0)
            b -= 1
    for lv in range(2):
        quota[lv] = np.int64(np.ceil(rate * eligible[lv] - 1e-9))
    return stays[:, :n_stay], returns[:, :n_return], eligible[0] + eligible[1], n_pool + n_joining


@kernel
def _send_kernel(pool, pool_group, u, school, backbone, quota, share, level, section_open, sender, score, norm,
                 receive_share, hosted, counts, backbone_column, pupils, exchange_left, years_at_school, term):
    """Selection (`exchange_choice.choose`) and water-filling placement, moves applied. Receivers (open, not
    sending) take at most ⌈receive_share · norm⌉ exchange teachers in all. Within a level the
    movers in order (backbone first, then by draw) take the places in order of rank
    (backbone_i + j + ½) / max(P_i, 1) + 10⁻⁹ · strength_i of a receiver's j-th place, ties to the
    lower section: a merge of each receiver's increasing places through a heap, the same order
    as sorting every place. The pool is the first len(u) of its buffer. Returns (the ledger's rows:
    teachers sent, from, to; backbone teachers among them)."""
    order, start, _ = choose(pool_group[: len(u)], u, quota, share)
    n_sections = len(level)
    capacity = np.zeros(n_sections, np.int64)
    for i in range(n_sections):
        if section_open[i] and not sender[i]:
            capacity[i] = max(np.int64(np.ceil(receive_share * norm[i] - 1e-9)) - hosted[i], 0)
    moves = np.empty((3, len(order)), np.int64)  # rows: teacher, from, to
    key = np.empty(n_sections)  # rank of each receiver's next free place
    filled = np.zeros(n_sections, np.int64)
    heap = np.empty(n_sections, np.int64)
    sent = n_backbone = 0
    for lv in range(2):
        size = 0
        for i in range(n_sections):
            if level[i] == lv and capacity[i] > 0:
                key[i] = (counts[i, backbone_column] + 0 + 0.5) / max(pupils[i], 1.0) + 1e-9 * score[i]
                heap[size] = i
                size += 1
                sift_up(heap, size - 1, key)
        for r in range(start[lv], start[lv + 1]):
            if size == 0:
                break
            place = heap[0]
            teacher = pool[order[r]]
            moves[0, sent], moves[1, sent], moves[2, sent] = teacher, school[teacher], place
            n_backbone += backbone[teacher] != 0
            sent += 1
            filled[place] += 1
            if filled[place] < capacity[place]:
                key[place] = (counts[place, backbone_column] + filled[place] + 0.5) / max(pupils[place], 1.0) + 1e-9 * score[place]
            else:
                size -= 1
                heap[0] = heap[size]
            sift_down(heap, size, key)
    for k in range(sent):
        school[moves[0, k]] = moves[2, k]
        exchange_left[moves[0, k]] = term
        years_at_school[moves[0, k]] = 0
    return moves[:, :sent], n_backbone


@kernel
def _year_pass(bits, n, active, exchange_left, school, post, years_at_school, backbone, min_years, section_open,
               level, quality, urban_bonus, pupils, done, pool, pool_group, hosted, eligible, score, sender,
               stay_probability, quota, rate, share, norm, receive_share, counts, backbone_column, term):
    """The year in one call: `_serve_and_sort_out`, the stay-or-return draw (one float64 per
    term ended, draws.py), `_settle`, the selection draw (one per teacher in the pool), then
    `_send_kernel`. Returns the ledger's rows (stays, returns, teachers sent), the eligible
    teachers and the backbone teachers sent."""
    n_done, n_pool = _serve_and_sort_out(n, active, exchange_left, school, post, years_at_school, backbone, min_years,
                                         section_open, level, quality, urban_bonus, pupils, done, pool, pool_group,
                                         hosted, eligible, score, sender)
    stay_draws = np.empty(n_done)
    fill(bits, stay_draws)
    stays, returns, n_eligible, n_pool = _settle(done, stay_draws, stay_probability, school, post, years_at_school,
                                                 backbone, min_years, section_open, level, sender, eligible, quota,
                                                 rate, pool, pool_group, n_pool)
    u = np.empty(n_pool)
    fill(bits, u)
    sent, n_backbone = _send_kernel(pool, pool_group, u, school, backbone, quota, share, level, section_open, sender,
                                    score, norm, receive_share, hosted, counts, backbone_column, pupils,
                                    exchange_left, years_at_school, term)
    return stays, returns, sent, n_eligible, n_backbone


def strength(state: State, policy) -> tuple[np.ndarray, np.ndarray]:
    """(strength of each section, True for senders)."""
    s = state.schools
    score, sender = np.empty(s.n), np.empty(s.n, bool)
    _strength(s.quality, _urban_bonus(s, policy), s.open, state.pupils, s.level, score, sender)
    return score, sender


def _urban_bonus(schools, policy) -> np.ndarray:
    return float(policy.teachers.exchange_urban_bonus) * ~schools.rural


def _per_run(state: State, policy) -> dict:
    """The policy's exchange numbers, the urban bonus per section and the passes' buffers, made
    once per run (fixed types, so each kernel compiles once; buffers regrown with the teachers)."""
    run = state.scratch.get("exchange")
    if run is None:
        tp, n_sections = policy.teachers, state.schools.n
        run = state.scratch["exchange"] = {
            "urban_bonus": _urban_bonus(state.schools, policy),
            "stay_probability": float(tp.exchange_stay_probability), "min_years": int(tp.exchange_min_years),
            "rate": float(tp.exchange_rate), "backbone_share": float(tp.backbone_share_min),
            "receive_share": float(tp.exchange_receive_share), "term": int(tp.exchange_term_years),
            "hosted": np.zeros(n_sections, np.int64), "score": np.zeros(n_sections),
            "sender": np.zeros(n_sections, bool), "eligible": np.zeros(2, np.int64), "quota": np.zeros(2, np.int64),
            "done": np.zeros(0, np.int64),
        }
    if len(run["done"]) < state.teachers.capacity:
        capacity = state.teachers.capacity
        run.update(done=np.zeros(capacity, np.int64), pool=np.zeros(capacity, np.int64),
                   pool_group=np.zeros(capacity, np.int8))
    return run


def step(state: State, policy, rng: np.random.Generator):
    t, s, run = state.teachers, state.schools, _per_run(state, policy)
    stays, returns, sent, n_eligible, backbone_sent = _year_pass(
        pointers(state, rng), t.n, t.active, t.exchange_left, t.school, t.post, t.years_at_school, t.backbone,
        run["min_years"], s.open, s.level, s.quality, run["urban_bonus"], state.pupils, run["done"], run["pool"],
        run["pool_group"], run["hosted"], run["eligible"], run["score"], run["sender"], run["stay_probability"],
        run["quota"], run["rate"], run["backbone_share"], state.norm, run["receive_share"], s.counts, BACKBONE_COLUMN,
        run["term"])
    state.exchange_counts = (n_eligible, sent.shape[1], backbone_sent)
    return state, [L.Moves(L.EXCHANGE_STAY, stays), L.Moves(L.EXCHANGE_RETURN, returns),
                   L.Moves(L.EXCHANGE_OUT, sent)]
