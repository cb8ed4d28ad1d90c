"""Slowly changing entities: partners, contacts, accounts, courses and FX rates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ingestion.contract import CURRENCIES, PARTNER_TYPES, PILLARS, REGIONS, TIERS
from ingestion.generate.config import DAY, HOUR, NEVER, Timeline, rng_for, to_epoch
from ingestion.generate.drops import Split, split_immutable, split_versions
from ingestion.generate.frames import dates, gather, ids, latest, pick, ts
from ingestion.generate.latent import COUNTRIES, REGION_WEIGHTS, Population

PARTNER_STATUS = ("applied", "onboarding", "active", "terminated")
CONTACT_ROLES = ("sales", "presales", "marketing", "executive", "technical", "operations")
INDUSTRIES = (
    "software",
    "manufacturing",
    "healthcare",
    "financial_services",
    "retail",
    "public_sector",
    "education",
    "telecom",
)
EMPLOYEE_BANDS = ("1-50", "51-200", "201-1000", "1001-5000", "5000+")
_FIRST = (
    "alex",
    "maria",
    "sam",
    "li",
    "priya",
    "jonas",
    "yuki",
    "carlos",
    "emma",
    "omar",
    "sofia",
    "noah",
    "aisha",
    "lucas",
    "mei",
    "daniel",
    "fatima",
    "leo",
    "nina",
    "raj",
)
_LAST = (
    "smith",
    "garcia",
    "chen",
    "patel",
    "muller",
    "tanaka",
    "silva",
    "brown",
    "kim",
    "rossi",
    "novak",
    "dubois",
    "khan",
    "lopez",
    "jensen",
    "wong",
    "costa",
    "ito",
)
_ACC_A = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Oscorp",
    "Aperture",
    "Massive",
    "Gringotts",
    "Monarch",
    "Nakatomi",
    "Pied Piper",
    "Dunder",
    "Sterling",
    "Prestige",
    "Ollivander",
    "Bluth",
)
_ACC_B = (
    "Industries",
    "Holdings",
    "Bank",
    "Health",
    "Retail",
    "Foods",
    "Energy",
    "Logistics",
    "Motors",
    "Media",
    "Insurance",
    "Pharma",
    "Telecom",
    "Airlines",
    "University",
    "Council",
)

#: USD per unit at the start of the timeline and daily volatility.
FX_BASE = {
    "USD": (1.0, 0.0),
    "EUR": (1.08, 0.004),
    "GBP": (1.27, 0.004),
    "JPY": (0.0067, 0.005),
    "AUD": (0.66, 0.005),
    "BRL": (0.19, 0.008),
    "INR": (0.012, 0.003),
    "CAD": (0.74, 0.003),
}


# ------------------------------------------------------------------ partners


def partner_ids(n: int) -> pl.Series:
    return ids("PRT-", np.arange(1, n + 1), 6, "partner_id")


def partners_split(pop: Population, timeline: Timeline) -> Split:
    pid = partner_ids(pop.n)

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        idx = np.flatnonzero(mask)
        joined, onb, term = pop.joined[idx], pop.onboarded[idx], pop.terminated[idx]
        status = np.where(term < t, 3, np.where(onb < t, 2, np.where(joined < t, 1, 0)))
        parent = pop.parent[idx]
        return pl.DataFrame(
            [
                pid.gather(idx),
                pl.Series("name", pop.name[idx].tolist(), dtype=pl.Utf8),
                pick(PARTNER_TYPES, pop.ptype[idx], "partner_type"),
                pick(TIERS, pop.tier[idx], "tier"),
                pick(REGIONS, pop.region[idx], "region"),
                pl.Series("country", pop.country[idx].tolist(), dtype=pl.Utf8),
                pl.Series("specializations", [pop.specializations[i] for i in idx], dtype=pl.Utf8),
                pick(PARTNER_STATUS, status, "status"),
                ts("applied_at", pop.applied[idx]),
                ts("joined_at", joined, before=t),
                ts("onboarded_at", onb, before=t),
                ts("terminated_at", term, before=t),
                gather(pid, parent, "parent_partner_id", valid=parent >= 0),
                ts("updated_at", latest(t, pop.applied[idx], joined, onb, term)),
            ]
        )

    return split_versions(pop.applied, (pop.joined, pop.onboarded, pop.terminated), timeline, state)


# ------------------------------------------------------------------ contacts


@dataclass(frozen=True)
class Contacts:
    """Contacts sorted by (partner, created); each partner's contacts are contiguous."""

    partner: np.ndarray
    created: np.ndarray
    active: np.ndarray
    offset: np.ndarray  # first contact index per partner
    count: np.ndarray  # contacts per partner (created before now)
    ids: pl.Series

    def eligible_count(self, partner: np.ndarray, t: np.ndarray) -> np.ndarray:
        """How many of each partner's contacts exist at instant t (a prefix of its block)."""
        key = self.partner * (2**33) + self.created
        pos = np.searchsorted(key, partner * (2**33) + t, side="left")
        return pos - self.offset[partner]

    def choose(self, rng: np.random.Generator, partner: np.ndarray, t: np.ndarray) -> np.ndarray:
        """A random contact of each partner existing at t (-1 when none)."""
        n_el = self.eligible_count(partner, t)
        k = (rng.random(partner.size) * np.maximum(n_el, 1)).astype(np.int64)
        return np.where(n_el > 0, self.offset[partner] + k, -1)


