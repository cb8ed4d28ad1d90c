"""The partner population and its latent health process.

Each partner has a latent health h in (0, 1) per month: a mean-reverting AR(1) walk on the logit
scale with occasional negative shocks. Churn is a two-step process: an active partner starts to
disengage with a monthly hazard that falls steeply with h, its health then declines for a few
months (visible in all its activity), and it terminates at the end of that decline. Partners that
never finish onboarding terminate after a few months. Everything downstream (opportunities,
registrations, portal use, learning, support, surveys) is driven by h.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingestion.contract import PARTNER_TYPES, REGIONS
from ingestion.generate.config import DAY, HOUR, NEVER, Timeline, rng_for

# ------------------------------------------------------------------ reference data

#: Countries per region with their local currency and sampling weight.
COUNTRIES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "NA": (("US", "USD", 0.8), ("CA", "CAD", 0.2)),
    "LATAM": (("BR", "BRL", 0.55), ("MX", "USD", 0.3), ("CL", "USD", 0.15)),
    "EMEA": (
        ("GB", "GBP", 0.3),
        ("DE", "EUR", 0.3),
        ("FR", "EUR", 0.2),
        ("NL", "EUR", 0.1),
        ("ES", "EUR", 0.1),
    ),
    "APAC": (("JP", "JPY", 0.3), ("AU", "AUD", 0.3), ("IN", "INR", 0.25), ("SG", "USD", 0.15)),
}
REGION_WEIGHTS = np.array([0.40, 0.12, 0.30, 0.18])  # order of REGIONS
TYPE_WEIGHTS = np.array([0.35, 0.20, 0.15, 0.20, 0.10])  # order of PARTNER_TYPES
TIER_SHARES = np.array([0.50, 0.28, 0.15, 0.07])  # order of TIERS
SPECIALIZATIONS = ("cloud", "security", "data", "ai", "networking", "erp", "crm", "devops", "iot")

#: Activity multipliers by tier and partner type (opportunity volume).
TIER_VOLUME = np.array([0.5, 1.0, 1.8, 3.0])
TYPE_VOLUME = np.array([1.2, 1.0, 0.6, 0.9, 0.5])

_NAME_A = (
    "Apex",
    "Blue",
    "Cedar",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Iron",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quartz",
    "River",
    "Summit",
    "Tidal",
    "Union",
    "Vertex",
    "Willow",
    "Zenith",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Crest",
    "Nova",
    "Polar",
)
_NAME_B = (
    "Cloud",
    "Data",
    "Systems",
    "Networks",
    "Digital",
    "Logic",
    "Tech",
    "Works",
    "Labs",
    "Partners",
    "Consulting",
    "Solutions",
    "Integrations",
    "Analytics",
    "Secure",
    "Bridge",
)
_NAME_C = ("Inc", "LLC", "Ltd", "GmbH", "Group", "Co", "SA", "Pty Ltd")


#: Logit-scale drop of health per month while a partner disengages before terminating.
DECLINE_STEP = 0.8


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1.0 - p))


def disengage_hazard(h: np.ndarray) -> np.ndarray:
    """Monthly probability that an active partner starts to disengage (then terminates).

    About 0.2 %/month for healthy partners up to about 9 %/month at the bottom.
    """
    return 0.002 + 0.09 * (1.0 - h) ** 3.5


def activity(h: np.ndarray) -> np.ndarray:
    """Multiplier of activity volumes by health (about 0.1 at h=0, 1.3 at h=1)."""
    return 0.08 + 1.25 * h**1.5


@dataclass(frozen=True)
class Population:
    n: int
    ptype: np.ndarray  # index into PARTNER_TYPES
    tier: np.ndarray  # index into TIERS
    region: np.ndarray  # index into REGIONS
    country: np.ndarray  # str
    currency: np.ndarray  # str
    size: np.ndarray  # heavy-tailed multiplier, mean about 1
    specializations: list[str | None]
    name: np.ndarray  # str
    parent: np.ndarray  # index of the parent partner, -1 for none
    applied: np.ndarray  # epoch seconds
    joined: np.ndarray  # NEVER when not joined
    onboarded: np.ndarray  # NEVER when never onboarded
    terminated: np.ndarray  # NEVER when still a partner at the end
    health: np.ndarray  # float [n, months]
    disengage_month: np.ndarray  # month the decline started, -1 for none

    def alive_window(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Per partner, the part of [lo, hi) between joining and termination (may be empty)."""
        a = np.maximum(self.joined, lo)
        b = np.minimum(self.terminated, hi)
        return a, np.maximum(a, b)


