"""Case pages: opening a case on a phone, steps, consent, handlers, documents, list, export,
and what each persona gets on each of them."""

import datetime
import re
import uuid
from html import unescape
from urllib.parse import unquote_plus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from assistance.models import AssistanceCase, Kind, Need, Service, Status, StepKind
from assistance.services import case_refer
from audit.models import AccessLog, Action
from kk_portal.zones import today_in
from tests import factories as f
from tests.helpers import csv_rows, same_queries_with_more_rows, xlsx_rows

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SECRET_NAME = "Agustina Lamabelawa"


def _today(world):
    return today_in(world.group_a1)


@pytest.fixture
def confidential(world, officer):
    """A violence case of group A1 handled by the ``officer`` persona only."""
    return f.AssistanceCaseFactory(
        group=world.group_a1,
        kind=Kind.VIOLENCE,
        need=Need.VIOLENCE_WOMAN,
        confidential=True,
        person_name=SECRET_NAME,
        description="Korban kekerasan dalam rumah tangga.",
        handlers=[officer.user],
    )


@pytest.fixture
def plain(world):
    return f.AssistanceCaseFactory(group=world.group_a1, person_name="Yakobus Lende")


def _form(world, **overrides):
    today = _today(world).isoformat()
    data = {
        "submission_token": str(uuid.uuid4()),
        "need": Need.VIOLENCE_WOMAN,
        "opened_on": today,
        "person_name": SECRET_NAME,
        "person_sex": "F",
        "person_age_group": "30_44",
        "person_village": world.village_a1.pk,
        "person_phone": "0812 3456 7890",
        "description": "Butuh pendampingan ke UPTD PPA.",
        "consent": "person",
        "consent_given_on": today,
    }
    data.update(overrides)
    return data


def test_create_officer_violence_case_title_and_message_name_no_one(officer, world):
    response = officer.post(reverse("assistance:create"), _form(world), follow=True)

    case = AssistanceCase.objects.get()
    assert response.redirect_chain == [(reverse("assistance:detail", args=[case.pk]), 302)]
    assert f"<title>Kasus #{case.pk} · KK Portal</title>" in response.text
    assert "Kasus disimpan." in response.text
    assert SECRET_NAME in response.text
    assert (case.confidential, list(case.handlers.all())) == (True, [officer.user])
    assert case.person_phone == "+6281234567890"


def test_create_admin_outside_the_circle_lands_on_the_list_told_who_sees_it(
    admin_client_, officer, world
):
    data = _form(world, group=world.group_a1.pk, handlers=[officer.user.pk])

    response = admin_client_.post(reverse("assistance:create"), data, follow=True)
    again = admin_client_.post(reverse("assistance:create"), data, follow=True)

    case = AssistanceCase.objects.get()
    assert response.redirect_chain == [(reverse("assistance:list"), 302)]
    assert "Kasus disimpan." in response.text
    assert (
        f"Kasus #{case.pk} bersifat rahasia: hanya pengurus yang menanganinya dan fasilitator "
        "kabupaten/kota yang dapat melihatnya." in response.text
    )
    assert again.redirect_chain == [(reverse("assistance:list"), 302)]
    assert SECRET_NAME not in response.text


def _urls_in(response):
    """The URLs a response hands the browser: its redirect Location and every href, action
    and src, decoded as a server log or the history would show them."""
    urls = [response.headers.get("Location", "")]
    if response.headers.get("Content-Type", "").startswith("text/html"):
        urls += re.findall(r'(?:href|action|src)="([^"]*)"', response.text)
    return [unquote_plus(unescape(url)) for url in urls]


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({}, 302),
        ({"need": Need.KTP}, 302),
        ({"member": "member"}, 200),
        ({"opened_on": "2099-01-01"}, 200),
    ],
    ids=["saved-violence", "saved-ktp", "refused-member-and-name", "refused-date"],
)
def test_create_typed_name_never_reaches_a_url(officer, world, overrides, status):
    member = f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti")
    if overrides.get("member"):
        overrides = {"member": member.pk}
    url = reverse("assistance:create")

    form = officer.get(url)
    posted = officer.post(url, _form(world, **overrides))
    landed = [officer.get(posted.headers["Location"])] if posted.status_code == 302 else []

    assert posted.status_code == status
    assert re.search(r'<form method="post"', form.text)
    for response in (form, posted, *landed):
        assert all(SECRET_NAME not in link for link in _urls_in(response)), response


