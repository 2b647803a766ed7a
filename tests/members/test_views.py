"""Member pages: scoping, forms that accept what people type, search, pagination, and a
returning member registered again."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member
from tests import factories as f
from tests.helpers import same_queries_with_more_rows
from tests.members.access import ACCESS

ROLES = ["officer", "officer_b", "facilitator", "facilitator_b", "programme", "dprd"]


@pytest.fixture
def member_a1(world):
    return f.MemberFactory(
        group=world.group_a1, full_name="Yohana Mambrasar", phone="+6281234567890"
    )


def _get(request, role):
    return request.getfixturevalue(role)


def _member_data(**overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Sumiyati",
        "sex": "F",
        "birth_year": "1980",
        "nik": "",
        "phone": "0812-3456-7890",
        "address": "",
        "position": "member",
        "poverty_evidence": "",
        "joined_on": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _returning_member_data(**overrides):
    """A member who may be registered again: "Ma’ruf Letsoin", born 1975."""
    return _member_data(
        **{
            "full_name": "Ma’ruf Letsoin",
            "sex": "M",
            "birth_year": "1975",
            "phone": "",
            **overrides,
        }
    )


def test_member_detail_and_edit_show_the_member(officer, member_a1):
    for name in ("members:detail", "members:edit"):
        response = officer.get(reverse(name, args=[member_a1.pk]))

        assert "Yohana Mambrasar" in response.text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["members:leave", "members:anonymise"])
def test_member_actions_refused_by_the_matrix_change_nothing(request, member_a1, role, name):
    client = _get(request, role)
    status = ACCESS[name].statuses("post")[role]

    response = client.post(reverse(name, args=[member_a1.pk]))

    member_a1.refresh_from_db()
    assert response.status_code == status
    if status != 302:
        assert member_a1.full_name == "Yohana Mambrasar"
        assert member_a1.left_on is None


def test_member_list_officer_sees_only_own_group(officer, world, member_a1):
    f.MemberFactory(group=world.group_a2, full_name="Orang Melati")
    f.MemberFactory(group=world.group_b1, full_name="Orang Anggrek")

    response = officer.get(reverse("members:list"))

    names = [m.full_name for m in response.context["page_obj"]]
    assert names == ["Yohana Mambrasar"]
    assert "Orang Melati" not in response.text


def test_member_list_facilitator_sees_regency_only(facilitator, world, member_a1):
    f.MemberFactory(group=world.group_a2, full_name="Orang Melati")
    f.MemberFactory(group=world.group_b1, full_name="Orang Anggrek")

    response = facilitator.get(reverse("members:list"))

    names = sorted(m.full_name for m in response.context["page_obj"])
    assert names == ["Orang Melati", "Yohana Mambrasar"]


@pytest.mark.parametrize("value", ["group_b1", "999999", "abc"])
def test_member_list_tampered_group_filter_answers_404(facilitator, world, value):
    f.MemberFactory(group=world.group_b1, full_name="Orang Anggrek")
    group = world.group_b1.pk if value == "group_b1" else value

    response = facilitator.get(reverse("members:list"), {"group": group})

    assert response.status_code == 404
    assert "Orang Anggrek" not in response.text


def test_member_list_bad_choice_value_is_message_not_404(officer, member_a1):
    response = officer.get(reverse("members:list"), {"sex": "X"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["sex"]
    assert list(response.context["page_obj"]) == []


def test_member_list_search_does_not_leak(officer_b, member_a1):
    response = officer_b.get(reverse("members:list"), {"q": "Yohana"})

    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("query", ["Ma'ruf", "Ma\u2019ruf", "maruf", "MARUF"])
def test_member_search_apostrophes_and_case_find_same_person(officer, world, query):
    f.MemberFactory(group=world.group_a1, full_name="Ma'ruf Letsoin")
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti")

    response = officer.get(reverse("members:list"), {"q": query})

    assert [m.full_name for m in response.context["page_obj"]] == ["Ma'ruf Letsoin"]
    assert "Ma&#x27;ruf Letsoin" in response.text or "Ma'ruf Letsoin" in response.text


def test_member_search_title_name_found_by_given_name(officer, world):
    f.MemberFactory(group=world.group_a1, full_name="Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.")

    response = officer.get(reverse("members:list"), {"q": "Nurhayati"})

    assert [m.full_name for m in response.context["page_obj"]] == [
        "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si."
    ]


def test_member_list_filters_poor_women(officer, world):
    f.MemberFactory(group=world.group_a1, full_name="Ina Miskin", sex="F", is_poor=True)
    f.MemberFactory(group=world.group_a1, full_name="Ina Cukup", sex="F")
    f.MemberFactory(group=world.group_a1, full_name="Bapak Miskin", sex="M", is_poor=True)

    response = officer.get(reverse("members:list"), {"sex": "F", "is_poor": "yes"})

    assert [m.full_name for m in response.context["page_obj"]] == ["Ina Miskin"]


def test_member_list_left_members_filtered_out_when_active_yes(officer, world):
    f.MemberFactory(group=world.group_a1, full_name="Masih Aktif")
    f.MemberFactory(
        group=world.group_a1, full_name="Sudah Keluar", left_on=datetime.date(2025, 1, 1)
    )

    response = officer.get(reverse("members:list"), {"active": "yes"})

    assert [m.full_name for m in response.context["page_obj"]] == ["Masih Aktif"]


def test_member_list_pagination_keeps_filters(officer, world):
    for n in range(25):
        f.MemberFactory(group=world.group_a1, full_name=f"Ibu {n:02d}", sex="F")
    f.MemberFactory(group=world.group_a1, full_name="Bapak Satu", sex="M")

    first = officer.get(reverse("members:list"), {"sex": "F"})
    second = officer.get(reverse("members:list"), {"sex": "F", "page": "2"})

    assert "?sex=F&amp;page=2" in first.text
    assert [m.full_name for m in second.context["page_obj"]] == [
        f"Ibu {n:02d}" for n in range(20, 25)
    ]


@pytest.mark.parametrize("page", ["9", "abc", "-1"])
def test_member_list_stale_page_number_is_not_404(officer, world, member_a1, page):
    response = officer.get(reverse("members:list"), {"page": page})

    assert response.status_code == 200
    assert [m.full_name for m in response.context["page_obj"]] == ["Yohana Mambrasar"]


def test_member_list_same_query_count_1_and_50_rows(officer, world, django_assert_num_queries):
    f.MemberFactory(group=world.group_a1)
    url = reverse("members:list")
    with CaptureQueriesContext(connection) as one_row:
        officer.get(url)
    f.MemberFactory.create_batch(49, group=world.group_a1)

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = officer.get(url)

    assert len(response.context["page_obj"]) == 20


@pytest.mark.parametrize(
    "name",
    [
        "Sumiyati",
        "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.",
        "dr. Yakobus Lende, Sp.A",
        "La Ode Muh. Rizal",
    ],
)
def test_member_create_accepts_real_names_as_typed(officer, world, name):
    response = officer.post(reverse("members:create"), _member_data(full_name=f"  {name} "))

    member = Member.objects.get()
    assert response.status_code == 302
    assert member.full_name == name
    assert member.group == world.group_a1
    detail = officer.get(member.get_absolute_url())
    assert f"<h1>{name}</h1>" in detail.text.replace("&#x27;", "'")


@pytest.mark.parametrize("phone", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_member_create_phone_stored_normalised(officer, world, phone):
    officer.post(reverse("members:create"), _member_data(phone=phone))

    assert Member.objects.get().phone == "+6281234567890"


def test_member_create_bad_phone_message_beside_field_values_kept(officer, world):
    response = officer.post(
        reverse("members:create"), _member_data(phone="12ab", full_name="Maria Bere")
    )

    assert response.status_code == 200
    assert Member.objects.count() == 0
    assert response.context["form"].errors["phone"]
    assert 'value="Maria Bere"' in response.text


def test_member_create_duplicate_nik_is_form_error(officer, world):
    f.MemberFactory(group=world.group_b1, nik="9471024506880007")

    response = officer.post(reverse("members:create"), _member_data(nik="9471 0245 0688 0007"))

    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == ["Anggota dengan NIK ini sudah terdaftar."]
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    "nik", ["123", "94710245068800071", "9.47102450688e+15", "abcdefghijklmnop"]
)
def test_member_create_bad_nik_rejected(officer, world, nik):
    response = officer.post(reverse("members:create"), _member_data(nik=nik))

    assert response.status_code == 200
    assert response.context["form"].errors["nik"]
    assert Member.objects.count() == 0


def test_member_create_nik_stored_as_16_digit_text(officer, world):
    officer.post(reverse("members:create"), _member_data(nik="9471-0245-0688-0007"))

    assert Member.objects.get().nik == "9471024506880007"


@pytest.mark.parametrize("year", ["1850", "2999", "abc"])
def test_member_create_implausible_birth_year_rejected(officer, world, year):
    response = officer.post(reverse("members:create"), _member_data(birth_year=year))

    assert response.status_code == 200
    assert response.context["form"].errors["birth_year"]


def test_member_create_without_consent_rejected(officer, world):
    data = _member_data()
    del data["consent"]

    response = officer.post(reverse("members:create"), data)

    assert response.context["form"].errors["consent"]
    assert Member.objects.count() == 0


def test_member_create_records_consent_date(officer, world):
    officer.post(reverse("members:create"), _member_data())

    assert Member.objects.get().consent_given_on is not None


def test_member_create_double_tap_makes_one_member(officer, world):
    data = _member_data(nik="9471024506880007")

    first = officer.post(reverse("members:create"), data)
    second = officer.post(reverse("members:create"), data)

    member = Member.objects.get()
    assert first.url == second.url == member.get_absolute_url()


def test_member_create_form_has_token_and_script(officer, world):
    response = officer.get(reverse("members:create"))

    assert 'name="submission_token"' in response.text
    assert "js/app.js" in response.text


def test_member_create_officer_cannot_post_other_group(officer, world):
    officer.post(reverse("members:create"), _member_data(group=world.group_b1.pk))

    assert Member.objects.get().group == world.group_a1


def test_member_create_facilitator_chooses_regency_group(facilitator, world):
    response = facilitator.post(reverse("members:create"), _member_data(group=world.group_a2.pk))

    assert response.status_code == 302
    assert Member.objects.get().group == world.group_a2


def test_member_create_facilitator_tampered_group_answers_404(facilitator, world):
    response = facilitator.post(reverse("members:create"), _member_data(group=world.group_b1.pk))

    assert response.status_code == 404
    assert Member.objects.count() == 0


def test_member_edit_facilitator_tampered_group_answers_404(facilitator, world, member_a1):
    data = _member_data(group=world.group_b1.pk)

    response = facilitator.post(reverse("members:edit", args=[member_a1.pk]), data)

    member_a1.refresh_from_db()
    assert response.status_code == 404
    assert member_a1.group == world.group_a1


def test_member_edit_keeps_id_above_999_raw(officer, world):
    member = f.MemberFactory(group=world.group_a1, id=1234)

    response = officer.get(reverse("members:detail", args=[member.pk]))

    assert 'href="/members/1234/edit/"' in response.text


def test_member_edit_saves_changes(officer, member_a1):
    data = _member_data(full_name="Yohana M.", phone="0813 1111 2222")
    del data["submission_token"]

    response = officer.post(reverse("members:edit", args=[member_a1.pk]), data)

    member_a1.refresh_from_db()
    assert response.status_code == 302
    assert (member_a1.full_name, member_a1.phone) == ("Yohana M.", "+6281311112222")


def test_member_leave_marks_left_and_keeps_row(officer, member_a1):
    officer.post(reverse("members:leave", args=[member_a1.pk]))

    member_a1.refresh_from_db()
    assert member_a1.left_on is not None
    assert Member.objects.filter(pk=member_a1.pk).exists()


def test_member_anonymise_clears_personal_fields_keeps_counts(officer, world):
    member = f.MemberFactory(
        group=world.group_a1,
        full_name="Maria Bere",
        nik="9471024506880007",
        phone="+6281234567890",
        is_poor=True,
    )

    officer.post(
        reverse("members:anonymise", args=[member.pk]),
        {"reason": "Diminta anggota", "confirm": "on"},
    )

    member.refresh_from_db()
    assert (member.full_name, member.nik, member.phone) == ("", None, "")
    assert (member.sex, member.is_poor) == ("F", True)
    assert "Maria Bere" not in officer.get(reverse("members:list")).text
    assert officer.get(reverse("members:edit", args=[member.pk])).status_code == 302


def test_member_pages_render_in_english_and_indonesian(officer, member_a1):
    officer.cookies["django_language"] = "en"
    english = officer.get(reverse("members:list"))

    assert "Members" in english.text
    assert "Yohana Mambrasar" in english.text


@pytest.mark.parametrize("query", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_member_search_by_phone_any_form_finds_same_person(officer, member_a1, world, query):
    f.MemberFactory(group=world.group_a1, full_name="Orang Lain", phone="+6281399998888")

    response = officer.get(reverse("members:list"), {"q": query})

    assert [m.full_name for m in response.context["page_obj"]] == ["Yohana Mambrasar"]


def test_member_edit_left_before_joined_message_beside_field(officer, member_a1):
    data = _member_data(joined_on="2020-05-01", left_on="2019-01-01")
    del data["submission_token"]

    response = officer.post(reverse("members:edit", args=[member_a1.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["left_on"] == [
        "Tanggal keluar tidak boleh sebelum tanggal bergabung."
    ]


@pytest.mark.parametrize(
    "params",
    [{"q": "a\x00b"}, {"page": "99999999999999999999"}, {"sex": "Z"}, {"q": "x" * 5000}],
)
def test_member_list_odd_input_never_500(officer, member_a1, params):
    response = officer.get(reverse("members:list"), params)

    assert response.status_code == 200


def test_member_create_same_folded_name_and_birth_year_asks_confirmation(officer, world):
    from members.models import Member

    officer.post(reverse("members:create"), _returning_member_data())
    again = _returning_member_data(full_name="maruf letsoin")

    warned = officer.post(reverse("members:create"), again)

    assert Member.objects.count() == 1
    errors = warned.context["form"].errors["different_person"]
    assert "Ma'ruf Letsoin" in errors[0]
    assert 'name="different_person"' in warned.text

    confirmed = officer.post(reverse("members:create"), {**again, "different_person": "on"})

    assert confirmed.status_code == 302
    assert Member.objects.count() == 2


@pytest.mark.parametrize(
    "other",
    [{"full_name": "Maruf Letsoin Dua"}, {"birth_year": "1976"}],
)
def test_member_create_without_probable_duplicate_saves_at_once(officer, world, other):
    from members.models import Member

    officer.post(reverse("members:create"), _returning_member_data())

    response = officer.post(reverse("members:create"), _returning_member_data(**other))

    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_member_create_same_name_in_another_group_saves_at_once(officer, officer_b, world):
    from members.models import Member

    officer.post(reverse("members:create"), _returning_member_data())

    response = officer_b.post(
        reverse("members:create"), _returning_member_data(full_name="maruf letsoin")
    )

    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_member_create_form_has_no_confirmation_box_at_first(officer):
    assert 'name="different_person"' not in officer.get(reverse("members:create")).text


def test_member_list_facilitator_same_query_count(facilitator, world, django_assert_num_queries):
    f.MemberFactory(group=world.group_a1)

    def add_rows():
        f.MemberFactory.create_batch(25, group=world.group_a1)
        f.MemberFactory.create_batch(24, group=world.group_a2)

    response = same_queries_with_more_rows(
        facilitator, reverse("members:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50


def _nik_errors(response):
    """The NIK field's message as drawn beside it: the HTML of its error list."""
    html = response.text
    start = html.index('<div class="field field-nik')
    list_start = html.index('<ul class="errorlist', start)
    return html[list_start : html.index("</ul>", list_start) + len("</ul>")]


