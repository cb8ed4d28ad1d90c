"""Survey waves: relationship (twice a year), pulse (quarterly, anonymous), transactional (monthly).

Invitations go to active contacts of active partners; response propensity and answers (NPS 0-10,
CSAT and likert 1-5) shift with the partner's latent health in the wave month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from ingestion.contract import PILLARS, TOUCHPOINTS
from ingestion.generate.activity import IdCounter, World
from ingestion.generate.config import DAY, HOUR, Timeline, add_months, rng_for, to_epoch
from ingestion.generate.drops import Split, split_immutable
from ingestion.generate.frames import ids, ts

POSITIVE = (
    "Great partner team, very responsive.",
    "The portal makes registrations easy.",
    "Enablement content is excellent.",
    "Strong co-selling support this quarter.",
)
NEUTRAL = (
    "Decent program, some processes are slow.",
    "Training is fine but could be shorter.",
    "MDF approval takes a while.",
    "OK overall.",
)
NEGATIVE = (
    "Deal registration approvals are far too slow.",
    "We get little support from our channel manager.",
    "Incentives are not competitive.",
    "Portal is hard to use.",
    "Considering other vendors.",
)
PILLAR_OFFSET = {
    "onboard": 0.2,
    "enable": 0.1,
    "market": -0.2,
    "sell": 0.0,
    "incentivize": -0.3,
    "accelerate": -0.1,
}


@dataclass(frozen=True)
class Wave:
    kind: str
    wave_id: str
    opened: int
    closed: int
    anonymous: bool
    questions: tuple[tuple[str, str, str | None, str | None], ...]  # text, type, pillar, touchpoint


def _questions(kind: str) -> tuple[tuple[str, str, str | None, str | None], ...]:
    nps = ("How likely are you to recommend partnering with us to a peer?", "nps", None, None)
    text = ("What is the one thing we should improve?", "text", None, None)
    if kind == "relationship":
        likert = tuple((f"The program helps us {p}.", "likert", p, None) for p in PILLARS)
        csat = tuple(
            (f"How satisfied are you with {tp.replace('_', ' ')}?", "csat", None, tp)
            for tp in TOUCHPOINTS
        )
        return (nps, *likert, *csat, text)
    if kind == "pulse":
        likert = tuple(
            (f"This quarter the program helped us {p}.", "likert", p, None)
            for p in ("enable", "market", "sell")
        )
        return (
            nps,
            *likert,
            ("How satisfied are you with the portal?", "csat", None, "portal"),
            text,
        )
    csat = tuple(
        (
            f"How satisfied were you with your recent {tp.replace('_', ' ')} experience?",
            "csat",
            None,
            tp,
        )
        for tp in TOUCHPOINTS
    )
    return (
        nps,
        *csat,
        ("Working with us helps us accelerate growth.", "likert", "accelerate", None),
        text,
    )


def build_waves(timeline: Timeline) -> list[Wave]:
    start, now = timeline.start, timeline.now
    waves: list[Wave] = []
    first = timeline.month_firsts[0]
    for k in range(timeline.months + 1):
        d = add_months(first, k)
        t = to_epoch(d)
        waves.append(
            Wave(
                "transactional",
                f"TXN-{d:%Y-%m}",
                t + 6 * HOUR,
                to_epoch(add_months(d, 1)) - 1,
                False,
                _questions("transactional"),
            )
        )
        if d.month in (3, 9):
            h = 1 if d.month == 3 else 2
            o = to_epoch(date(d.year, d.month, 10)) + 9 * HOUR
            waves.append(
                Wave(
                    "relationship",
                    f"REL-{d.year}H{h}",
                    o,
                    o + 21 * DAY - 1,
                    False,
                    _questions("relationship"),
                )
            )
        if d.month in (1, 4, 7, 10):
            o = to_epoch(date(d.year, d.month, 15)) + 9 * HOUR
            waves.append(
                Wave(
                    "pulse",
                    f"PUL-{d.year}Q{(d.month - 1) // 3 + 1}",
                    o,
                    o + 14 * DAY - 1,
                    True,
                    _questions("pulse"),
                )
            )
    waves = [w for w in waves if start <= w.opened < now]
    return sorted(waves, key=lambda w: (w.opened, w.wave_id))


def surveys_and_questions(waves: list[Wave], timeline: Timeline) -> dict[str, Split]:
    sv = pl.DataFrame(
        [
            pl.Series("survey_id", [f"SRV-{w.wave_id}" for w in waves], dtype=pl.Utf8),
            pl.Series("wave_id", [w.wave_id for w in waves], dtype=pl.Utf8),
            pl.Series("kind", [w.kind for w in waves], dtype=pl.Utf8),
            pl.Series("is_anonymous", [w.anonymous for w in waves], dtype=pl.Boolean),
            ts("opened_at", np.array([w.opened for w in waves], dtype=np.int64)),
            ts("closed_at", np.array([w.closed for w in waves], dtype=np.int64)),
        ]
    )
    rows = [
        (f"Q-{w.wave_id}-{k + 1:02d}", f"SRV-{w.wave_id}", q[0], q[1], q[2], q[3], w.opened)
        for w in waves
        for k, q in enumerate(w.questions)
    ]
    qs = pl.DataFrame(
        {
            "question_id": [r[0] for r in rows],
            "survey_id": [r[1] for r in rows],
            "text": [r[2] for r in rows],
            "question_type": [r[3] for r in rows],
            "pillar": [r[4] for r in rows],
            "touchpoint": [r[5] for r in rows],
        },
        schema={
            c: pl.Utf8
            for c in ("question_id", "survey_id", "text", "question_type", "pillar", "touchpoint")
        },
    )
    opened = np.array([w.opened for w in waves], dtype=np.int64)
    q_opened = np.array([r[6] for r in rows], dtype=np.int64)
    return {
        "surveys": split_immutable(sv, opened, timeline),
        "questions": split_immutable(qs, q_opened, timeline),
    }


def wave_activity(w: World, wave: Wave, wi: int, counter: IdCounter) -> dict[str, Split]:
    """Invitations, responses and answers of one wave."""
    pop, c, tl = w.pop, w.contacts, w.timeline
    rng = rng_for(w.seed, 700, wi)
    m = int(np.clip(tl.month_index(np.array([wave.opened]))[0], 0, tl.months - 1))
    h = pop.health[:, m]
    cp = c.partner
    ok = (
        c.active
        & (c.created < wave.opened)
        & (pop.onboarded[cp] < wave.opened)
        & (pop.terminated[cp] > wave.opened)
    )
    share = {"relationship": 1.0, "pulse": 0.4, "transactional": 0.08}[wave.kind]
    inv = np.flatnonzero(ok & (rng.random(cp.size) < share))
    sent = wave.opened + rng.integers(0, 6 * HOUR, inv.size)
    order = np.lexsort((inv, sent))
    inv, sent = inv[order], sent[order]
    ip = cp[inv]
    inv_ids = ids("INV-", counter.take("invitation", inv.size), 9, "invitation_id")
    wave_col = pl.Series("wave_id", [wave.wave_id] * inv.size, dtype=pl.Utf8)
    invitations = pl.DataFrame(
        [inv_ids, wave_col, w.pids.gather(ip), c.ids.gather(inv), ts("sent_at", sent)]
    )

    base = {"relationship": 0.15, "pulse": 0.1, "transactional": 0.1}[wave.kind]
    slope = {"relationship": 0.55, "pulse": 0.45, "transactional": 0.4}[wave.kind]
    hp = h[ip]
    end = np.minimum(np.minimum(wave.closed, tl.now), pop.terminated[ip])
    sub = sent + (rng.random(inv.size) ** 2 * np.maximum(end - sent, 1)).astype(np.int64)
    responds = (rng.random(inv.size) < base + slope * hp) & (sub < end)
    r = np.flatnonzero(responds)
    r_sub = sub[r]
    order = np.lexsort((r, r_sub))
    r, r_sub = r[order], r_sub[order]
    resp_ids = ids("RSP-", counter.take("response", r.size), 8, "response_id")
    responses = pl.DataFrame(
        [
            resp_ids,
            inv_ids.gather(r),
            pl.Series("wave_id", [wave.wave_id] * r.size, dtype=pl.Utf8),
            w.pids.gather(ip[r]),
            c.ids.gather(inv[r])
            if not wave.anonymous
            else pl.Series("contact_id", [None] * r.size, dtype=pl.Utf8),
            ts("submitted_at", r_sub),
        ]
    )

    # answers: one per question per response
    nq = len(wave.questions)
    hr = hp[r]
    person = rng.normal(0, 0.6, r.size)
    a_resp = np.repeat(np.arange(r.size), nq)
    a_q = np.tile(np.arange(nq), r.size)
    qtype = np.array([q[1] for q in wave.questions], dtype=object)[a_q]
    qpillar = [q[2] for q in wave.questions]
    poff = np.array([PILLAR_OFFSET.get(p, 0.0) if p else 0.0 for p in qpillar])[a_q]
    ha, pa = hr[a_resp], person[a_resp]
    noise = rng.normal(0, 1, a_resp.size)
    nps = np.clip(np.round(2.0 + 8.0 * ha + 1.2 * pa + 1.3 * noise), 0, 10)
    five = np.clip(np.round(1.3 + 3.6 * ha + 0.5 * pa + poff + 0.7 * noise), 1, 5)
    numeric = np.where(qtype == "nps", nps, np.where(qtype == "text", np.nan, five))
    is_text = qtype == "text"
    sentiment = np.where(nps >= 9, 0, np.where(nps >= 7, 1, 2))
    phrase_pick = rng.integers(0, 12, a_resp.size)
    comment = rng.random(a_resp.size) < 0.6
    pools = (POSITIVE, NEUTRAL, NEGATIVE)
    text = [
        pools[s][k % len(pools[s])] if (t and cm) else None
        for s, k, t, cm in zip(sentiment, phrase_pick, is_text, comment, strict=True)
    ]
    q_ids = pl.Series([f"Q-{wave.wave_id}-{k + 1:02d}" for k in range(nq)], dtype=pl.Utf8)
    answers = pl.DataFrame(
        [
            resp_ids.gather(a_resp),
            q_ids.gather(a_q).alias("question_id"),
            pl.Series("numeric_value", numeric).fill_nan(None),
            pl.Series("text_value", text, dtype=pl.Utf8),
            pl.Series("_qtype", qtype.tolist(), dtype=pl.Utf8),
        ]
    )
    return {
        "invitations": split_immutable(invitations, sent, tl),
        "responses": split_immutable(responses, r_sub, tl),
        "answers": split_immutable(answers, r_sub[a_resp], tl),
    }


def iter_waves(w: World, waves: list[Wave], counter: IdCounter) -> Iterator[dict[str, Split]]:
    for wi, wave in enumerate(waves):
        yield wave_activity(w, wave, wi, counter)