def test_create_ignores_a_name_put_in_the_url(officer, world):
    member = f.MemberFactory(group=world.group_a1)

    response = officer.get(
        reverse("assistance:create"), {"member": member.pk, "person_name": SECRET_NAME}
    )

    assert response.status_code == 200
    assert SECRET_NAME not in response.text


def test_create_name_too_long_gets_only_the_length_message(officer, world):
    response = officer.post(reverse("assistance:create"), _form(world, person_name="A" * 151))

    assert response.status_code == 200
    assert "paling banyak 150 karakter" in response.text
    assert "tulis nama orang yang dibantu" not in response.text
    assert not AssistanceCase.objects.exists()


def test_create_member_and_typed_name_refused_beside_the_name(officer, world):
    member = f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti")

    response = officer.post(
        reverse("assistance:create"), _form(world, member=member.pk, person_name="Maria")
    )

    assert response.status_code == 200
    assert "Anggota sudah dipilih: kosongkan nama, atau jangan pilih anggota." in response.text
    assert not AssistanceCase.objects.exists()


def test_create_member_picker_tells_two_of_one_name_apart(officer, world):
    f.MemberFactory(
        group=world.group_a1, full_name="Maria Goreti", birth_year=1980, nik="5301014506800123"
    )
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti", birth_year=1995, nik=None)

    page = officer.get(reverse("assistance:create")).text

    assert "Maria Goreti · lahir 1980 · NIK …0123</option>" in page
    assert "Maria Goreti · lahir 1995</option>" in page
    assert "5301014506800123" not in page


def test_create_twice_with_same_token_makes_one_case(officer, world):
    data = _form(world)

    officer.post(reverse("assistance:create"), data)
    response = officer.post(reverse("assistance:create"), data)

    case = AssistanceCase.objects.get()
    assert response.url == reverse("assistance:detail", args=[case.pk])


def test_create_without_consent_answer_saves_nothing(officer, world):
    response = officer.post(reverse("assistance:create"), _form(world, consent=""))

    assert response.status_code == 200
    assert "Belum ada yang disimpan." in response.text
    assert AssistanceCase.objects.count() == 0


def test_create_no_consent_keeps_anonymous_count(officer, world):
    response = officer.post(reverse("assistance:create"), _form(world, consent="none"), follow=True)

    case = AssistanceCase.objects.get()
    assert case.is_anonymous
    assert (case.person_name, case.description) == ("", "")
    assert response.redirect_chain[-1][0] == reverse("assistance:list")
    assert "hanya hitungan tanpa nama" in response.text


def test_create_name_missing_error_beside_field(officer, world):
    response = officer.post(reverse("assistance:create"), _form(world, person_name=" "))

    assert "Pilih anggota, atau tulis nama orang yang dibantu." in response.text
    assert AssistanceCase.objects.count() == 0


@pytest.mark.parametrize("field", ["person_village", "handlers", "member"])
def test_create_tampered_id_answers_404(officer, world, field):
    foreign = {
        "person_village": world.village_b1.pk,
        "handlers": f.UserFactory(role="officer", group=world.group_b1).pk,
        "member": f.MemberFactory(group=world.group_b1).pk,
    }[field]

    response = officer.post(reverse("assistance:create"), _form(world, **{field: foreign}))

    assert response.status_code == 404
    assert AssistanceCase.objects.count() == 0


def test_create_facilitator_tampered_group_answers_404(facilitator, world):
    response = facilitator.post(reverse("assistance:create"), _form(world, group=world.group_b1.pk))

    assert response.status_code == 404


def test_confidential_detail_circle_sees_the_person_and_the_warning(facilitator, confidential):
    response = facilitator.get(reverse("assistance:detail", args=[confidential.pk]))

    assert SECRET_NAME in response.text
    assert "Setiap kali dilihat, dicatat." in response.text


def test_plain_detail_every_officer_of_the_group_sees_it(officer_same_group, plain):
    response = officer_same_group.get(reverse("assistance:detail", args=[plain.pk]))

    assert "Yakobus Lende" in response.text
    assert "Rahasia:" not in response.text


def test_confidential_view_is_logged_with_case_and_regency(facilitator, confidential, world):
    facilitator.get(reverse("assistance:detail", args=[confidential.pk]))

    entry = AccessLog.objects.data_access().get()
    assert (entry.user, entry.action, entry.object_id, entry.regency, entry.group) == (
        facilitator.user,
        Action.CASE_VIEW,
        confidential.pk,
        world.regency_a,
        world.group_a1,
    )


