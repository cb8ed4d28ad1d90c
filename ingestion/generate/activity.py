"""Monthly partner activity driven by latent health.

``generate_month`` produces, for one month of the timeline, the records created in that month of
every activity table (opportunities and their partners, deal registrations, portal events, MDF,
support cases, enrollments, certifications, targets) already split into history/delta versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ingestion.generate.config import DAY, HOUR, NEVER, Scale, Timeline, rng_for, to_epoch
from ingestion.generate.drops import Split, split_immutable, split_versions
from ingestion.generate.entities import Accounts, Contacts, Courses, FxRates, partner_ids
from ingestion.generate.frames import dates, gather, ids, latest, pick, ts
from ingestion.generate.latent import TIER_VOLUME, TYPE_VOLUME, Population, activity

OPP_STAGES = (
    "prospecting",
    "qualification",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
)
LINK_ROLES = ("sourced", "influenced", "co_sell", "fulfillment")
REG_STATUS = ("pending", "approved", "rejected", "expired")
REJECTION_REASONS = (
    "duplicate registration",
    "existing direct opportunity",
    "insufficient information",
    "account owned by direct sales",
    "outside partner territory",
)
EVENT_TYPES = (
    "login",
    "content_view",
    "deal_reg_view",
    "training_view",
    "asset_download",
    "lead_view",
    "mdf_view",
    "support_view",
)
EVENT_WEIGHTS = np.array([0.25, 0.25, 0.12, 0.10, 0.10, 0.08, 0.05, 0.05])
MDF_STATUS = ("submitted", "approved", "rejected", "paid")
CAMPAIGNS = ("webinar", "event", "digital", "content", "tradeshow")
PRIORITIES = ("low", "medium", "high", "critical")
CATEGORIES = ("technical", "licensing", "portal", "billing", "deal_registration", "mdf")
CASE_STATUS = ("open", "pending", "closed")
ENROLL_STATUS = ("enrolled", "in_progress", "completed", "dropped")
TARGET_METRICS = ("revenue", "pipeline", "registrations", "certifications")

#: Deal seasonality by month of year (Q4 peak).
SEASON = np.array([0.85, 0.9, 1.05, 0.9, 0.95, 1.05, 0.85, 0.8, 1.05, 1.05, 1.2, 1.45])
#: Win-rate adjustment by region (NA, LATAM, EMEA, APAC).
REGION_WIN = np.array([0.03, -0.05, 0.0, -0.02])
#: Share of a partner's deals that come through registrations, by partner type.
REG_SHARE = np.array([1.0, 0.6, 0.4, 0.8, 1.2])
#: Certification requirement per tier (targets), registered has none.
TIER_CERTS = np.array([0, 2, 4, 6])
MONTH = 30.44 * DAY
AMOUNT_SIGMA = 0.9


@dataclass
class IdCounter:
    """Sequential ids per entity, handed out in generation order."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, name: str, k: int) -> np.ndarray:
        start = self.next.get(name, 1)
        self.next[name] = start + k
        return np.arange(start, start + k, dtype=np.int64)


@dataclass(frozen=True)
class World:
    seed: int
    scale: Scale
    timeline: Timeline
    pop: Population
    contacts: Contacts
    accounts: Accounts
    courses: Courses
    fx: FxRates
    pids: pl.Series


# ------------------------------------------------------------------ helpers


