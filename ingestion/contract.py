"""The raw contract: every source table, its columns, types and validation rules.

This module is the single source of truth shared by the synthetic generator, the loaders,
the pandera schemas, the Dagster raw assets and the dbt sources. It is plain data: no I/O.

Column types (logical):
  str   text                      ts    timestamp, UTC (ISO 8601 or a known second format)
  date  calendar date             float double precision
  int   64-bit integer            bool  true/false
"""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCES: tuple[str, ...] = ("crm", "prm", "lms", "survey")

REGIONS = ("NA", "LATAM", "EMEA", "APAC")
PARTNER_TYPES = ("reseller", "system_integrator", "technology", "msp", "referral")
TIERS = ("registered", "silver", "gold", "platinum")
PILLARS = ("onboard", "enable", "market", "sell", "incentivize", "accelerate")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD", "BRL", "INR", "CAD")
TOUCHPOINTS = ("onboarding", "deal_registration", "mdf", "support", "portal", "training")

#: Accepted file extensions for a table inside a drop, in lookup order.
FILE_FORMATS: tuple[str, ...] = ("parquet", "jsonl", "json", "csv")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # str | ts | date | float | int | bool
    required: bool = False
    allowed: tuple[str, ...] | None = None  # categorical values after normalization
    case: str | None = None  # "lower" | "upper": normalization applied before `allowed`
    min_value: float | None = None
    max_value: float | None = None
    min_exclusive: bool = False
    event_time: bool = False  # must not lie in the future (load time + 1 day)
    pii: bool = False

    def __post_init__(self) -> None:
        if self.type not in {"str", "ts", "date", "float", "int", "bool"}:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        if self.allowed is not None and self.case is None:
            raise ValueError(f"column {self.name}: categorical columns need a case rule")


@dataclass(frozen=True)
class ForeignKey:
    column: str
    source: str
    table: str
    ref_column: str


@dataclass(frozen=True)
class Table:
    source: str
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    file_format: str  # format the synthetic generator writes
    version_column: str | None = None  # later value wins in staging
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
    description: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}.{self.name}"

    @property
    def raw_schema(self) -> str:
        return f"raw_{self.source}"

    @property
    def quarantine_name(self) -> str:
        return f"{self.source}__{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.key} has no column {name!r}")


def _id(name: str) -> Column:
    return Column(name, "str", required=True)


def _cat(name: str, values: tuple[str, ...], *, case: str = "lower", required: bool = True):
    return Column(name, "str", required=required, allowed=values, case=case)


def _amount(name: str, required: bool = True) -> Column:
    return Column(name, "float", required=required, min_value=0)


def _event(name: str, required: bool = True) -> Column:
    return Column(name, "ts", required=required, event_time=True)