def build_contacts(seed: int, pop: Population, timeline: Timeline) -> Contacts:
    rng = rng_for(seed, 3)
    n = pop.n
    want = 2.5 + 2.5 * pop.size**0.6 + pop.tier + rng.poisson(2.0, n)
    per = np.clip(np.round(want), 2, 30).astype(np.int64)
    partner = np.repeat(np.arange(n), per)
    first = np.r_[0, np.cumsum(per)[:-1]]
    is_first = np.zeros(partner.size, dtype=bool)
    is_first[first] = True
    join = pop.joined[partner]
    end = np.minimum(np.minimum(pop.terminated[partner], timeline.now), NEVER)
    life = np.maximum(end - join, DAY)
    later = join + (rng.random(partner.size) ** 1.6 * life).astype(np.int64)
    created = np.where(
        is_first,
        pop.applied[partner] + rng.integers(60, HOUR, partner.size),
        np.where(join < NEVER, later, NEVER),
    )
    keep = created < timeline.now
    partner, created = partner[keep], created[keep]
    order = np.lexsort((created, partner))
    partner, created = partner[order], created[order]
    active = rng.random(partner.size) >= 0.08
    count = np.bincount(partner, minlength=n)
    offset = np.r_[0, np.cumsum(count)[:-1]]
    return Contacts(
        partner=partner,
        created=created,
        active=active,
        offset=offset,
        count=count,
        ids=ids("CON-", np.arange(1, partner.size + 1), 7, "contact_id"),
    )


def contacts_split(seed: int, c: Contacts, pop: Population, timeline: Timeline) -> Split:
    rng = rng_for(seed, 4)
    m = c.partner.size
    first = rng.integers(0, len(_FIRST), m)
    last = rng.integers(0, len(_LAST), m)
    domain = np.array(
        [nm.split(" ")[0].lower() + nm.split(" ")[1].lower() for nm in pop.name], dtype=object
    )
    local = [
        f"{_FIRST[a]}.{_LAST[b]}{i + 1}" for i, (a, b) in enumerate(zip(first, last, strict=True))
    ]
    email = [f"{lp}@{domain[p]}.example.com" for lp, p in zip(local, c.partner, strict=True)]
    role = rng.choice(len(CONTACT_ROLES), size=m, p=[0.3, 0.15, 0.15, 0.1, 0.2, 0.1])
    df = pl.DataFrame(
        [
            c.ids,
            partner_ids(pop.n).gather(c.partner),
            pick(CONTACT_ROLES, role, "role"),
            pl.Series("email", email, dtype=pl.Utf8),
            pl.Series("is_active", c.active),
            ts("created_at", c.created),
        ]
    )
    return split_immutable(df, c.created, timeline)


# ------------------------------------------------------------------ accounts


@dataclass(frozen=True)
class Accounts:
    region: np.ndarray
    currency: np.ndarray  # str
    created: np.ndarray
    by_region: tuple[np.ndarray, ...]  # account indexes per region, sorted by created
    ids: pl.Series

    def choose(self, rng: np.random.Generator, region: np.ndarray, t: np.ndarray) -> np.ndarray:
        """A random account of the region created before t (-1 when none)."""
        out = np.full(region.size, -1, dtype=np.int64)
        for r, pool in enumerate(self.by_region):
            sel = np.flatnonzero(region == r)
            if not sel.size or not pool.size:
                continue
            n_el = np.searchsorted(self.created[pool], t[sel], side="left")
            # favour a recurring customer base: squash towards older accounts a little
            k = (rng.random(sel.size) ** 1.3 * np.maximum(n_el, 1)).astype(np.int64)
            out[sel] = np.where(n_el > 0, pool[np.minimum(k, pool.size - 1)], -1)
        return out


