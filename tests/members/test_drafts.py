"""A member entered on the phone without signal and sent later as a draft: the create view
answers JSON (``kk_portal.forms.submission_json``), and the submission token makes one member
of every resend, including two sends racing from two tabs."""

import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kk_portal import forms as kk_forms
from members import forms as member_forms
from members.models import Member
from tests import factories as f
from tests.conftest import PERSONA_USERS, build_world, client_for
from tests.members.test_views import _member_data

JSON = {"accept": "application/json"}


def test_member_draft_saved_answers_its_page(officer, world):
    response = officer.post(reverse("members:create"), _member_data(), headers=JSON)

    member = Member.objects.get()
    assert response.status_code == 201
    assert response.json() == {"url": member.get_absolute_url(), "created": True}


def test_member_draft_sent_again_answers_the_member_made_before(officer, world):
    data = _member_data()
    officer.post(reverse("members:create"), data, headers=JSON)

    response = officer.post(reverse("members:create"), data, headers=JSON)

    member = Member.objects.get()
    assert response.status_code == 200
    assert response.json() == {"url": member.get_absolute_url(), "created": False}


def test_member_draft_refused_answers_the_message_of_each_field(officer, world):
    existing = f.MemberFactory(group=world.group_a1, full_name="Ma’ruf", nik="5271010184000001")

    response = officer.post(
        reverse("members:create"),
        _member_data(nik="5271 0101 8400 0001", birth_year="1850"),
        headers=JSON,
    )

    answer = response.json()
    assert response.status_code == 400
    assert answer["errors"] == {
        "nik": ["Anggota dengan NIK ini sudah terdaftar."],
        "birth_year": [f"Tulis tahun lahir antara 1900 dan {timezone.localdate().year}."],
    }
    assert answer["links"] == {"nik": existing.get_absolute_url()}
    assert sorted(answer["fields"]) == ["birth_year", "nik"]
    link = f'<a href="{existing.get_absolute_url()}">Ma’ruf</a>'
    assert f"Anggota dengan NIK ini sudah terdaftar. {link}" in answer["fields"]["nik"]
    assert Member.objects.count() == 1


def test_member_draft_refused_for_a_nik_outside_scope_links_nothing(officer, world):
    f.MemberFactory(group=world.group_b1, full_name="Yohana Mambrasar", nik="5271010184000001")

    response = officer.post(
        reverse("members:create"), _member_data(nik="5271010184000001"), headers=JSON
    )

    answer = response.json()
    assert (answer["errors"], answer["links"]) == (
        {"nik": ["Anggota dengan NIK ini sudah terdaftar."]},
        {},
    )
    assert "Mambrasar" not in response.text


def test_member_draft_of_a_probable_duplicate_answers_the_box_to_tick(officer, world):
    f.MemberFactory(group=world.group_a1, full_name="Sumiyati", birth_year=1980)

    response = officer.post(reverse("members:create"), _member_data(), headers=JSON)

    box = response.json()["fields"]["different_person"]
    assert response.status_code == 400
    assert 'type="checkbox" name="different_person"' in box
    assert "Ini orang yang berbeda" in box


def test_member_form_post_without_json_still_redirects(officer, world):
    response = officer.post(reverse("members:create"), _member_data())

    assert response.status_code == 302
    assert response.url == Member.objects.get().get_absolute_url()


def test_two_tabs_sending_one_draft_at_once_make_one_member(transactional_db, monkeypatch):
    """Both requests find no member with the token before either writes (the barrier holds
    them there), so the unique token decides: one makes the member, the other finds it.
    PostgreSQL only: the test suite's in-memory SQLite refuses a second writer at once
    ("table is locked") instead of letting it wait, as a database file does."""
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    world = build_world()
    user = PERSONA_USERS["officer"](world)
    tabs = [client_for(user), client_for(user)]
    data = _member_data()
    barrier = threading.Barrier(2, timeout=10)
    real = kk_forms.submitted_before
    seen = threading.local()

    def submitted_before_then_wait(model, raw_token):
        row = real(model, raw_token)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()
        return row

    monkeypatch.setattr(kk_forms, "submitted_before", submitted_before_then_wait)
    answers = [None, None]

    def send(n):
        try:
            answers[n] = tabs[n].post(reverse("members:create"), data, headers=JSON)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    member = Member.objects.get(submission_token=uuid.UUID(data["submission_token"]))
    assert Member.objects.count() == 1
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert {a.json()["url"] for a in answers} == {member.get_absolute_url()}


def test_two_officers_registering_one_nik_at_once_one_gets_the_fields_message(
    transactional_db, monkeypatch
):
    """Two create forms with different submission tokens and one NIK pass their checks at
    once (the barrier holds them after the token look-up); the database's unique NIK
    refuses the second write, and that form answers with the NIK's message, not a 500.
    PostgreSQL only, as above."""
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    world = build_world()
    user = PERSONA_USERS["officer"](world)
    tabs = [client_for(user), client_for(user)]
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    real_clean = member_forms.MemberForm.clean_nik

    def clean_nik_then_wait(form):
        nik = real_clean(form)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return nik

    monkeypatch.setattr(member_forms.MemberForm, "clean_nik", clean_nik_then_wait)
    answers = [None, None]
    nik = "7308011708800001"

    def send(n):
        try:
            answers[n] = tabs[n].post(
                reverse("members:create"), _member_data(nik=nik), headers=JSON
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Member.objects.filter(nik=nik).count() == 1
    assert sorted(a.status_code for a in answers) == [201, 400]
    refused = next(a for a in answers if a.status_code == 400)
    assert refused.json()["errors"]["nik"] == ["Anggota dengan NIK ini sudah terdaftar."]
    # The officer sees the member the other tab made: the answer links to it.
    member = Member.objects.get(nik=nik)
    assert refused.json()["links"] == {"nik": member.get_absolute_url()}


def test_two_officers_editing_two_members_to_one_nik_at_once_one_gets_the_fields_message(
    transactional_db, monkeypatch
):
    """Two edit forms giving two members one NIK pass their checks at once (the barrier holds
    them after the NIK's check); the database's unique NIK refuses the second write, and
    that form comes back with the NIK's message and a link to the other member, not a 500
    (``kk_portal.forms.save_checked``). PostgreSQL only, as above."""
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    world = build_world()
    user = PERSONA_USERS["officer"](world)
    tabs = [client_for(user), client_for(user)]
    members = [
        f.MemberFactory(group=world.group_a1, full_name=name, nik=None)
        for name in ("Maria Goreti Bere", "Yohana Mambrasar")
    ]
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    real_clean = member_forms.MemberForm.clean_nik

    def clean_nik_then_wait(form):
        nik = real_clean(form)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return nik

    monkeypatch.setattr(member_forms.MemberForm, "clean_nik", clean_nik_then_wait)
    answers = [None, None]
    nik = "7308011708800001"

    def send(n):
        try:
            data = _member_data(nik=nik, full_name=members[n].full_name)
            answers[n] = tabs[n].post(reverse("members:edit", args=[members[n].pk]), data)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner = Member.objects.get(nik=nik)
    assert sorted(a.status_code for a in answers) == [200, 302]
    refused = next(a for a in answers if a.status_code == 200)
    assert (
        "Anggota dengan NIK ini sudah terdaftar. "
        f'<a href="{winner.get_absolute_url()}">{winner.full_name}</a>'
    ) in refused.text
    assert Member.objects.filter(nik=nik).count() == 1