def _uniform_times(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a + (rng.random(a.size) * np.maximum(b - a, 1)).astype(np.int64)


def _expand(rng: np.random.Generator, lam: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Poisson counts per partner, then one row per record: (partner index, instant)."""
    lam = np.where(b > a, lam, 0.0)
    k = rng.poisson(np.maximum(lam, 0.0))
    p = np.repeat(np.arange(lam.size), k)
    return p, _uniform_times(rng, a[p], b[p])


def _local_amount(fx: FxRates, usd: np.ndarray, currency: np.ndarray, t: np.ndarray) -> np.ndarray:
    local = usd / fx.usd_per_unit(currency, t)
    return np.where(currency == "JPY", np.round(local, 0), np.round(local, 2))


def _amount_usd(rng: np.random.Generator, pop: Population, p: np.ndarray, h: np.ndarray):
    mu = np.log(18_000) + 0.3 * np.log(pop.size[p]) + 0.25 * pop.tier[p] + 0.4 * (h - 0.5)
    return np.clip(rng.lognormal(mu, AMOUNT_SIGMA), 500, 5_000_000)


def _ramp(pop: Population, t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Activity of partners still onboarding is reduced."""
    return np.where(pop.onboarded[p] <= t, 1.0, 0.35)


def partner_volume(w: World, m: int, h: np.ndarray) -> np.ndarray:
    """Expected partner-sourced deal flow per full month, before health and seasonality."""
    pop = w.pop
    return pop.size * TIER_VOLUME[pop.tier] * TYPE_VOLUME[pop.ptype] * activity(h)


# ------------------------------------------------------------------ opportunities


@dataclass
class _Opps:
    created: np.ndarray
    account: np.ndarray
    currency: np.ndarray
    amount: np.ndarray
    won: np.ndarray
    closed: np.ndarray
    planned: np.ndarray
    partner: np.ndarray  # primary partner, -1 for direct deals
    role: np.ndarray  # primary role index into LINK_ROLES
    reg: np.ndarray  # registration row that created it, -1 for none


def _lifecycle(rng: np.random.Generator, created: np.ndarray, usd: np.ndarray, p_win: np.ndarray):
    n = created.size
    cycle = np.clip(rng.lognormal(np.log(45) + 0.2 * np.log(usd / 20_000), 0.6), 7, 365) * DAY
    won = rng.random(n) < p_win
    closed = created + np.where(won, cycle, cycle * rng.uniform(0.3, 1.0, n)).astype(np.int64)
    # quarter-end push: some wins slip to the last days of their quarter
    push = won & (rng.random(n) < 0.3)
    day = closed // DAY
    dt = day.astype("datetime64[D]")
    months = dt.astype("datetime64[M]").astype(np.int64)
    q_next = ((months // 3) + 1) * 3
    q_end = q_next.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) * DAY
    pushed = q_end - rng.integers(HOUR, 10 * DAY, n)
    closed = np.where(push & (pushed > closed), pushed, closed)
    planned = closed + rng.normal(0, 8 * DAY, n).astype(np.int64)
    planned = np.maximum(planned, created + DAY)
    return won, closed, planned


def _opps_split(w: World, o: _Opps, opp_idx: np.ndarray) -> Split:
    oid = ids("OPP-", opp_idx, 8, "opportunity_id")
    span = o.closed - o.created
    s1, s2, s3 = (o.created + (f * span).astype(np.int64) for f in (0.2, 0.45, 0.7))
    final = np.where(o.won, 4, 5)

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        i = np.flatnonzero(mask)
        closed = o.closed[i] < t
        stage = np.where(closed, final[i], (s1[i] < t).astype(int) + (s2[i] < t) + (s3[i] < t))
        close_day = np.where(closed, o.closed[i], o.planned[i])
        return pl.DataFrame(
            [
                oid.gather(i),
                w.accounts.ids.gather(o.account[i]).alias("account_id"),
                pick(OPP_STAGES, stage, "stage"),
                pl.Series("amount", o.amount[i]),
                pl.Series("currency", o.currency[i].tolist(), dtype=pl.Utf8),
                ts("created_at", o.created[i]),
                dates("close_date", close_day),
                pl.Series("is_closed", closed),
                pl.Series("is_won", closed & o.won[i]),
                ts("updated_at", latest(t, o.created[i], s1[i], s2[i], s3[i], o.closed[i])),
                pl.Series("is_deleted", np.zeros(i.size, dtype=bool)),
            ]
        )

    return split_versions(o.created, (s1, s2, s3, o.closed), w.timeline, state)


def _links(rng: np.random.Generator, w: World, o: _Opps, oid: pl.Series, alive: np.ndarray):
    """Opportunity-partner links: the primary partner plus 0-2 others of the same region."""
    pop, tl = w.pop, w.timeline
    has = np.flatnonzero(o.partner >= 0)
    rows_o, rows_p, rows_r, rows_t = [has], [o.partner[has]], [o.role[has]], [o.created[has]]
    k = rng.choice(3, size=has.size, p=[0.6, 0.3, 0.1])
    for j in (1, 2):
        sel = has[k >= j]
        if not sel.size:
            continue
        region = pop.region[o.partner[sel]]
        other = np.full(sel.size, -1, dtype=np.int64)
        for r in range(4):
            pool = np.flatnonzero(alive & (pop.region == r))
            s = np.flatnonzero(region == r)
            if pool.size and s.size:
                other[s] = pool[rng.integers(0, pool.size, s.size)]
        role = rng.choice([1, 2, 3], size=sel.size, p=[0.45, 0.35, 0.2])
        delay = rng.random(sel.size) * np.minimum(20 * DAY, 0.3 * (o.closed[sel] - o.created[sel]))
        t = o.created[sel] + delay.astype(np.int64)
        ok = (other >= 0) & (other != o.partner[sel]) & (t < pop.terminated[np.maximum(other, 0)])
        rows_o.append(sel[ok])
        rows_p.append(other[ok])
        rows_r.append(role[ok])
        rows_t.append(t[ok])
    lo, lp, lr, lt = (np.concatenate(x) for x in (rows_o, rows_p, rows_r, rows_t))
    # one row per (opportunity, partner): keep the first (primary) role
    key = lo * (pop.n + 1) + lp
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    lo, lp, lr, lt = lo[first], lp[first], lr[first], lt[first]
    order = np.lexsort((lp, lt))
    lo, lp, lr, lt = lo[order], lp[order], lr[order], lt[order]
    df = pl.DataFrame(
        [
            oid.gather(lo),
            w.pids.gather(lp),
            pick(LINK_ROLES, lr, "role"),
            ts("created_at", lt),
        ]
    )
    return split_immutable(df, lt, tl)


def registrations_and_opportunities(
    w: World, m: int, counter: IdCounter, alive: np.ndarray, a: np.ndarray, b: np.ndarray
) -> dict[str, Split]:
    pop, tl, fx = w.pop, w.timeline, w.fx
    rng = rng_for(w.seed, 100, m)
    h = pop.health[:, m]
    season = SEASON[tl.month_of_year(m) - 1]
    frac = (b - a) / MONTH
    vol = partner_volume(w, m, h) * season * frac

    # --- deal registrations
    rp, sub = _expand(rng, 0.9 * vol * REG_SHARE[pop.ptype] * _ramp(pop, a, np.arange(pop.n)), a, b)
    acc = w.accounts.choose(rng, pop.region[rp], sub)
    ok = acc >= 0
    rp, sub, acc = rp[ok], sub[ok], acc[ok]
    order = np.lexsort((rp, sub))
    rp, sub, acc = rp[order], sub[order], acc[order]
    nr = rp.size
    hr = h[rp]
    cur_r = w.accounts.currency[acc]
    usd_r = _amount_usd(rng, pop, rp, hr)
    est = _local_amount(fx, usd_r, cur_r, sub)
    p_app = np.clip(0.45 + 0.45 * hr, 0.05, 0.97)
    u = rng.random(nr)
    expired = u < 0.04
    approved = ~expired & (rng.random(nr) < p_app)
    hours = np.clip(rng.lognormal(np.log(20) + 0.4 * (pop.region[rp] == 3), 0.9), 0.5, 480)
    decided = np.where(expired, NEVER, sub + (hours * HOUR).astype(np.int64))
    expires = np.where(expired, sub + 30 * DAY, NEVER)
    reason = rng.integers(0, len(REJECTION_REASONS), nr)
    linked = approved & (decided < tl.now) & (rng.random(nr) < 0.92)

    # --- opportunities: from approved registrations, partner-led, and direct
    lr = np.flatnonzero(linked)
    reg_created = decided[lr]
    reg_usd = usd_r[lr] * rng.lognormal(0, 0.15, lr.size)
    op, oc = _expand(rng, 0.9 * vol * _ramp(pop, a, np.arange(pop.n)), a, b)
    o_acc = w.accounts.choose(rng, pop.region[op], oc)
    keep = o_acc >= 0
    op, oc, o_acc = op[keep], oc[keep], o_acc[keep]
    o_role = rng.choice([0, 1, 2], size=op.size, p=[0.3, 0.45, 0.25])
    o_usd = _amount_usd(rng, pop, op, h[op])
    n_direct = rng.poisson(0.18 * (lr.size + op.size) + 0.5 * frac.max(initial=0))
    d_region = rng.choice(4, size=n_direct, p=[0.4, 0.12, 0.3, 0.18])
    lo_m, hi_m = tl.window(m)
    d_created = lo_m + (rng.random(n_direct) * max(hi_m - lo_m, 1)).astype(np.int64)
    d_acc = w.accounts.choose(rng, d_region, d_created)
    keep = d_acc >= 0
    d_created, d_acc, d_region = d_created[keep], d_acc[keep], d_region[keep]
    d_usd = np.clip(rng.lognormal(np.log(25_000), 1.0, d_created.size), 500, 5_000_000)

    partner = np.concatenate([rp[lr], op, np.full(d_created.size, -1)])
    created = np.concatenate([reg_created, oc, d_created])
    account = np.concatenate([acc[lr], o_acc, d_acc])
    usd = np.concatenate([reg_usd, o_usd, d_usd])
    role = np.concatenate(
        [np.zeros(lr.size, dtype=np.int64), o_role, np.zeros(d_created.size, dtype=np.int64)]
    )
    reg = np.concatenate([lr, np.full(op.size + d_created.size, -1)])
    region = w.accounts.region[account]
    hp = np.where(partner >= 0, h[np.maximum(partner, 0)], 0.4)
    p_win = np.clip(0.1 + 0.5 * hp + REGION_WIN[region] + 0.1 * (reg >= 0), 0.03, 0.9)
    won, closed, planned = _lifecycle(rng, created, usd, p_win)
    currency = w.accounts.currency[account]
    amount = np.maximum(_local_amount(fx, usd, currency, created), 1.0)
    order = np.lexsort((account, created))
    o = _Opps(
        created=created[order],
        account=account[order],
        currency=currency[order],
        amount=amount[order],
        won=won[order],
        closed=closed[order],
        planned=planned[order],
        partner=partner[order],
        role=role[order],
        reg=reg[order],
    )
    live = o.created < tl.now
    o = _Opps(**{k: v[live] for k, v in o.__dict__.items()})
    opp_idx = counter.take("opportunity", o.created.size)
    oid = ids("OPP-", opp_idx, 8, "opportunity_id")
    reg_opp = np.full(nr, -1, dtype=np.int64)
    has_reg = o.reg >= 0
    reg_opp[o.reg[has_reg]] = np.flatnonzero(has_reg)

    rid = ids("REG-", counter.take("registration", nr), 8, "registration_id")

    def reg_state(mask: np.ndarray, t: int) -> pl.DataFrame:
        i = np.flatnonzero(mask)
        dec = decided[i] < t
        status = np.where(dec, np.where(approved[i], 1, 2), np.where(expires[i] < t, 3, 0))
        show_opp = (status == 1) & (reg_opp[i] >= 0)
        return pl.DataFrame(
            [
                rid.gather(i),
                w.pids.gather(rp[i]),
                w.accounts.ids.gather(acc[i]),
                gather(oid, reg_opp[i], "opportunity_id", valid=show_opp),
                ts("submitted_at", sub[i]),
                ts("decided_at", decided[i], before=t),
                pick(REG_STATUS, status, "status"),
                pl.Series("estimated_amount", est[i]),
                pl.Series("currency", cur_r[i].tolist(), dtype=pl.Utf8),
                gather(
                    pl.Series(REJECTION_REASONS), reason[i], "rejection_reason", valid=status == 2
                ),
                ts("updated_at", latest(t, sub[i], decided[i], expires[i])),
            ]
        )

    return {
        "deal_registrations": split_versions(sub, (decided, expires), tl, reg_state),
        "opportunities": _opps_split(w, o, opp_idx),
        "opportunity_partners": _links(rng, w, o, oid, alive),
    }


# ------------------------------------------------------------------ portal events


def portal_events(
    w: World, m: int, counter: IdCounter, a: np.ndarray, b: np.ndarray
) -> Iterator[pl.DataFrame]:
    """Portal events of month m in partner blocks (bounded memory), each block time-sorted."""
    pop, c = w.pop, w.contacts
    h = pop.health[:, m]
    block = w.scale.event_chunk_partners
    for bi, p0 in enumerate(range(0, pop.n, block)):
        rng = rng_for(w.seed, 200, m, bi)
        p1 = min(pop.n, p0 + block)
        c0, c1 = c.offset[p0], c.offset[p1 - 1] + c.count[p1 - 1]
        cp = c.partner[c0:c1]
        ca = np.maximum(a[cp], c.created[c0:c1])
        cb = b[cp]
        hp = h[cp]
        p_act = (0.1 + 0.85 * hp) * np.where(pop.onboarded[cp] <= ca, 1.0, 0.6)
        p_act = np.where(c.active[c0:c1], p_act, 0.1 * p_act)
        act = (cb > ca) & (rng.random(cp.size) < p_act)
        idx = np.flatnonzero(act)
        if not idx.size:
            continue
        span = cb[idx] - ca[idx]
        n_slots = np.maximum(np.ceil(span / DAY).astype(np.int64), 1)
        q = np.minimum(0.9, 0.02 + 0.6 * hp[idx] ** 2)
        n_days = 1 + rng.binomial(n_slots - 1, q)
        cd = np.repeat(idx, n_days)
        day_t = ca[cd] + (rng.random(cd.size) * (cb[cd] - ca[cd])).astype(np.int64)
        mu = w.scale.event_intensity * (1.0 + 3.5 * hp[cd])
        n_ev = 1 + rng.poisson(mu)
        ev = np.repeat(np.arange(cd.size), n_ev)
        t = day_t[ev] + rng.integers(0, 4 * HOUR, ev.size)
        contact = cd[ev]
        t = np.minimum(t, cb[contact] - 1)
        etype = rng.choice(len(EVENT_TYPES), size=ev.size, p=EVENT_WEIGHTS)
        order = np.lexsort((contact, t))
        t, contact, etype = t[order], contact[order], etype[order]
        gid = c0 + contact
        yield pl.DataFrame(
            [
                ids("EVT-", counter.take("event", t.size), 11, "event_id"),
                w.pids.gather(c.partner[gid]),
                c.ids.gather(gid),
                pick(EVENT_TYPES, etype, "event_type"),
                ts("occurred_at", t),
            ]
        )


# ------------------------------------------------------------------ MDF and support


def mdf_requests(w: World, m: int, counter: IdCounter, a: np.ndarray, b: np.ndarray) -> Split:
    pop, tl = w.pop, w.timeline
    rng = rng_for(w.seed, 300, m)
    h = pop.health[:, m]
    tier_mdf = np.array([0.15, 1.0, 1.6, 2.5])[pop.tier]
    onb = pop.onboarded < a
    lam = 0.15 * tier_mdf * (0.2 + h) * pop.size**0.3 * (b - a) / MONTH * onb
    p, req = _expand(rng, lam, a, b)
    order = np.lexsort((p, req))
    p, req = p[order], req[order]
    n = p.size
    usd = np.clip(rng.lognormal(np.log(8_000) + 0.3 * np.log(pop.size[p]), 0.6), 500, 250_000)
    cur = pop.currency[p]
    amount = _local_amount(w.fx, usd, cur, req)
    approve = rng.random(n) < 0.6 + 0.3 * h[p]
    decide = req + rng.integers(2 * DAY, 15 * DAY, n)
    approved = np.where(approve, decide, NEVER)
    rejected = np.where(approve, NEVER, decide)
    paid = np.where(
        approve & (rng.random(n) < 0.9), decide + rng.integers(20 * DAY, 75 * DAY, n), NEVER
    )
    campaign = rng.choice(len(CAMPAIGNS), size=n, p=[0.3, 0.2, 0.25, 0.15, 0.1])
    rid = ids("MDF-", counter.take("mdf", n), 7, "request_id")

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        i = np.flatnonzero(mask)
        status = np.where(
            paid[i] < t, 3, np.where(approved[i] < t, 1, np.where(rejected[i] < t, 2, 0))
        )
        return pl.DataFrame(
            [
                rid.gather(i),
                w.pids.gather(p[i]),
                ts("requested_at", req[i]),
                ts("approved_at", approved[i], before=t),
                ts("paid_at", paid[i], before=t),
                pl.Series("amount", amount[i]),
                pl.Series("currency", cur[i].tolist(), dtype=pl.Utf8),
                pick(MDF_STATUS, status, "status"),
                pick(CAMPAIGNS, campaign[i], "campaign_type"),
                ts("updated_at", latest(t, req[i], approved[i], rejected[i], paid[i])),
            ]
        )

    return split_versions(req, (approved, rejected, paid), tl, state)


def support_cases(w: World, m: int, counter: IdCounter, a: np.ndarray, b: np.ndarray) -> Split:
    pop, tl = w.pop, w.timeline
    rng = rng_for(w.seed, 400, m)
    h = pop.health[:, m]
    lam = 0.2 * (0.5 + pop.size**0.5) * (1.4 - 0.9 * h) * (b - a) / MONTH
    p, opened = _expand(rng, lam, a, b)
    order = np.lexsort((p, opened))
    p, opened = p[order], opened[order]
    n = p.size
    hp = h[p]
    crit = 0.02 + 0.12 * (1 - hp)
    high = 0.08 + 0.22 * (1 - hp)
    u = rng.random(n)
    prio = np.where(
        u < crit, 3, np.where(u < crit + high, 2, np.where(u < crit + high + 0.4, 1, 0))
    )
    base = np.array([48.0, 36.0, 16.0, 6.0])[prio]
    hours = np.clip(rng.lognormal(np.log(base * (1 + 2.5 * (1 - hp))), 0.7), 0.25, 2_000)
    closed = opened + (hours * HOUR).astype(np.int64)
    pending = np.where(
        rng.random(n) < 0.5,
        opened + (hours * HOUR * rng.uniform(0.2, 0.7, n)).astype(np.int64),
        NEVER,
    )
    category = rng.choice(len(CATEGORIES), size=n, p=[0.35, 0.15, 0.15, 0.1, 0.15, 0.1])
    cid = ids("CASE-", counter.take("case", n), 7, "case_id")

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        i = np.flatnonzero(mask)
        status = np.where(closed[i] < t, 2, np.where(pending[i] < t, 1, 0))
        return pl.DataFrame(
            [
                cid.gather(i),
                w.pids.gather(p[i]),
                ts("opened_at", opened[i]),
                ts("closed_at", closed[i], before=t),
                pick(PRIORITIES, prio[i], "priority"),
                pick(CATEGORIES, category[i], "category"),
                pick(CASE_STATUS, status, "status"),
                ts("updated_at", latest(t, opened[i], pending[i], closed[i])),
            ]
        )

    return split_versions(opened, (pending, closed), tl, state)


# ------------------------------------------------------------------ learning


def learning(
    w: World, m: int, counter: IdCounter, a: np.ndarray, b: np.ndarray
) -> dict[str, Split]:
    pop, tl, c, crs = w.pop, w.timeline, w.contacts, w.courses
    rng = rng_for(w.seed, 500, m)
    h = pop.health[:, m]
    n_el = c.eligible_count(np.arange(pop.n), a)
    onboarding = pop.onboarded >= a
    lam = n_el * 0.05 * (0.15 + 1.4 * h) * np.where(onboarding, 2.5, 1.0) * (b - a) / MONTH
    p, enrolled = _expand(rng, lam, a, b)
    contact = c.choose(rng, p, enrolled)
    ok = contact >= 0
    p, enrolled, contact = p[ok], enrolled[ok], contact[ok]
    order = np.lexsort((contact, enrolled))
    p, enrolled, contact = p[order], enrolled[order], contact[order]
    n = p.size
    hp = h[p]
    # course: onboarding partners take onboard courses, others follow pillar weights
    pillar_w = np.array([0.1, 0.3, 0.15, 0.25, 0.1, 0.1])
    pillar = np.where(
        (pop.onboarded[p] >= enrolled) & (rng.random(n) < 0.7), 0, rng.choice(6, size=n, p=pillar_w)
    )
    course = np.empty(n, dtype=np.int64)
    for k in range(6):
        sel = np.flatnonzero(pillar == k)
        pool = np.flatnonzero(crs.pillar == k)
        course[sel] = pool[rng.integers(0, pool.size, sel.size)]
    started = enrolled + rng.integers(HOUR, 3 * DAY, n)
    is_cert = crs.is_cert[course]
    complete = rng.random(n) < (0.3 + 0.6 * hp) * np.where(is_cert, 0.9, 1.0)
    completed = np.where(
        complete,
        started + np.clip(rng.lognormal(np.log(10 * DAY), 0.7), DAY, 120 * DAY).astype(np.int64),
        NEVER,
    )
    dropped = np.where(complete, NEVER, started + rng.integers(10 * DAY, 60 * DAY, n))
    term = pop.terminated[p]
    late = np.minimum(completed, dropped) >= term
    completed = np.where(late, NEVER, completed)
    dropped = np.where(late, np.maximum(term, started + 1), dropped)
    score = np.round(np.clip(50 + 45 * hp + rng.normal(0, 10, n), 0, 100), 1)
    eid = ids("ENR-", counter.take("enrollment", n), 8, "enrollment_id")

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        i = np.flatnonzero(mask)
        done = completed[i] < t
        status = np.where(done, 2, np.where(dropped[i] < t, 3, np.where(started[i] < t, 1, 0)))
        return pl.DataFrame(
            [
                eid.gather(i),
                crs.ids.gather(course[i]),
                c.ids.gather(contact[i]),
                w.pids.gather(p[i]),
                ts("enrolled_at", enrolled[i]),
                ts("completed_at", completed[i], before=t),
                pl.Series("score", np.where(done, score[i], np.nan)).fill_nan(None),
                pick(ENROLL_STATUS, status, "status"),
                ts("updated_at", latest(t, enrolled[i], started[i], completed[i], dropped[i])),
            ]
        )

    enroll = split_versions(enrolled, (started, completed, dropped), tl, state)

    # certifications from passed certification courses
    ci = np.flatnonzero(is_cert & (completed < NEVER) & (score >= 70))
    issued = completed[ci] + rng.integers(600, DAY, ci.size)
    ok = (issued < term[ci]) & (issued < tl.now)
    ci, issued = ci[ok], issued[ok]
    order = np.lexsort((ci, issued))
    ci, issued = ci[order], issued[order]
    valid = crs.valid_days[course[ci]]
    expires = np.where(valid > 0, issued + valid * DAY, NEVER)
    cert = pl.DataFrame(
        [
            ids("CERT-", counter.take("certification", ci.size), 7, "certification_id"),
            crs.ids.gather(course[ci]),
            c.ids.gather(contact[ci]),
            w.pids.gather(p[ci]),
            ts("issued_at", issued),
            ts("expires_at", expires),
        ]
    )
    return {"enrollments": enroll, "certifications": split_immutable(cert, issued, tl)}


# ------------------------------------------------------------------ targets


def quarter_targets(w: World, m: int) -> Split | None:
    """Targets for the quarter starting in month m (silver and above, active partners)."""
    tl, pop = w.timeline, w.pop
    first = tl.month_firsts[m]
    if first.month not in (1, 4, 7, 10):
        return None
    q = to_epoch(first)
    rng = rng_for(w.seed, 600, m)
    sel = np.flatnonzero((pop.tier >= 1) & (pop.joined < q) & (pop.terminated > q))
    h0 = np.full(pop.n, 0.7)
    vol = partner_volume(w, m, h0)[sel]
    reg_share = REG_SHARE[pop.ptype[sel]]
    opps_m = vol * (0.9 + 0.9 * reg_share * 0.75 * 0.92)
    mean_amt = np.exp(
        np.log(18_000)
        + 0.3 * np.log(pop.size[sel])
        + 0.25 * pop.tier[sel]
        + 0.08
        + AMOUNT_SIGMA**2 / 2
    )
    stretch = rng.uniform(0.9, 1.3, sel.size)
    revenue = np.round(3 * opps_m * 0.45 * mean_amt * 0.8 * stretch, -3)
    pipeline = np.round(3 * opps_m * mean_amt * stretch, -3)
    regs = np.maximum(1, np.round(3 * 0.9 * vol * reg_share * stretch))
    certs = TIER_CERTS[pop.tier[sel]].astype(float)
    k = sel.size
    df = pl.DataFrame(
        [
            w.pids.gather(np.repeat(sel, 4)),
            dates("period_start", np.full(4 * k, q)),
            pick(TARGET_METRICS, np.tile(np.arange(4), k), "metric"),
            pl.Series(
                "target_value",
                np.column_stack([revenue, pipeline, regs, certs]).reshape(-1).astype(float),
            ),
        ]
    )
    return split_immutable(df, np.full(4 * k, q), tl)


def generate_month(w: World, m: int, counter: IdCounter) -> dict[str, Split]:
    """All non-event activity tables of month m (portal events stream separately)."""
    lo, hi = w.timeline.window(m)
    a, b = w.pop.alive_window(lo, hi)
    alive = b > a
    out = registrations_and_opportunities(w, m, counter, alive, a, b)
    out["mdf_requests"] = mdf_requests(w, m, counter, a, b)
    out["support_cases"] = support_cases(w, m, counter, a, b)
    out.update(learning(w, m, counter, a, b))
    targets = quarter_targets(w, m)
    if targets is not None:
        out["partner_targets"] = targets
    return out


def make_world(
    seed: int,
    scale: Scale,
    timeline: Timeline,
    pop: Population,
    contacts: Contacts,
    accounts: Accounts,
    courses: Courses,
    fx: FxRates,
) -> World:
    return World(
        seed=seed,
        scale=scale,
        timeline=timeline,
        pop=pop,
        contacts=contacts,
        accounts=accounts,
        courses=courses,
        fx=fx,
        pids=partner_ids(pop.n),
    )
