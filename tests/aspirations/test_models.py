"""Aspirations, events, budget outcomes and forums: the database refuses what must never be
stored, and holds national-scale Rupiah amounts exactly."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from aspirations.models import Aspiration, AspirationEvent, BudgetOutcome, MusrenbangForum
from tests import factories as f
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def test_urusan_code_and_topic_slug_unique():
    topic = f.TopicFactory()

    assert refused(lambda: type(topic.default_urusan).objects.create(code="1.03", name="Lagi"))
    assert refused(lambda: type(topic).objects.create(slug=topic.slug, name="Lagi"))


def test_aspiration_stage_refused_when_unknown():
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(stage="approved"))


def test_aspiration_channel_refused_when_unknown():
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(channel="fax"))


@pytest.mark.parametrize("bad", [0, 9])
def test_aspiration_furthest_rank_refused_outside_1_to_8(bad):
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(furthest_rank=bad))


def test_aspiration_submission_token_unique():
    token = uuid.uuid4()
    f.AspirationFactory(submission_token=token)

    assert refused(lambda: f.AspirationFactory(submission_token=token))


def test_event_stages_refused_when_unknown():
    event = f.AspirationEventFactory()

    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(to_stage="done"))
    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(from_stage="x"))


def test_event_amount_refused_when_negative():
    event = f.AspirationEventFactory()

    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(amount=Decimal("-1")))


def test_budget_amounts_refused_when_negative():
    outcome = f.BudgetOutcomeFactory()

    assert refused(
        lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(amount=Decimal("-0.01"))
    )
    assert refused(
        lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(realised_amount=Decimal("-5"))
    )


def test_budget_fiscal_year_refused_when_implausible():
    outcome = f.BudgetOutcomeFactory()

    assert refused(lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(fiscal_year=25))


def test_budget_amount_holds_a_national_budget_exactly():
    # APBN 2025 spending, about Rp 3,621 trillion, and a regency budget line with sen.
    apbn, line = Decimal("3621300000000000.00"), Decimal("617666666666.66")
    outcome = f.BudgetOutcomeFactory(amount=apbn, realised_amount=line)

    outcome.refresh_from_db()
    assert (outcome.amount, outcome.realised_amount) == (apbn, line)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps about 15 significant digits"
)
def test_budget_amount_keeps_sen_of_a_national_budget_on_postgresql():
    apbn = Decimal("3621300000000000.99")
    outcome = f.BudgetOutcomeFactory(amount=apbn)

    outcome.refresh_from_db()
    assert outcome.amount == apbn


def test_musrenbang_forum_area_must_match_level():
    forum = f.MusrenbangForumFactory()

    assert refused(lambda: MusrenbangForum.objects.filter(pk=forum.pk).update(village=None))
    assert refused(lambda: MusrenbangForum.objects.filter(pk=forum.pk).update(level="kecamatan"))