def test_member_create_duplicate_nik_links_to_the_member_the_officer_sees(officer, world):
    existing = f.MemberFactory(
        group=world.group_a1, full_name="Ma’ruf Letsoin", nik="9471024506880007"
    )

    response = officer.post(reverse("members:create"), _member_data(nik="9471.0245.0688.0007"))

    assert _nik_errors(response) == (
        '<ul class="errorlist" id="id_nik_error"><li>Anggota dengan NIK ini sudah terdaftar. '
        f'<a href="/members/{existing.pk}/">Ma’ruf Letsoin</a></li></ul>'
    )
    assert Member.objects.count() == 1


def test_member_create_duplicate_nik_outside_scope_names_nobody(officer, world):
    f.MemberFactory(group=world.group_b1, full_name="Yohana Mambrasar", nik="9471024506880007")

    response = officer.post(reverse("members:create"), _member_data(nik="9471024506880007"))

    assert _nik_errors(response) == (
        '<ul class="errorlist" id="id_nik_error"><li>Anggota dengan NIK ini sudah terdaftar.</li>'
        "</ul>"
    )
    assert "Mambrasar" not in response.text
    assert Member.objects.count() == 1


def test_member_edit_duplicate_nik_of_another_group_links_for_the_facilitator(facilitator, world):
    existing = f.MemberFactory(group=world.group_a2, full_name="Sumiyati", nik="9471024506880007")
    member = f.MemberFactory(group=world.group_a1, full_name="Maria Bere", birth_year=1980)

    response = facilitator.post(
        reverse("members:edit", args=[member.pk]),
        _member_data(group=world.group_a1.pk, full_name="Maria Bere", nik="9471024506880007"),
    )

    assert _nik_errors(response) == (
        '<ul class="errorlist" id="id_nik_error"><li>Anggota dengan NIK ini sudah terdaftar. '
        f'<a href="/members/{existing.pk}/">Sumiyati</a></li></ul>'
    )
    member.refresh_from_db()
    assert member.nik is None
