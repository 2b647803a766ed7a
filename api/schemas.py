"""The JSON shapes of the API (pydantic, through Django Ninja). No NIK, no phone number, no
member: the API carries what the pages show of aspirations, groups and reses meetings."""

import datetime
from decimal import Decimal

from ninja import Schema


class EventOut(Schema):
    """One dated step of an aspiration's way (``AspirationEvent``); ``amount`` in Rupiah."""

    kind: str
    from_stage: str
    to_stage: str
    occurred_on: datetime.date
    note: str
    response: str
    amount: Decimal | None
    fiscal_year: int | None


class BudgetOutcomeOut(Schema):
    """A budget outcome (``BudgetOutcome``); amounts in Rupiah."""

    source: str
    fiscal_year: int
    amount: Decimal
    implementing_agency: str
    realised_amount: Decimal | None
    realised_on: datetime.date | None


class AspirationOut(Schema):
    id: int
    title: str
    stage: str
    stage_changed_on: datetime.date
    raised_on: datetime.date
    channel: str
    group_id: int
    group: str
    village_code: str
    village: str
    topic: str
    urusan_id: int | None
    representative_id: int | None
    is_public: bool


class AspirationDetailOut(AspirationOut):
    description: str
    timeline: list[EventOut]
    budget_outcomes: list[BudgetOutcomeOut]


class GroupOut(Schema):
    id: int
    name: str
    village_code: str
    village: str
    subdistrict: str
    regency: str
    founded_on: datetime.date | None
    cohort_year: int | None
    status: str


class MeetingOut(Schema):
    """A reses meeting; times in UTC (ISO 8601), attendance counts as recorded."""

    id: int
    representative_id: int
    representative: str
    reses_period: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    venue: str
    village_code: str
    village: str
    organising_group_id: int | None
    expected_attendance: int
    attendance_female: int | None
    attendance_male: int | None


class Page(Schema):
    """A page of a list: ``count`` rows in all, ``pages`` pages of ``page_size``."""

    count: int
    page: int
    pages: int
    page_size: int


class AspirationPage(Page):
    results: list[AspirationOut]


class GroupPage(Page):
    results: list[GroupOut]


class MeetingPage(Page):
    results: list[MeetingOut]


class HeadlineOut(Schema):
    """A headline figure of the dashboard: ``value`` ``None`` and ``text`` ``"<5"`` where
    the small-cell rule hides it; ``change`` from the previous window, ``None`` when hidden
    or when both are 0."""

    key: str
    label: str
    value: int | None
    text: str
    change: int | None


class DashboardOut(Schema):
    current_from: datetime.date
    current_to: datetime.date
    previous_from: datetime.date
    previous_to: datetime.date
    headlines: list[HeadlineOut]


class FunnelColumnOut(Schema):
    """A column of the funnel: a step reached (``recorded`` … ``realised``) or a closing
    stage (``not_accommodated``, ``withdrawn``)."""

    key: str
    label: str


class CountOut(Schema):
    """A count as the page shows it: ``value`` ``None`` where the small-cell rule hides it,
    ``text`` then ``"<5"`` (a count of 1 to 4) or ``"·"`` (hidden so that none can be worked
    out by subtraction); otherwise the number and its text."""

    value: int | None
    text: str


class RegionFunnelOut(Schema):
    """One row of the funnel per region: ``code`` (a group's id at the group level),
    ``name`` and a count per column, keyed as ``columns``."""

    code: str
    name: str
    counts: dict[str, CountOut]


class DashboardFunnelOut(Schema):
    """The dashboard's table "By province" (regency, subdistrict, village or group): the
    funnel per region one level below the page's place."""

    level: str
    columns: list[FunnelColumnOut]
    regions: list[RegionFunnelOut]
    protected: bool


class MoneyRowOut(Schema):
    """Rupiah of one regency or topic as exact decimal strings (``"1500000.00"``), never
    floats, and the number of budget outcomes they sum."""

    key: int
    name: str | None
    budgeted: str
    realised: str
    outcomes: int


class DashboardMoneyOut(Schema):
    """The dashboard's tables "Money by regency" and "Money by topic"."""

    first_fiscal_year: int | None
    last_fiscal_year: int | None
    regencies: list[MoneyRowOut]
    topics: list[MoneyRowOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
