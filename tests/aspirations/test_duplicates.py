"""The duplicate guard: folding and similarity of titles, the question the create form asks
before saving, linking (one counts, the other records the extra channel), and linked
duplicates counted once in the dashboard's funnel, money and summary tables."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from aspirations import duplicates, services
from aspirations.models import Aspiration, AspirationEvent, EventKind
from aspirations.stages import Stage
from dashboards import figures as d
from dashboards import summaries
from dashboards.models import AspirationSummary, MoneySummary
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_fold_lowers_case_and_drops_accents_punctuation_and_extra_spaces():
    assert duplicates.fold("  Sumur  Bor, Dusun É-3! ") == "sumur bor dusun e 3"


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("Perbaikan jalan tani Dusun 2", "perbaikan Jalan Tani di dusun 2", True),
        (
            "Sumur bor dan pipa air bersih untuk Dusun 6",
            "sumur bor & pipa air bersih dusun 6",
            True,
        ),
        ("Perbaikan jalan tani Dusun 2", "Perbaikan jalan tani Dusun 5", False),
        ("Perbaikan jalan tani Dusun 2", "Lampu jalan di lorong Dusun 2", False),
    ],
)
def test_similarity_finds_the_same_need_typed_differently(a, b, alike):
    assert (duplicates.similarity(a, b) >= duplicates.SIMILARITY) is alike


@pytest.fixture
def existing(world, topic):
    """An open aspiration of village A1 raised face to face."""
    return f.AspirationFactory(
        group=world.group_a1, title="Perbaikan jalan tani Dusun 2", topic=topic
    )


def _data(world, topic, **overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "title": "perbaikan Jalan Tani di dusun 2",
        "description": "",
        "topic": topic.pk,
        "village": world.village_a1.pk,
        "channel": "message",
        "raised_on": "2024-09-02",
        "benefits_women": "on",
    }
    data.update(overrides)
    return data


def test_similar_to_suggests_open_aspirations_of_the_village_and_topic_only(world, topic, existing):
    f.AspirationFactory(
        group=world.group_a1, title="Perbaikan jalan tani dusun 2", stage="withdrawn"
    )
    f.AspirationFactory(group=world.group_a2, title="Perbaikan jalan tani Dusun 2", topic=topic)
    f.AspirationFactory(
        group=world.group_a1,
        title="Perbaikan jalan tani Dusun 2",
        topic=f.TopicFactory(slug="economy", name="Ekonomi"),
    )

    suggested = Aspiration.objects.similar_to(
        "perbaikan Jalan Tani di dusun 2", village=world.village_a1, topic=topic
    )

    assert [(row, score) for row, score in suggested] == [(existing, 0.95)]


def test_create_form_asks_before_saving_when_the_need_looks_recorded(
    officer, world, topic, existing
):
    response = officer.post(reverse("aspirations:create"), _data(world, topic))

    assert response.status_code == 200
    form = response.context["form"]
    assert [row for row, _score in form.suggestions] == [existing]
    assert list(form.fields)[0] == "same_need"
    assert form.errors["same_need"] == [
        "This looks like an aspiration already recorded: say whether it is the same need or a "
        "different one."
    ]
    assert "The same need as" in response.content.decode()
    assert Aspiration.objects.count() == 1


def test_the_same_need_is_saved_linked_with_its_channel(officer, world, topic, existing):
    data = _data(world, topic, same_need=str(existing.pk))

    response = officer.post(reverse("aspirations:create"), data)
    officer.post(reverse("aspirations:create"), data)  # a double tap

    again = Aspiration.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302
    assert (again.duplicate_of, again.channel) == (existing, "message")
    note = again.events.get(kind=EventKind.NOTE)
    assert note.note == (
        f"Same need as “Perbaikan jalan tani Dusun 2” (no. {existing.pk}), raised again "
        "through message (SMS/WhatsApp)."
    )
    assert list(Aspiration.objects.counted()) == [existing]


def test_a_different_need_is_saved_on_its_own(officer, world, topic, existing):
    response = officer.post(
        reverse("aspirations:create"), _data(world, topic, same_need="different")
    )

    assert response.status_code == 302
    assert Aspiration.objects.filter(duplicate_of__isnull=True).count() == 2


def test_no_question_without_a_similar_open_aspiration(officer, world, topic, existing):
    response = officer.post(
        reverse("aspirations:create"), _data(world, topic, title="Lampu jalan lorong Dusun 2")
    )

    assert response.status_code == 302
    assert Aspiration.objects.count() == 2


def test_a_tampered_choice_is_a_form_error(officer, world, topic, existing):
    other = f.AspirationFactory(group=world.group_b1, title="Perbaikan jalan tani Dusun 2")

    response = officer.post(reverse("aspirations:create"), _data(world, topic, same_need=other.pk))

    assert response.status_code == 200
    assert "same_need" in response.context["form"].errors
    assert Aspiration.objects.count() == 2


def test_link_refuses_another_village_and_itself(world, topic, existing):
    elsewhere = f.AspirationFactory(group=world.group_a2, title="Perbaikan jalan tani Dusun 2")

    with pytest.raises(ValidationError):
        services.aspiration_link_duplicate(elsewhere, same_as=existing, actor=None)
    with pytest.raises(ValidationError):
        services.aspiration_link_duplicate(existing, same_as=existing, actor=None)


def test_link_to_a_duplicate_joins_the_record_that_counts(world, topic, existing):
    second = f.AspirationFactory(group=world.group_a1, title="Jalan tani dusun 2", topic=topic)
    third = f.AspirationFactory(group=world.group_a1, title="Jalan tani dusun 2", topic=topic)
    services.aspiration_link_duplicate(second, same_as=existing, actor=None)

    services.aspiration_link_duplicate(third, same_as=second, actor=None)

    assert Aspiration.objects.get(pk=third.pk).duplicate_of == existing


def test_unlink_counts_the_aspiration_on_its_own_again(world, topic, existing):
    again = f.AspirationFactory(group=world.group_a1, title="Jalan tani dusun 2", topic=topic)
    services.aspiration_link_duplicate(again, same_as=existing, actor=None)

    services.aspiration_unlink_duplicate(again, actor=None)

    assert Aspiration.objects.counted().count() == 2
    assert AspirationEvent.objects.filter(aspiration=again, kind=EventKind.NOTE).count() == 2


def _budgeted(aspiration):
    services.aspiration_move(
        aspiration,
        to=Stage.BUDGETED,
        actor=None,
        occurred_on=datetime.date(2024, 10, 1),
        amount=1_500_000,
        fiscal_year=2025,
        fund_source="apbdes",
    )


def _snapshot():
    return (
        sorted(AspirationSummary.objects.values_list("grain", "regency_id", "year", "recorded")),
        sorted(MoneySummary.objects.values_list("regency_id", "fiscal_year", "budgeted")),
    )


def test_linked_duplicates_count_once_in_funnel_money_and_summaries(
    programme, world, topic, existing
):
    again = f.AspirationFactory(group=world.group_a1, title="Jalan tani dusun 2", topic=topic)
    _budgeted(existing)
    _budgeted(again)

    services.aspiration_link_duplicate(again, same_as=existing, actor=None)

    rows = d.aspirations(programme.user, d.Filters())
    assert d.AspirationCube(rows).funnel().steps[4][3] == 1
    money = d.money(programme.user, d.Filters())["regency"]
    assert [(label, budgeted) for _k, label, budgeted, _r, _n in money] == [
        ("Kabupaten Alfa", 1_500_000)
    ]
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))
    assert _snapshot() == kept
    cube = summaries.SummaryCube(programme.user, d.Filters())
    assert cube.funnel().steps[0][3] == 1


def test_dashboard_funnel_links_to_the_list_of_each_need_once(
    programme, world, topic, existing, counts_shown
):
    again = f.AspirationFactory(group=world.group_a1, title="Jalan tani dusun 2", topic=topic)
    services.aspiration_link_duplicate(again, same_as=existing, actor=None)

    response = programme.get(reverse("dashboard:index"), {"region": world.regency_a.code})

    recorded = response.context["tables"][0].rows[0][1]
    listed = programme.get(recorded.url)
    assert (recorded.value, listed.context["page_obj"].paginator.count) == (1, 1)


def test_a_duplicate_noticed_later_is_linked_from_the_aspiration_page(
    officer, world, topic, existing
):
    later = f.AspirationFactory(
        group=world.group_a1,
        title="perbaikan Jalan Tani di dusun 2",
        topic=topic,
        channel="message",
    )
    f.AspirationFactory(group=world.group_a1, title="Lampu jalan Dusun 2", topic=topic)
    page = officer.get(later.get_absolute_url()).content.decode()
    assert "This is the same need" in page
    assert "Perbaikan jalan tani Dusun 2" in page
    assert "Lampu jalan Dusun 2" not in page

    response = officer.post(
        reverse("aspirations:link_duplicate", args=[later.pk]), {"same_as": existing.pk}
    )

    assert response.status_code == 302
    later.refresh_from_db()
    assert later.duplicate_of == existing
    page = officer.get(later.get_absolute_url()).content.decode()
    assert "Marked as the same need: it counts once." in page
    assert "counted there; this record keeps the extra channel." in page
    assert "This is the same need" not in page
    assert "Not the same need: count it on its own" in page


def test_only_a_suggested_aspiration_can_be_chosen_as_the_same_need(
    officer, world, topic, existing
):
    later = f.AspirationFactory(
        group=world.group_a1, title="perbaikan Jalan Tani di dusun 2", topic=topic
    )
    unlike = f.AspirationFactory(group=world.group_a1, title="Lampu jalan Dusun 2", topic=topic)

    response = officer.post(
        reverse("aspirations:link_duplicate", args=[later.pk]), {"same_as": unlike.pk}, follow=True
    )

    later.refresh_from_db()
    assert later.duplicate_of is None
    assert "Choose one of the suggested aspirations." in response.content.decode()


def test_the_unlink_button_counts_the_duplicate_on_its_own_again(
    officer, programme, world, topic, existing
):
    again = f.AspirationFactory(
        group=world.group_a1, title="perbaikan Jalan Tani di dusun 2", topic=topic
    )
    services.aspiration_link_duplicate(again, same_as=existing, actor=None)
    # Programme staff read only: no button, and nothing to link either.
    page = programme.get(again.get_absolute_url()).content.decode()
    assert "Not the same need: count it on its own" not in page
    assert (
        "This is the same need" not in programme.get(existing.get_absolute_url()).content.decode()
    )

    response = officer.post(reverse("aspirations:unlink_duplicate", args=[again.pk]), follow=True)

    again.refresh_from_db()
    assert again.duplicate_of is None
    page = response.content.decode()
    assert "Counted on its own again." in page
    assert f"Counted on its own again: not the same need as no. {existing.pk}." in page
    # Linked no more, it may be linked again from its page.
    assert "This is the same need" in page