def test_plain_view_is_not_logged(officer, plain):
    officer.get(reverse("assistance:detail", args=[plain.pk]))

    assert AccessLog.objects.data_access().count() == 0


def test_missing_case_answers_404_like_a_hidden_one(officer_same_group, confidential):
    hidden = officer_same_group.get(reverse("assistance:detail", args=[confidential.pk]))
    missing = officer_same_group.get(reverse("assistance:detail", args=[confidential.pk + 999]))

    def main(response):
        return response.text.split("<main>")[1].split("</main>")[0]

    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert main(hidden) == main(missing)


def test_list_other_officer_gets_nothing_by_any_filter(officer_same_group, confidential, plain):
    for query in (
        "",
        "?kind=violence",
        f"?q={SECRET_NAME}",
        f"?id__in={confidential.pk}",
        f"?id={confidential.pk}",
        f"?group={confidential.group_id}",
    ):
        response = officer_same_group.get(reverse("assistance:list") + query)

        assert response.status_code == 200
        assert SECRET_NAME not in response.text
        assert reverse("assistance:detail", args=[confidential.pk]) not in response.text
    response = officer_same_group.post(reverse("assistance:list"), {"q": SECRET_NAME}, follow=True)
    # The search box and its "search: …" line show back what was typed; no row names her.
    assert response.text.count(SECRET_NAME) == 2
    assert reverse("assistance:detail", args=[confidential.pk]) not in response.text


def test_list_search_is_posted_and_never_in_a_url(officer, world):
    for number in range(21):
        f.AssistanceCaseFactory(group=world.group_a1, person_name=f"Maria Bunga {number}")
    f.AssistanceCaseFactory(group=world.group_a1, person_name="Yakobus Lende")
    url = reverse("assistance:list")

    response = officer.post(url + "?status=open&page=2", {"q": "Maria Bunga"}, follow=True)

    assert response.redirect_chain == [(url + "?status=open", 302)]
    assert "Pencarian: “Maria Bunga”" in response.text
    assert "21 kasus" in response.text
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', response.text)
    assert not [href for href in hrefs if "Maria" in href or "q=" in href]
    second = officer.get(url + "?status=open&page=2")
    assert "Maria Bunga" in second.text and "Yakobus" not in second.text
    rows = csv_rows(officer.get(reverse("assistance:export") + "?format=csv"))
    assert len(rows) == 1 + 21
    assert AccessLog.objects.data_access().get().filters == "q=*"

    cleared = officer.post(url, {"clear": "1", "q": "Maria Bunga"}, follow=True)

    assert "22 kasus" in cleared.text
    assert "Maria Bunga”" not in cleared.text


def test_list_handler_sees_case_without_name_in_the_row(officer, confidential):
    response = officer.get(reverse("assistance:list") + "?kind=violence")

    assert reverse("assistance:detail", args=[confidential.pk]) in response.text
    assert SECRET_NAME not in response.text
    assert "rahasia" in response.text


@pytest.mark.parametrize("name", ["assistance:list", "assistance:export"])
def test_list_and_export_tampered_group_404(facilitator_b, confidential, name):
    response = facilitator_b.get(reverse(name) + f"?group={confidential.group_id}")

    assert response.status_code == 404
    assert AccessLog.objects.data_access().count() == 0


def test_list_pages_keep_filters(officer, world):
    for _n in range(25):
        f.AssistanceCaseFactory(group=world.group_a1, need=Need.PKH, kind=Kind.SOCIAL_ASSISTANCE)

    response = officer.get(reverse("assistance:list") + "?kind=social_assistance&status=open")

    assert "25 kasus" in response.text
    assert 'href="?kind=social_assistance&amp;status=open&amp;page=2"' in response.text


def test_list_bad_date_range_shows_message_and_no_rows(officer, plain):
    response = officer.get(
        reverse("assistance:list") + "?opened_from=2026-09-10&opened_to=2026-09-01"
    )

    assert "Akhir periode lebih awal dari awalnya." in response.text
    assert "Yakobus Lende" not in response.text


def test_list_same_query_count_1_and_30_rows(facilitator, world, django_assert_num_queries):
    f.AssistanceCaseFactory(group=world.group_a1)

    def add_rows():
        for n in range(29):
            f.AssistanceCaseFactory(
                group=world.group_a2 if n % 2 else world.group_a1,
                member=f.MemberFactory(group=world.group_a2) if n % 2 else None,
            )

    response = same_queries_with_more_rows(
        facilitator, reverse("assistance:list"), add_rows, django_assert_num_queries
    )

    assert "30 kasus" in response.text


