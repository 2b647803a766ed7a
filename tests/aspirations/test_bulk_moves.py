"""Bulk "taken into Pokir" from the aspiration list: ``services.aspirations_move_bulk`` and
the list's checkboxes and form (``views.aspiration_move_bulk``)."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from aspirations import services
from aspirations.models import Aspiration, AspirationEvent, EventKind
from aspirations.services import aspirations_move_bulk
from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.aspirations.access import ACCESS
from tests.helpers import same_queries_with_more_rows

DAY = datetime.date(2024, 9, 2)
DOCUMENT = "170/12/DPRD/2024"


def _aspiration(group, title, **fields):
    return f.AspirationFactory(group=group, title=title, **fields)


def _pokir_events():
    return AspirationEvent.objects.filter(kind=EventKind.MOVE, to_stage=Stage.POKIR)


# The service


def test_bulk_move_writes_the_one_date_and_document_on_each_timeline(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    rows = [
        _aspiration(world.group_a1, "Air bersih Dusun Satu"),
        _aspiration(world.group_a2, "Jalan tani Dusun Dua", stage=Stage.CONVEYED),
    ]

    result = aspirations_move_bulk(
        rows,
        to=Stage.POKIR,
        actor=facilitator,
        occurred_on=DAY,
        document_reference=DOCUMENT,
        note="Rapat Banggar",
    )

    assert [row.title for row in result.moved] == ["Air bersih Dusun Satu", "Jalan tani Dusun Dua"]
    assert (result.refused, result.ignored) == ([], 0)
    events = _pokir_events().order_by("aspiration__title")
    assert [
        (e.aspiration.title, e.from_stage, e.occurred_on, e.document_reference, e.note)
        for e in events
    ] == [
        ("Air bersih Dusun Satu", Stage.RECORDED, DAY, DOCUMENT, "Rapat Banggar"),
        ("Jalan tani Dusun Dua", Stage.CONVEYED, DAY, DOCUMENT, "Rapat Banggar"),
    ]
    assert {e.recorded_by for e in events} == {facilitator}
    assert set(Aspiration.objects.values_list("stage", "stage_changed_on")) == {(Stage.POKIR, DAY)}


def test_bulk_move_moves_the_valid_rows_and_reports_the_blocked_by_title(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    valid = _aspiration(world.group_a1, "Air bersih")
    budgeted = _aspiration(world.group_a1, "Balai warga", stage=Stage.BUDGETED, furthest_rank=6)
    withdrawn = _aspiration(world.group_a1, "Cek kesehatan", stage=Stage.WITHDRAWN)
    later = _aspiration(
        world.group_a2,
        "Drainase",
        stage=Stage.CONVEYED,
        stage_changed_on=datetime.date(2024, 10, 1),
    )

    with translation.override("en"):
        result = aspirations_move_bulk(
            [valid.pk, budgeted.pk, withdrawn.pk, later.pk],
            to=Stage.POKIR,
            actor=facilitator,
            occurred_on=DAY,
            document_reference=DOCUMENT,
        )

    assert [row.title for row in result.moved] == ["Air bersih"]
    assert [(row.title, reason) for row, reason in result.refused] == [
        (
            "Balai warga",
            "An aspiration only moves forward: from “budgeted (APBDes/APBD)” it cannot go to "
            "“Pokir DPRD”. Record a correction with a reason instead.",
        ),
        (
            "Cek kesehatan",
            "This aspiration is closed; it can no longer move. Record a correction.",
        ),
        ("Drainase", "The date cannot be before the last change of stage (1 October 2024)."),
    ]
    assert [e.aspiration.title for e in _pokir_events()] == ["Air bersih"]
    assert dict(Aspiration.objects.values_list("title", "stage")) == {
        "Air bersih": Stage.POKIR,
        "Balai warga": Stage.BUDGETED,
        "Cek kesehatan": Stage.WITHDRAWN,
        "Drainase": Stage.CONVEYED,
    }


def test_bulk_move_ignores_ids_the_user_may_not_move(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    own = _aspiration(world.group_a1, "Air bersih")
    elsewhere = _aspiration(world.group_b1, "Talud pantai")

    result = aspirations_move_bulk(
        [own.pk, elsewhere.pk, 999_999],
        to=Stage.POKIR,
        actor=facilitator,
        occurred_on=DAY,
        document_reference=DOCUMENT,
    )

    assert ([row.title for row in result.moved], result.refused, result.ignored) == (
        ["Air bersih"],
        [],
        2,
    )
    elsewhere.refresh_from_db()
    assert elsewhere.stage == Stage.RECORDED
    assert not elsewhere.events.filter(kind=EventKind.MOVE).exists()


def test_bulk_move_by_dprd_staff_only_within_their_district_and_steps(world):
    staff = f.UserFactory(role=Role.DPRD, representative=world.representative)
    in_district = _aspiration(world.group_a1, "Air bersih")
    outside = _aspiration(world.group_a2, "Jalan tani")  # village A2: not in the district

    pokir = aspirations_move_bulk(
        [in_district, outside],
        to=Stage.POKIR,
        actor=staff,
        occurred_on=DAY,
        document_reference=DOCUMENT,
    )
    with translation.override("en"):
        budgeted = aspirations_move_bulk(
            [in_district], to=Stage.BUDGETED, actor=staff, occurred_on=DAY, document_reference=""
        )

    assert ([row.title for row in pokir.moved], pokir.ignored) == (["Air bersih"], 1)
    assert [(row.title, reason) for row, reason in budgeted.refused] == [
        ("Air bersih", "Your role does not record this step: budgeted (APBDes/APBD).")
    ]
    assert dict(Aspiration.objects.values_list("title", "stage")) == {
        "Air bersih": Stage.POKIR,
        "Jalan tani": Stage.RECORDED,
    }


def test_bulk_move_is_one_transaction_an_unexpected_error_undoes_all(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    rows = [_aspiration(world.group_a1, "Air bersih"), _aspiration(world.group_a1, "Balai")]
    real_move = services.aspiration_move
    calls = []

    def move_then_fail(aspiration, **kwargs):
        calls.append(aspiration.title)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real_move(aspiration, **kwargs)

    with (
        mock.patch.object(services, "aspiration_move", side_effect=move_then_fail),
        pytest.raises(RuntimeError),
    ):
        aspirations_move_bulk(
            rows, to=Stage.POKIR, actor=facilitator, occurred_on=DAY, document_reference=DOCUMENT
        )

    assert calls == ["Air bersih", "Balai"]
    assert set(Aspiration.objects.values_list("stage", flat=True)) == {Stage.RECORDED}
    assert not _pokir_events().exists()


# The list and its form


def _post(client, ids, query="", **fields):
    data = {
        "aspiration": [str(pk) for pk in ids],
        "occurred_on": "2024-09-02",
        "document_reference": DOCUMENT,
        **fields,
    }
    return client.post(reverse("aspirations:move_bulk") + query, data)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("persona", "boxes"),
    [
        ("facilitator", ["Air bersih", "Jalan tani"]),
        ("dprd", ["Air bersih"]),
        ("admin_client_", ["Air bersih", "Jalan tani", "Talud pantai"]),
        ("officer", []),
        ("programme", []),
    ],
)
def test_list_shows_checkboxes_to_those_who_move_many(request, world, persona, boxes):
    rows = {
        "Air bersih": _aspiration(world.group_a1, "Air bersih"),
        "Jalan tani": _aspiration(world.group_a2, "Jalan tani"),
        "Talud pantai": _aspiration(world.group_b1, "Talud pantai"),
    }
    client = request.getfixturevalue(persona)

    response = client.get(reverse("aspirations:list"))

    shown = [
        title
        for title, row in rows.items()
        if f'name="aspiration" value="{row.pk}"' in response.text
    ]
    assert shown == boxes
    assert response.text.count('type="checkbox" name="aspiration"') == len(boxes)
    assert ("Record Pokir for the ticked" in response.text) is bool(boxes)
    assert ("Pokir document number" in response.text) is bool(boxes)


@pytest.mark.usefixtures("english")
def test_list_has_no_checkbox_for_rows_already_past_pokir(facilitator, world):
    open_row = _aspiration(world.group_a1, "Air bersih")
    budgeted = _aspiration(world.group_a1, "Balai", stage=Stage.BUDGETED, furthest_rank=6)

    response = facilitator.get(reverse("aspirations:list"))

    assert f'name="aspiration" value="{open_row.pk}"' in response.text
    assert f'name="aspiration" value="{budgeted.pk}"' not in response.text
    assert "Select “Air bersih”" in response.text


@pytest.mark.usefixtures("english")
def test_facilitator_records_pokir_for_the_ticked_rows_and_reads_the_count(facilitator, world):
    one = _aspiration(world.group_a1, "Air bersih")
    two = _aspiration(world.group_a2, "Jalan tani")
    untouched = _aspiration(world.group_a1, "Balai")

    response = _post(facilitator, [one.pk, two.pk])
    page = facilitator.get(response["Location"])

    assert response.status_code == 302
    assert '<li class="msg-success">2 aspirations taken into Pokir.</li>' in page.text
    assert dict(Aspiration.objects.values_list("title", "stage")) == {
        "Air bersih": Stage.POKIR,
        "Jalan tani": Stage.POKIR,
        "Balai": Stage.RECORDED,
    }
    assert untouched.events.filter(kind=EventKind.MOVE).count() == 0
    detail = facilitator.get(one.get_absolute_url())
    assert DOCUMENT in detail.text


@pytest.mark.usefixtures("english")
def test_bulk_message_names_the_rows_that_did_not_move(facilitator, world):
    ok = _aspiration(world.group_a1, "Air bersih")
    closed = _aspiration(world.group_a1, "Balai", stage=Stage.WITHDRAWN)

    page = facilitator.get(_post(facilitator, [ok.pk, closed.pk])["Location"])

    assert (
        '<li class="msg-warning">1 aspiration taken into Pokir; 1 not: Balai (This aspiration '
        "is closed; it can no longer move. Record a correction.).</li>"
    ) in page.text


@pytest.mark.usefixtures("english")
def test_bulk_message_is_an_error_when_nothing_moved(facilitator, world):
    closed = _aspiration(world.group_a1, "Balai", stage=Stage.WITHDRAWN)

    page = facilitator.get(_post(facilitator, [closed.pk])["Location"])

    assert '<li class="msg-error">0 aspirations taken into Pokir; 1 not: Balai (' in page.text
    assert "msg-success" not in page.text


def test_bulk_message_in_indonesian(facilitator, world):
    rows = [_aspiration(world.group_a1, f"Jalan {n}") for n in range(3)]
    closed = _aspiration(world.group_a1, "Balai", stage=Stage.WITHDRAWN)

    page = facilitator.get(_post(facilitator, [row.pk for row in [*rows, closed]])["Location"])

    assert "3 aspirasi masuk Pokir; 1 tidak: Balai (" in page.text


@pytest.mark.usefixtures("english")
def test_tampered_ids_are_not_moved_and_counted(facilitator, world):
    own = _aspiration(world.group_a1, "Air bersih")
    elsewhere = _aspiration(world.group_b1, "Talud pantai")

    page = facilitator.get(_post(facilitator, [own.pk, elsewhere.pk])["Location"])

    elsewhere.refresh_from_db()
    assert elsewhere.stage == Stage.RECORDED
    assert (
        '<li class="msg-warning">1 aspiration taken into Pokir. 1 ticked aspiration is not '
        "yours to move and was left alone.</li>"
    ) in page.text
    assert "Talud pantai" not in page.text


@pytest.mark.parametrize("persona", ["officer", "programme"])
def test_officers_and_programme_staff_may_not_post_a_bulk_move(request, world, persona):
    row = _aspiration(world.group_a1, "Air bersih")
    client = request.getfixturevalue(persona)

    response = _post(client, [row.pk])

    assert response.status_code == ACCESS["aspirations:move_bulk"].statuses("post")[persona]
    row.refresh_from_db()
    assert row.stage == Stage.RECORDED


@pytest.mark.usefixtures("english")
def test_dprd_staff_record_pokir_for_their_district(dprd, world):
    row = _aspiration(world.group_a1, "Air bersih")

    page = dprd.get(_post(dprd, [row.pk])["Location"])

    assert "1 aspiration taken into Pokir." in page.text
    row.refresh_from_db()
    assert (row.stage, row.events.get(kind=EventKind.MOVE).document_reference) == (
        Stage.POKIR,
        DOCUMENT,
    )


@pytest.mark.usefixtures("english")
def test_bulk_form_errors_show_on_the_list_with_the_ticks_kept(facilitator, world):
    ticked = _aspiration(world.group_a1, "Air bersih")
    other = _aspiration(world.group_a1, "Balai")

    response = _post(facilitator, [ticked.pk], occurred_on="", document_reference="")

    assert response.status_code == 200
    assert response.text.count("This field is required.") == 2
    assert f'value="{ticked.pk}" checked' in response.text
    assert f'value="{other.pk}" checked' not in response.text
    assert set(Aspiration.objects.values_list("stage", flat=True)) == {Stage.RECORDED}


@pytest.mark.usefixtures("english")
def test_bulk_form_without_ticks_says_so(facilitator, world):
    _aspiration(world.group_a1, "Air bersih")

    response = _post(facilitator, [])

    assert "Tick the aspirations to record first." in response.text
    assert not _pokir_events().exists()


def test_bulk_move_returns_to_the_list_with_its_filters(facilitator, world):
    row = _aspiration(world.group_a1, "Air bersih")
    query = f"?group={world.group_a1.pk}&sort=title"

    response = _post(facilitator, [row.pk], query=query)

    assert response["Location"] == reverse("aspirations:list") + query


@pytest.mark.parametrize("persona", ["facilitator", "dprd"])
def test_list_with_checkboxes_same_query_count(request, world, persona, django_assert_num_queries):
    client = request.getfixturevalue(persona)
    _aspiration(world.group_a1, "Air bersih")

    def add_rows():
        f.AspirationFactory.create_batch(30, group=world.group_a1)

    response = same_queries_with_more_rows(
        client, reverse("aspirations:list"), add_rows, django_assert_num_queries
    )

    assert response.text.count('type="checkbox" name="aspiration"') == 20