def build_accounts(seed: int, n_partners: int, per_partner: float, timeline: Timeline) -> Accounts:
    rng = rng_for(seed, 5)
    n = max(40, int(round(n_partners * per_partner)))
    region = rng.choice(len(REGIONS), size=n, p=REGION_WEIGHTS)
    currency = np.empty(n, dtype=object)
    for r, code in enumerate(REGIONS):
        sel = np.flatnonzero(region == r)
        opts = COUNTRIES[code]
        w = np.array([o[2] for o in opts])
        currency[sel] = np.array([o[1] for o in opts], dtype=object)[
            rng.choice(len(opts), size=sel.size, p=w / w.sum())
        ]
    legacy = rng.random(n) < 0.6
    start, now = timeline.start, timeline.now
    created = np.where(
        legacy,
        start - rng.integers(30 * DAY, 6 * 365 * DAY, n),
        start + rng.integers(0, max(now - start - DAY, DAY), n),
    )
    created = (created // DAY) * DAY + rng.integers(7 * HOUR, 19 * HOUR, n)
    order = np.argsort(created, kind="stable")
    region, currency, created = region[order], currency[order], created[order]
    by_region = tuple(np.flatnonzero(region == r) for r in range(len(REGIONS)))
    return Accounts(
        region=region,
        currency=currency,
        created=created,
        by_region=by_region,
        ids=ids("ACC-", np.arange(1, n + 1), 7, "account_id"),
    )


def accounts_split(seed: int, a: Accounts, timeline: Timeline) -> Split:
    rng = rng_for(seed, 6)
    n = a.region.size
    country = np.empty(n, dtype=object)
    for r, code in enumerate(REGIONS):
        sel = np.flatnonzero(a.region == r)
        opts = COUNTRIES[code]
        # country consistent with the currency drawn for the account
        for i in sel:
            cands = [o[0] for o in opts if o[1] == a.currency[i]]
            country[i] = cands[int(rng.integers(0, len(cands)))]
    industry = rng.integers(0, len(INDUSTRIES), n)
    band = rng.choice(len(EMPLOYEE_BANDS), size=n, p=[0.25, 0.3, 0.25, 0.12, 0.08])
    new_band = np.clip(band + rng.choice([-1, 1], size=n), 0, len(EMPLOYEE_BANDS) - 1)
    span = np.maximum(timeline.now - a.created, DAY)
    changes = rng.random(n) < 0.35
    change_at = np.where(changes, a.created + (rng.random(n) * 1.6 * span).astype(np.int64), NEVER)
    change_at = np.where(change_at < timeline.now, change_at, NEVER)
    names = [
        f"{_ACC_A[x]} {_ACC_B[y]} {i + 1}"
        for i, (x, y) in enumerate(
            zip(rng.integers(0, len(_ACC_A), n), rng.integers(0, len(_ACC_B), n), strict=True)
        )
    ]

    def state(mask: np.ndarray, t: int) -> pl.DataFrame:
        idx = np.flatnonzero(mask)
        cur_band = np.where(change_at[idx] < t, new_band[idx], band[idx])
        return pl.DataFrame(
            [
                a.ids.gather(idx),
                pl.Series("name", [names[i] for i in idx], dtype=pl.Utf8),
                pick(INDUSTRIES, industry[idx], "industry"),
                pick(REGIONS, a.region[idx], "region"),
                pl.Series("country", country[idx].tolist(), dtype=pl.Utf8),
                pick(EMPLOYEE_BANDS, cur_band, "employee_band"),
                ts("created_at", a.created[idx]),
                ts("updated_at", latest(t, a.created[idx], change_at[idx])),
                pl.Series("is_deleted", np.zeros(idx.size, dtype=bool)),
            ]
        )

    return split_versions(a.created, (change_at,), timeline, state)


# ------------------------------------------------------------------ courses

_COURSE_TOPICS = {
    "onboard": (
        "Partner Program Essentials",
        "Portal Quick Start",
        "Brand and Messaging Basics",
        "Deal Registration 101",
        "Working with Your Channel Manager",
        "Partner Agreement Walkthrough",
        "Onboarding Certification",
    ),
    "enable": (
        "Product Fundamentals",
        "Technical Architecture",
        "Solution Deployment",
        "Advanced Configuration",
        "Troubleshooting Lab",
        "Security Deep Dive",
        "Certified Implementation Engineer",
        "Certified Solution Architect",
    ),
    "market": (
        "Co-Marketing Playbook",
        "Campaign in a Box",
        "Using MDF Effectively",
        "Digital Demand Generation",
        "Event Marketing",
        "Certified Marketing Specialist",
    ),
    "sell": (
        "Value Selling",
        "Discovery Conversations",
        "Competitive Positioning",
        "Pricing and Packaging",
        "Negotiation Skills",
        "Certified Sales Professional",
        "Certified Sales Expert",
    ),
    "incentivize": (
        "Rebates and Incentives",
        "Tier Benefits Explained",
        "SPIFF Programs",
        "Incentives Certification",
        "Claiming Rewards",
    ),
    "accelerate": (
        "Co-Sell Motions",
        "Cloud Marketplace Selling",
        "Managed Services Growth",
        "Executive Business Reviews",
        "Certified Growth Partner",
        "Joint Business Planning",
        "Scaling Your Practice",
    ),
}


@dataclass(frozen=True)
class Courses:
    pillar: np.ndarray  # index into PILLARS
    is_cert: np.ndarray
    valid_days: np.ndarray  # 0 = does not expire
    ids: pl.Series
    frame: pl.DataFrame


def build_courses() -> Courses:
    titles, pillar, is_cert, valid = [], [], [], []
    for p, name in enumerate(PILLARS):
        for title in _COURSE_TOPICS[name]:
            cert = "Certif" in title
            titles.append(f"{name.title()}: {title}")
            pillar.append(p)
            is_cert.append(cert)
            valid.append((365 if len(title) % 2 else 730) if cert else 0)
    # two certifications never expire
    nonexp = [i for i, c in enumerate(is_cert) if c][:2]
    for i in nonexp:
        valid[i] = 0
    n = len(titles)
    cid = ids("CRS-", np.arange(1, n + 1), 3, "course_id")
    valid_arr = np.array(valid, dtype=np.int64)
    cert_arr = np.array(is_cert)
    frame = pl.DataFrame(
        [
            cid,
            pl.Series("title", titles, dtype=pl.Utf8),
            pick(PILLARS, np.array(pillar), "pillar"),
            pl.Series("is_certification", cert_arr),
            pl.Series(
                "certification_valid_days",
                [int(v) if (c and v) else None for c, v in zip(cert_arr, valid_arr, strict=True)],
                dtype=pl.Int64,
            ),
        ]
    )
    return Courses(
        pillar=np.array(pillar), is_cert=cert_arr, valid_days=valid_arr, ids=cid, frame=frame
    )


def courses_split(c: Courses) -> Split:
    """The catalogue exists from the start: all of it in the history drop."""
    return Split(c.frame, c.frame.clear())


# ------------------------------------------------------------------ FX


@dataclass(frozen=True)
class FxRates:
    first_day: int  # epoch day of row 0
    rates: np.ndarray  # [days, currencies], USD per unit
    currencies: tuple[str, ...]

    def usd_per_unit(self, currency: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Rate of each currency on the (UTC) day of t, clipped to the table's range."""
        day = np.clip(t // DAY - self.first_day, 0, self.rates.shape[0] - 1)
        col = np.searchsorted(np.array(self.currencies), currency.astype(str))
        return self.rates[day, col]


def build_fx(seed: int, timeline: Timeline) -> FxRates:
    rng = rng_for(seed, 7)
    first_day = timeline.start // DAY
    n_days = to_epoch(timeline.end_date) // DAY - first_day + 1
    cur = tuple(sorted(CURRENCIES))
    rates = np.empty((n_days, len(cur)))
    for j, c in enumerate(cur):
        base, vol = FX_BASE[c]
        drift = rng.normal(0, 0.00008)
        steps = rng.normal(drift, vol, n_days)
        steps[0] = 0.0
        rates[:, j] = base * np.exp(np.cumsum(steps))
    return FxRates(first_day=int(first_day), rates=np.round(rates, 8), currencies=cur)


def fx_split(fx: FxRates, timeline: Timeline) -> Split:
    n_days, n_cur = fx.rates.shape
    order = list(CURRENCIES)  # rows ordered by contract currency order, then date
    cols = [fx.currencies.index(c) for c in order]
    cur = np.repeat(np.array(order, dtype=object), n_days)
    days = np.tile(np.arange(n_days) + fx.first_day, n_cur)
    df = pl.DataFrame(
        [
            pl.Series("currency", cur.tolist(), dtype=pl.Utf8),
            dates("rate_date", days * DAY),
            pl.Series("usd_per_unit", fx.rates[:, cols].T.reshape(-1)),
        ]
    )
    hist = days * DAY < timeline.cutoff
    return Split(df.filter(pl.Series(hist)), df.filter(~pl.Series(hist)))