def test_detail_query_count_does_not_grow_with_steps(
    officer, confidential, django_assert_num_queries
):
    f.CaseStepFactory(case=confidential)

    def add_rows():
        for _n in range(10):
            f.CaseStepFactory(case=confidential, kind=StepKind.FOLLOWED_UP, note="Sudah ditelepon.")

    response = same_queries_with_more_rows(
        officer,
        reverse("assistance:detail", args=[confidential.pk]),
        add_rows,
        django_assert_num_queries,
    )

    assert response.text.count("Sudah ditelepon.") == 10


def test_export_csv_confidential_row_without_name_and_logged(officer, confidential, plain):
    officer.post(reverse("assistance:list"), {"q": "a"})
    response = officer.get(reverse("assistance:export") + "?format=csv&kind=&id__in=1")

    rows = csv_rows(response)
    names = {row[0]: row[16] for row in rows[1:]}
    assert names == {str(confidential.pk): "", str(plain.pk): "Yakobus Lende"}
    entry = AccessLog.objects.data_access().get()
    assert (entry.action, entry.rows, entry.filters, entry.scope) == (
        Action.CASE_EXPORT,
        2,
        "q=*",
        "KK Mawar",
    )


def test_export_xlsx_other_officer_holds_no_confidential_row(officer_same_group, confidential):
    response = officer_same_group.get(reverse("assistance:export") + "?kind=violence")

    assert len(xlsx_rows(response)) == 1  # the header only
    assert AccessLog.objects.data_access().get().rows == 0


def test_step_refer_records_follow_up(officer, confidential, world):
    follow = (_today(world) + 7 * DAY).isoformat()

    response = officer.post(
        reverse("assistance:step", args=[confidential.pk, "referred"]),
        {
            "occurred_on": _today(world).isoformat(),
            "service": Service.UPTD_PPA,
            "contact": "Ibu Rina, 0813-1111-2222",
            "follow_up_on": follow,
            "note": "",
        },
    )

    assert response.status_code == 302
    confidential.refresh_from_db()
    assert confidential.follow_up_on.isoformat() == follow
    assert confidential.steps.get().kind == StepKind.REFERRED


def test_step_refer_without_contact_error_beside_field(officer, confidential, world):
    response = officer.post(
        reverse("assistance:step", args=[confidential.pk, "referred"]),
        {"occurred_on": _today(world).isoformat(), "service": Service.POLICE, "contact": ""},
    )

    assert response.status_code == 200
    assert "Isi kontak di layanan itu." in response.text
    assert confidential.steps.count() == 0


def test_step_with_document_stored_and_served_only_to_circle(
    officer, officer_same_group, facilitator, confidential, world
):
    upload = SimpleUploadedFile("Surat_rujukan_Agustina.pdf", b"%PDF-1.4\n%%EOF\n")
    officer.post(
        reverse("assistance:step", args=[confidential.pk, "accompanied"]),
        {"occurred_on": _today(world).isoformat(), "service": Service.POLICE, "files": upload},
    )
    document = confidential.documents.get()
    url = reverse("assistance:document", args=[document.pk])

    responses = {
        "officer": officer.get(url),
        "facilitator": facilitator.get(url),
        "officer_same_group": officer_same_group.get(url),
    }

    assert {name: r.status_code for name, r in responses.items()} == {
        "officer": 200,
        "facilitator": 200,
        "officer_same_group": 404,
    }
    assert responses["officer"]["Content-Disposition"] == (
        f'attachment; filename="kasus-{confidential.pk}-{document.pk}.pdf"'
    )
    assert AccessLog.objects.filter(action=Action.CASE_DOCUMENT).count() == 2


def test_step_facilitator_on_confidential_case_403(facilitator, confidential):
    response = facilitator.get(reverse("assistance:step", args=[confidential.pk, "referred"]))

    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["opened", "anonymised", "handlers", "nonsense", "reopened"])
def test_step_unknown_or_not_offered_kind_404(officer, confidential, kind):
    response = officer.get(reverse("assistance:step", args=[confidential.pk, kind]))

    assert response.status_code == 404


def test_print_logged_and_404_outside(officer, officer_b, confidential):
    url = reverse("assistance:print", args=[confidential.pk])

    inside = officer.get(url)
    outside = officer_b.get(url)

    assert (inside.status_code, outside.status_code) == (200, 404)
    assert SECRET_NAME in inside.text
    assert AccessLog.objects.data_access().get().action == Action.CASE_PRINT