def _fk(column: str, source: str, table: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey(column, source, table, ref or column)


_CURRENCY = _cat("currency", CURRENCIES, case="upper")
_REGION = _cat("region", REGIONS, case="upper")

TABLES: tuple[Table, ...] = (
    # ---------------------------------------------------------------- CRM (CSV exports)
    Table(
        "crm", "accounts",
        (
            _id("account_id"),
            Column("name", "str", required=True),
            _cat("industry", ("software", "manufacturing", "healthcare", "financial_services",
                              "retail", "public_sector", "education", "telecom")),
            _REGION,
            Column("country", "str", required=True),
            _cat("employee_band", ("1-50", "51-200", "201-1000", "1001-5000", "5000+")),
            _event("created_at"),
            Column("updated_at", "ts", required=True),
            Column("is_deleted", "bool", required=True),
        ),
        ("account_id",), "csv", version_column="updated_at",
        description="Customer accounts from the CRM.",
    ),
    Table(
        "crm", "opportunities",
        (
            _id("opportunity_id"),
            Column("account_id", "str", required=True),
            _cat("stage", ("prospecting", "qualification", "proposal", "negotiation",
                           "closed_won", "closed_lost")),
            # Open deals come without amount or close date in real exports; a won deal needs
            # its amount and a closed deal its close date (schemas.CLOSED_OPPORTUNITY_RULE).
            _amount("amount", required=False),
            _CURRENCY,
            _event("created_at"),
            Column("close_date", "date"),
            Column("is_closed", "bool", required=True),
            Column("is_won", "bool", required=True),
            Column("updated_at", "ts", required=True),
            Column("is_deleted", "bool", required=True),
        ),
        ("opportunity_id",), "csv", version_column="updated_at",
        foreign_keys=(_fk("account_id", "crm", "accounts"),),
        description="Sales opportunities; amount in the opportunity currency.",
    ),
    Table(
        "crm", "opportunity_partners",
        (
            _id("opportunity_id"),
            _id("partner_id"),
            _cat("role", ("sourced", "influenced", "co_sell", "fulfillment")),
            _event("created_at"),
        ),
        ("opportunity_id", "partner_id", "role"), "csv",
        foreign_keys=(_fk("opportunity_id", "crm", "opportunities"),
                      _fk("partner_id", "prm", "partners")),
        description="Partners involved in an opportunity and their role.",
    ),
    Table(
        "crm", "fx_rates",
        (
            _CURRENCY,
            Column("rate_date", "date", required=True),
            Column("usd_per_unit", "float", required=True, min_value=0, min_exclusive=True),
        ),
        ("currency", "rate_date"), "csv",
        description="Daily FX rates: USD per unit of currency.",
    ),
    # ---------------------------------------------------------------- PRM (JSON lines)
    Table(
        "prm", "partners",
        (
            _id("partner_id"),
            Column("name", "str", required=True),
            _cat("partner_type", PARTNER_TYPES),
            _cat("tier", TIERS),
            _REGION,
            Column("country", "str", required=True),
            Column("specializations", "str"),  # ';'-separated list
            _cat("status", ("applied", "onboarding", "active", "terminated")),
            _event("applied_at"),
            Column("joined_at", "ts"),
            Column("onboarded_at", "ts"),
            Column("terminated_at", "ts"),
            Column("parent_partner_id", "str"),
            Column("updated_at", "ts", required=True),
        ),
        ("partner_id",), "jsonl", version_column="updated_at",
        foreign_keys=(_fk("parent_partner_id", "prm", "partners", "partner_id"),),
        description="The partner master: type, tier, region, lifecycle dates.",
    ),
    Table(
        "prm", "partner_contacts",
        (
            _id("contact_id"),
            _id("partner_id"),
            _cat("role", ("sales", "presales", "marketing", "executive", "technical",
                          "operations")),
            Column("email", "str", required=True, pii=True),
            Column("is_active", "bool", required=True),
            _event("created_at"),
        ),
        ("contact_id",), "jsonl",
        foreign_keys=(_fk("partner_id", "prm", "partners"),),
        description="People at partners (portal users, learners, survey respondents).",
    ),
    Table(
        "prm", "deal_registrations",
        (
            _id("registration_id"),
            _id("partner_id"),
            Column("account_id", "str", required=True),
            Column("opportunity_id", "str"),
            _event("submitted_at"),
            Column("decided_at", "ts"),
            _cat("status", ("pending", "approved", "rejected", "expired")),
            _amount("estimated_amount"),
            _CURRENCY,
            Column("rejection_reason", "str"),
            Column("updated_at", "ts", required=True),
        ),
        ("registration_id",), "jsonl", version_column="updated_at",
        foreign_keys=(_fk("partner_id", "prm", "partners"),
                      _fk("account_id", "crm", "accounts"),
                      _fk("opportunity_id", "crm", "opportunities")),
        description="Deal registrations submitted by partners and their decision.",
    ),
    Table(
        "prm", "portal_events",
        (
            _id("event_id"),
            _id("partner_id"),
            Column("contact_id", "str"),
            _cat("event_type", ("login", "content_view", "deal_reg_view", "training_view",
                                "asset_download", "lead_view", "mdf_view", "support_view")),
            _event("occurred_at"),
        ),
        ("event_id",), "parquet",
        foreign_keys=(_fk("partner_id", "prm", "partners"),
                      _fk("contact_id", "prm", "partner_contacts")),
        description="Partner portal activity; the largest table.",
    ),
    Table(
        "prm", "mdf_requests",
        (
            _id("request_id"),
            _id("partner_id"),
            _event("requested_at"),
            Column("approved_at", "ts"),
            Column("paid_at", "ts"),
            _amount("amount"),
            _CURRENCY,
            _cat("status", ("submitted", "approved", "rejected", "paid")),
            _cat("campaign_type", ("webinar", "event", "digital", "content", "tradeshow")),
            Column("updated_at", "ts", required=True),
        ),
        ("request_id",), "jsonl", version_column="updated_at",
        foreign_keys=(_fk("partner_id", "prm", "partners"),),
        description="Market development fund requests and payouts.",
    ),
    Table(
        "prm", "partner_targets",
        (
            _id("partner_id"),
            Column("period_start", "date", required=True),
            _cat("metric", ("revenue", "pipeline", "registrations", "certifications")),
            Column("target_value", "float", required=True, min_value=0),
        ),
        ("partner_id", "period_start", "metric"), "jsonl",
        foreign_keys=(_fk("partner_id", "prm", "partners"),),
        description="Quarterly targets per partner (revenue and pipeline in USD).",
    ),
    Table(
        "prm", "support_cases",
        (
            _id("case_id"),
            _id("partner_id"),
            _event("opened_at"),
            Column("closed_at", "ts"),
            _cat("priority", ("low", "medium", "high", "critical")),
            _cat("category", ("technical", "licensing", "portal", "billing",
                              "deal_registration", "mdf")),
            _cat("status", ("open", "pending", "closed")),
            Column("updated_at", "ts", required=True),
        ),
        ("case_id",), "jsonl", version_column="updated_at",
        foreign_keys=(_fk("partner_id", "prm", "partners"),),
        description="Partner support cases.",
    ),
    # ---------------------------------------------------------------- LMS (CSV)
    Table(
        "lms", "courses",
        (
            _id("course_id"),
            Column("title", "str", required=True),
            _cat("pillar", PILLARS),
            Column("is_certification", "bool", required=True),
            Column("certification_valid_days", "int", min_value=1),
        ),
        ("course_id",), "csv",
        description="Course catalogue, tagged by pillar.",
    ),
    Table(
        "lms", "enrollments",
        (
            _id("enrollment_id"),
            _id("course_id"),
            Column("contact_id", "str", required=True),
            _id("partner_id"),
            _event("enrolled_at"),
            Column("completed_at", "ts"),
            Column("score", "float", min_value=0, max_value=100),
            _cat("status", ("enrolled", "in_progress", "completed", "dropped")),
            Column("updated_at", "ts", required=True),
        ),
        ("enrollment_id",), "csv", version_column="updated_at",
        foreign_keys=(_fk("course_id", "lms", "courses"),
                      _fk("partner_id", "prm", "partners"),
                      _fk("contact_id", "prm", "partner_contacts")),
        description="Course enrollments and completions.",
    ),
    Table(
        "lms", "certifications",
        (
            _id("certification_id"),
            _id("course_id"),
            Column("contact_id", "str", required=True),
            _id("partner_id"),
            _event("issued_at"),
            Column("expires_at", "ts"),
        ),
        ("certification_id",), "csv",
        foreign_keys=(_fk("course_id", "lms", "courses"),
                      _fk("partner_id", "prm", "partners"),
                      _fk("contact_id", "prm", "partner_contacts")),
        description="Certifications issued to partner contacts.",
    ),
    # ---------------------------------------------------------------- Survey (JSON arrays)
    Table(
        "survey", "surveys",
        (
            _id("survey_id"),
            Column("wave_id", "str", required=True),
            _cat("kind", ("relationship", "pulse", "transactional")),
            Column("is_anonymous", "bool", required=True),
            Column("opened_at", "ts", required=True),
            Column("closed_at", "ts", required=True),
        ),
        ("survey_id", "wave_id"), "json",
        description="Survey waves: one row per distribution (wave) of a survey instrument; an "
        "instrument reused over many waves keeps every wave.",
    ),
    Table(
        "survey", "questions",
        (
            _id("question_id"),
            _id("survey_id"),
            Column("text", "str", required=True),
            _cat("question_type", ("nps", "csat", "likert", "text")),
            _cat("pillar", PILLARS, required=False),
            _cat("touchpoint", TOUCHPOINTS, required=False),
        ),
        ("question_id",), "json",
        foreign_keys=(_fk("survey_id", "survey", "surveys"),),
        description="Survey questions: NPS 0-10, CSAT and likert 1-5, free text.",
    ),
    Table(
        "survey", "invitations",
        (
            _id("invitation_id"),
            Column("wave_id", "str", required=True),
            _id("partner_id"),
            Column("contact_id", "str", required=True),
            _event("sent_at"),
        ),
        ("invitation_id",), "json",
        foreign_keys=(_fk("partner_id", "prm", "partners"),
                      _fk("contact_id", "prm", "partner_contacts")),
        description="Survey invitations sent to partner contacts.",
    ),
    Table(
        "survey", "responses",
        (
            _id("response_id"),
            Column("invitation_id", "str", required=True),
            Column("wave_id", "str", required=True),
            _id("partner_id"),
            Column("contact_id", "str"),  # null when the survey is anonymous
            _event("submitted_at"),
        ),
        ("response_id",), "json",
        foreign_keys=(_fk("invitation_id", "survey", "invitations"),
                      _fk("partner_id", "prm", "partners")),
        description="Submitted survey responses.",
    ),
    Table(
        "survey", "answers",
        (
            _id("response_id"),
            _id("question_id"),
            Column("numeric_value", "float", min_value=0, max_value=10),
            Column("text_value", "str"),
        ),
        ("response_id", "question_id"), "json",
        foreign_keys=(_fk("response_id", "survey", "responses"),
                      _fk("question_id", "survey", "questions")),
        description="One answer per question per response.",
    ),
)

#: Answer scale per question type (inclusive); answers outside it are quarantined.
ANSWER_SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "likert": (1, 5)}

_BY_KEY = {t.key: t for t in TABLES}


def get_table(source: str, name: str) -> Table:
    try:
        return _BY_KEY[f"{source}.{name}"]
    except KeyError:
        raise KeyError(f"unknown raw table {source}.{name}; known: {sorted(_BY_KEY)}") from None


def tables_for(source: str) -> tuple[Table, ...]:
    if source not in SOURCES:
        raise KeyError(f"unknown source {source!r}; known: {SOURCES}")
    return tuple(t for t in TABLES if t.source == source)

#: Timestamp text formats accepted at load, in order. The first is what well-behaved exports
#: write (ISO 8601, UTC); the second is the US-style format some CRM exports use.
TIMESTAMP_FORMATS: tuple[str, ...] = ("%Y-%m-%dT%H:%M:%SZ", "%m/%d/%Y %H:%M")
DATE_FORMAT = "%Y-%m-%d"