def _country_pick(rng: np.random.Generator, region: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    country = np.empty(region.size, dtype=object)
    currency = np.empty(region.size, dtype=object)
    for r, code in enumerate(REGIONS):
        idx = np.flatnonzero(region == r)
        opts = COUNTRIES[code]
        w = np.array([o[2] for o in opts])
        pick = rng.choice(len(opts), size=idx.size, p=w / w.sum())
        country[idx] = np.array([o[0] for o in opts], dtype=object)[pick]
        currency[idx] = np.array([o[1] for o in opts], dtype=object)[pick]
    return country, currency


def build_population(seed: int, n: int, timeline: Timeline) -> Population:
    """Draw the partner population, its lifecycle dates and its monthly latent health."""
    rng = rng_for(seed, 1)
    start, now = timeline.start, timeline.now
    ptype = rng.choice(len(PARTNER_TYPES), size=n, p=TYPE_WEIGHTS)
    region = rng.choice(len(REGIONS), size=n, p=REGION_WEIGHTS)
    country, currency = _country_pick(rng, region)
    size = rng.lognormal(mean=-0.6, sigma=1.1, size=n)
    # tier follows size with noise: big partners tend to be gold/platinum
    tier_score = np.log(size) + rng.normal(0, 0.6, n)
    edges = np.quantile(tier_score, np.cumsum(TIER_SHARES)[:-1])
    tier = np.searchsorted(edges, tier_score)

    # lifecycle: ~35 % joined before the timeline, the rest arrive with growing intensity
    legacy = rng.random(n) < 0.35
    span = now - start
    g = 1.2
    u = rng.random(n)
    frac = np.log1p(u * (np.exp(g) - 1.0)) / g  # density increasing with time
    applied = np.where(
        legacy,
        start - rng.integers(60 * DAY, 4 * 365 * DAY, n),
        start + (frac * (span - DAY)).astype(np.int64),
    ).astype(np.int64)
    applied = (applied // DAY) * DAY + rng.integers(8 * HOUR, 18 * HOUR, n)
    joined = applied + rng.integers(3 * DAY, 30 * DAY, n)
    never_onboard = rng.random(n) < 0.08
    onboarded = np.where(never_onboard, NEVER, joined + rng.integers(14 * DAY, 100 * DAY, n))
    joined = np.where(joined < now, joined, NEVER)
    onboarded = np.where(onboarded < now, onboarded, NEVER)
    # partner ids follow application order
    order = np.argsort(applied, kind="stable")

    specs: list[str | None] = []
    k_spec = rng.integers(1, 4, n)
    spec_null = rng.random(n) < 0.05
    for i in range(n):
        if spec_null[i]:
            specs.append(None)
        else:
            pick = rng.choice(len(SPECIALIZATIONS), size=k_spec[i], replace=False)
            specs.append(";".join(SPECIALIZATIONS[j] for j in sorted(pick)))
    name = np.array(
        [
            f"{_NAME_A[a]} {_NAME_B[b]} {_NAME_C[c]}"
            for a, b, c in zip(
                rng.integers(0, len(_NAME_A), n),
                rng.integers(0, len(_NAME_B), n),
                rng.integers(0, len(_NAME_C), n),
                strict=True,
            )
        ],
        dtype=object,
    )

    def perm(a: np.ndarray) -> np.ndarray:
        return a[order]

    ptype, region, country, currency, size, tier = map(
        perm, (ptype, region, country, currency, size, tier)
    )
    applied, joined, onboarded, never_onboard = map(
        perm, (applied, joined, onboarded, never_onboard)
    )
    specs = [specs[i] for i in order]
    name = perm(name)

    # a handful of child partners: attach to an earlier, bigger partner in the same region
    parent = np.full(n, -1, dtype=np.int64)
    n_child = max(1, int(round(0.03 * n)))
    candidates = np.flatnonzero(np.arange(n) > n // 4)
    children = rng.choice(candidates, size=min(n_child, candidates.size), replace=False)
    for c in np.sort(children):
        pool = np.flatnonzero((region[:c] == region[c]) & (tier[:c] >= 2))
        if pool.size:
            parent[c] = pool[rng.integers(0, pool.size)]

    health, terminated, dis_month = simulate_health(
        rng_for(seed, 2), timeline, tier, joined, onboarded, never_onboard
    )
    return Population(
        n=n,
        ptype=ptype,
        tier=tier,
        region=region,
        country=country,
        currency=currency,
        size=size,
        specializations=specs,
        name=name,
        parent=parent,
        applied=applied,
        joined=joined,
        onboarded=onboarded,
        terminated=terminated,
        health=health,
        disengage_month=dis_month,
    )


def simulate_health(
    rng: np.random.Generator,
    timeline: Timeline,
    tier: np.ndarray,
    joined: np.ndarray,
    onboarded: np.ndarray,
    never_onboard: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly latent health, termination instants and the month each decline started."""
    n, months = tier.size, timeline.months
    base = rng.beta(5.0, 2.5, n) * 0.85 + 0.05 + 0.03 * tier
    mu = logit(np.clip(base, 0.05, 0.95))
    x = mu + rng.normal(0, 0.5, n)
    health = np.empty((n, months))
    terminated = np.full(n, NEVER, dtype=np.int64)
    dis_month = np.full(n, -1, dtype=np.int64)
    declining = np.zeros(n, dtype=np.int64)  # months of decline left
    stuck_after = rng.integers(4, 11, n)  # months a never-onboarded partner lingers
    for m in range(months):
        lo, hi = timeline.window(m)
        shock = np.where(rng.random(n) < 0.03, rng.normal(-1.2, 0.4, n), 0.0)
        x = mu + 0.85 * (x - mu) + rng.normal(0, 0.25, n) + shock
        x = np.where(declining > 0, x - DECLINE_STEP, x)
        h = sigmoid(x)
        health[:, m] = h
        alive = (joined < hi) & (terminated == NEVER)
        # terminate the partners whose decline ends this month
        ending = alive & (declining == 1)
        if hi > lo:
            t_end = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
        else:
            t_end = np.full(n, NEVER, dtype=np.int64)
        terminated = np.where(ending & (t_end < timeline.now), t_end, terminated)
        declining = np.where(declining > 0, declining - 1, 0)
        # start new declines: hazard on health for onboarded partners
        months_in = (lo - joined) // (30 * DAY)
        eligible = alive & (declining == 0) & (terminated == NEVER) & (dis_month < 0)
        active = eligible & (onboarded < lo)
        start = active & (rng.random(n) < disengage_hazard(h))
        stuck = eligible & never_onboard & (months_in >= stuck_after - 3)
        begin = start | stuck
        length = rng.integers(4, 8, n)
        declining = np.where(begin, length, declining)
        dis_month = np.where(begin, m, dis_month)
    # a partner whose decline ended but was never reached keeps NEVER (still declining at end)
    return health, terminated, dis_month