def test_print_shows_follow_up_and_contact_in_its_own_column(officer, confidential, world):
    today = _today(world)
    case_refer(
        confidential,
        actor=officer.user,
        occurred_on=today,
        service=Service.UPTD_PPA,
        contact="Ibu Rina, 0813 1111 2222",
        follow_up_on=today + 7 * DAY,
    )

    page = officer.get(reverse("assistance:print", args=[confidential.pk])).text

    with translation.override("id"):
        follow_up = date_format(today + 7 * DAY, "j F Y")
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", page, re.S)
    ]
    assert cells[cells.index("Tindak lanjut pada") + 1] == follow_up
    assert cells[cells.index("Layanan") + 1] == "Kontak"
    referral = cells.index("Dirujuk")
    assert cells[referral + 1 : referral + 3] == [
        "UPTD PPA / P2TP2A (perlindungan perempuan dan anak)",
        "Ibu Rina, 0813 1111 2222",
    ]


def test_edit_shows_old_and_new_values(officer, confidential):
    officer.post(
        reverse("assistance:edit", args=[confidential.pk]),
        {
            "need": Need.VIOLENCE_WOMAN,
            "person_name": "Agustina L.",
            "person_sex": "F",
            "person_age_group": "",
            "person_village": confidential.person_village_id,
            "person_phone": "",
            "description": confidential.description,
        },
    )

    response = officer.get(reverse("assistance:detail", args=[confidential.pk]))

    assert "Nama orang yang dibantu: “Agustina Lamabelawa” → “Agustina L.”" in response.text
    assert "diubah oleh Siti" in response.text


def test_handlers_officer_hands_case_on_and_loses_it(officer, officer_same_group, confidential):
    response = officer.post(
        reverse("assistance:handlers", args=[confidential.pk]),
        {"handlers": [officer_same_group.user.pk]},
    )

    assert response.url == reverse("assistance:list")
    listed = officer.get(response.url).text
    assert "hanya pengurus yang menanganinya dan fasilitator kabupaten/kota" in listed
    assert officer.get(confidential.get_absolute_url()).status_code == 404
    assert officer_same_group.get(confidential.get_absolute_url()).status_code == 200


def test_handlers_foreign_officer_id_404(facilitator, confidential, world):
    stranger = f.UserFactory(role="officer", group=world.group_a2)

    response = facilitator.post(
        reverse("assistance:handlers", args=[confidential.pk]), {"handlers": [stranger.pk]}
    )

    assert response.status_code == 404


def test_member_anonymised_her_case_names_her_once_and_keeps_its_own_consent(officer, world):
    member = f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti")
    case = f.AssistanceCaseFactory(
        group=world.group_a1, member=member, person_name="", description="Butuh KTP."
    )
    officer.post(
        reverse("members:anonymise", args=[member.pk]),
        {"reason": "Persetujuan ditarik", "confirm": "on"},
    )

    page = officer.get(case.get_absolute_url()).text

    assert "Wa Ode" not in page
    assert "(anggota, data pribadi sudah dihapus)" in page
    assert "(anggota, data pribadi sudah dihapus) <span" not in page
    assert "Butuh KTP." in page


def test_consent_withdrawn_before_the_case_opened_refused_beside_the_date(officer, confidential):
    url = reverse("assistance:consent", args=[confidential.pk])
    before = confidential.opened_on - DAY

    response = officer.post(url, {"occurred_on": before.isoformat(), "confirm": "on"})

    assert response.status_code == 200
    assert "Tanggal tidak boleh sebelum kasus dibuka" in response.text
    confidential.refresh_from_db()
    assert (confidential.is_anonymous, confidential.person_name) == (False, SECRET_NAME)


def test_consent_withdrawn_needs_tick_then_anonymises(officer, confidential, world):
    url = reverse("assistance:consent", args=[confidential.pk])

    unticked = officer.post(url, {"occurred_on": _today(world).isoformat()})
    ticked = officer.post(
        url, {"occurred_on": _today(world).isoformat(), "confirm": "on"}, follow=True
    )

    assert unticked.status_code == 200
    assert "Bidang ini tidak boleh kosong." in unticked.text
    confidential.refresh_from_db()
    assert confidential.is_anonymous
    assert (confidential.status, confidential.person_name) == (Status.CLOSED, "")
    assert SECRET_NAME not in ticked.text
    assert "Hitungan tanpa nama" in ticked.text
