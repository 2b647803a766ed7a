"""Importing members' public roles (``imports/public_roles.py``): each row matched to a
member of its group, never a new member; a role already recorded is unchanged."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members.models import PublicRole, PublicRoleKind
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file, upload, xlsx_file

HEADER = ["nama", "nik", "tahun_lahir", "kelompok", "peran", "keterangan", "tanggal_mulai"]


def roles_file(rows, header=HEADER):
    return csv_file([header, *rows], name="peran.csv")


def upload_roles(client, rows, *, header=HEADER, **where):
    return upload(client, roles_file(rows, header), kind="public_roles", **where)


def test_a_role_is_recorded_for_the_matched_member_and_a_second_import_creates_nothing(
    facilitator, world
):
    by_nik = f.MemberFactory(group=world.group_a1, full_name="Yohana", nik="9471024506880007")
    by_name = f.MemberFactory(group=world.group_a2, full_name="Hj. Nurhayati", birth_year=1979)
    rows = [
        ["yohana", "9471024506880007", "", "KK Mawar", "Anggota BPD", "BPD Alfa", "01/06/2020"],
        ["HJ. NURHAYATI", "", "", "KK Melati", "kader posyandu", "", "15/01/2022"],
    ]

    first = confirm(facilitator, upload_roles(facilitator, rows, regency=world.regency_a))
    again = upload_roles(facilitator, rows, regency=world.regency_a)
    page = facilitator.get(again.get_absolute_url() + "?show=all")
    again = confirm(facilitator, again)

    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    assert sorted(PublicRole.objects.values_list("member", "kind", "started_on")) == sorted(
        [
            (by_nik.pk, PublicRoleKind.BPD, datetime.date(2020, 6, 1)),
            (by_name.pk, PublicRoleKind.POSYANDU, datetime.date(2022, 1, 15)),
        ]
    )
    assert "tidak berubah" in page.text


def test_the_preview_shows_what_a_new_role_writes(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    job = upload_roles(
        facilitator,
        [["Yohana", "", "", "", "ketua RT", "RT 003", "01/06/2020"]],
        group=world.group_a1,
    )

    page = facilitator.get(job.get_absolute_url())

    assert actions(job) == [(2, "create")]
    assert "Jenis: Ketua RT" in page.text
    assert "1 Juni 2020" in page.text


def test_a_row_matching_no_member_is_an_error_quoting_the_cell_and_creates_no_member(
    facilitator, world
):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    job = upload_roles(
        facilitator,
        [["Maria Goreti", "", "", "", "anggota BPD", "", "01/06/2020"]],
        group=world.group_a1,
    )

    page = facilitator.get(job.get_absolute_url())
    confirm(facilitator, job)

    assert actions(job) == [(2, "error")]
    assert "kolom nama, nilai 'Maria Goreti': Tidak ada anggota yang cocok" in page.text
    assert PublicRole.objects.count() == 0


def test_cells_are_read_by_the_forms_rules_and_quoted_as_typed(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    header = [*HEADER, "partai", "tahun_pemilu"]
    job = upload_roles(
        facilitator,
        [
            ["Yohana", "", "", "", "Ketua Kampung", "", "01/06/2020", "", ""],
            ["Yohana", "", "", "", "caleg DPRD", "", "01/06/2023", "", "2024"],
            ["Yohana", "", "", "", "ketua RW", "", "31/02/2020", "", ""],
        ],
        header=header,
        group=world.group_a1,
    )

    errors = {row.number: row.errors for row in job.rows.all()}

    assert actions(job) == [(2, "error"), (3, "error"), (4, "error")]
    assert errors[2][0]["column"] == "peran" and errors[2][0]["value"] == "Ketua Kampung"
    assert errors[3] == [{"column": "partai", "value": "", "message": "Tulis partai calon."}]
    assert errors[4][0]["column"] == "tanggal_mulai" and errors[4][0]["value"] == "31/02/2020"


def test_a_group_outside_the_facilitators_regency_is_an_error_on_its_row(facilitator, world):
    f.MemberFactory(group=world.group_b1, full_name="Yohana")
    job = upload_roles(
        facilitator,
        [["Yohana", "", "", "KK Anggrek", "anggota BPD", "", "01/06/2020"]],
        regency=world.regency_a,
    )

    assert actions(job) == [(2, "error")]
    assert job.rows.get().errors[0]["column"] == "kelompok"
    assert job.rows.get().errors[0]["value"] == "KK Anggrek"


def test_two_namesakes_are_chosen_in_the_preview_and_never_a_new_member(facilitator, world):
    namesakes = [
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik)
        for nik in ("9471024506880007", "9471024506880015")
    ]
    job = upload_roles(
        facilitator,
        [["Yohanis Wenda", "", "", "", "ketua RT", "", "01/06/2020"]],
        group=world.group_a1,
    )
    row = job.rows.get()
    page = facilitator.get(job.get_absolute_url())
    resolve = reverse("imports:resolve", args=[job.pk])

    facilitator.post(resolve, {f"row-{row.pk}": "new"})
    row.refresh_from_db()
    refused = row.resolution
    facilitator.post(resolve, {f"row-{row.pk}": str(namesakes[1].pk)})
    written = confirm(facilitator, job)

    assert actions(job) == [] and written.created == 1
    assert "2 anggota cocok" in page.text
    assert 'value="new"' not in page.text
    assert refused == ""
    assert PublicRole.objects.get().member == namesakes[1]


def test_the_same_role_twice_in_a_file_is_an_error_on_the_second_row(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    row = ["Yohana", "", "", "", "anggota BPD", "", "01/06/2020"]
    job = upload_roles(facilitator, [row, row], group=world.group_a1)

    assert actions(job) == [(2, "create"), (3, "error")]


def test_the_template_imports_back_through_the_reader(facilitator, world):
    f.MemberFactory(
        group=world.group_a1, full_name="Hj. Nurhayati Daeng Ngai, S.Pd.", birth_year=1979
    )
    response = facilitator.get(reverse("imports:template", args=["public_roles"]))
    book = load_workbook(io.BytesIO(response.content))

    job = upload(
        facilitator,
        SimpleUploadedFile("templat.xlsx", response.content),
        group=world.group_a1,
        kind="public_roles",
    )
    written = confirm(facilitator, job)

    assert book.sheetnames == ["Peran", "Petunjuk"]
    assert [c.value for c in book["Peran"][1]][4:7] == ["kelompok", "peran", "keterangan"]
    assert job.ignored_columns == []
    assert written.created == 1
    assert PublicRole.objects.get().kind == PublicRoleKind.BPD


def test_the_three_forms_of_one_phone_number_match_the_member(facilitator, world):
    member = f.MemberFactory(group=world.group_a1, full_name="Yohana", phone="+6281234567890")
    header = ["nama", "hp", "peran", "tanggal_mulai"]
    rows = [
        ["Yohana", typed, "ketua RT", f"0{day}/06/2020"]
        for day, typed in enumerate(["+62 812-3456-7890", "6281234567890", "0812 3456 7890"], 1)
    ]

    job = confirm(facilitator, upload_roles(facilitator, rows, header=header, group=world.group_a1))

    assert job.created == 3
    assert set(PublicRole.objects.values_list("member", flat=True)) == {member.pk}


def test_a_candidacy_keeps_its_party_year_and_result_and_another_role_keeps_none(
    facilitator, world
):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    header = ["nama", "peran", "partai", "tahun_pemilu", "hasil", "tanggal_mulai"]
    rows = [
        ["Yohana", "caleg DPRD", "Partai Mawar", "2024", "tidak terpilih", "01/06/2023"],
        ["Yohana", "ketua RW", "Partai Mawar", "", "", "01/06/2020"],
    ]

    job = upload_roles(facilitator, rows, header=header, group=world.group_a1)
    page = facilitator.get(job.get_absolute_url())
    confirm(facilitator, job)

    assert "Hasil: Tidak terpilih" in page.text
    assert page.text.count("Partai: Partai Mawar") == 1
    assert sorted(PublicRole.objects.values_list("kind", "party", "election_year", "result")) == [
        (PublicRoleKind.CANDIDATE_DPRD, "Partai Mawar", 2024, PublicRole.Result.NOT_ELECTED),
        (PublicRoleKind.RW_HEAD, "", None, PublicRole.Result.NONE),
    ]


def test_a_placeholder_nik_never_matches_and_a_nik_typed_as_a_number_is_an_error(
    facilitator, world
):
    f.MemberFactory(group=world.group_a1, full_name="Yohana", nik="9471024506880007")
    job = upload(
        facilitator,
        xlsx_file(
            [
                ["nama", "nik", "peran", "tanggal_mulai"],
                ["Maria", "0", "ketua RT", "01/06/2020"],
                ["Yohana", 9471024506880007, "ketua RT", "01/06/2020"],
            ],
            sheet="Peran",
        ),
        group=world.group_a1,
        kind="public_roles",
    )

    errors = {row.number: [e["column"] for e in row.errors] for row in job.rows.all()}

    assert actions(job) == [(2, "error"), (3, "error")]
    assert errors == {2: ["nama"], 3: ["nik"]}


def test_two_imports_of_one_file_confirmed_one_after_the_other_record_the_role_once(
    facilitator, world
):
    f.MemberFactory(group=world.group_a1, full_name="Yohana")
    rows = [["Yohana", "", "", "", "anggota BPD", "", "01/06/2020"]]
    first = upload_roles(facilitator, rows, group=world.group_a1)
    second = upload_roles(facilitator, rows, group=world.group_a1)

    first, second = confirm(facilitator, first), confirm(facilitator, second)

    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert PublicRole.objects.count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_exporting_the_roles_and_importing_them_again_changes_nothing(
    facilitator, world, fmt, language
):
    yohana = f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar")
    sumiyati = f.MemberFactory(group=world.group_a2, full_name="Sumiyati")
    f.PublicRoleFactory(member=yohana, ended_on=datetime.date(2023, 12, 31))
    f.PublicRoleFactory(
        member=yohana,
        kind=PublicRoleKind.CANDIDATE_DPRD,
        description="Dapil 2",
        party="Partai Contoh",
        election_year=2024,
        result=PublicRole.Result.ELECTED,
        started_on=datetime.date(2023, 5, 14),
    )
    f.PublicRoleFactory(
        member=sumiyati,
        kind=PublicRoleKind.POSYANDU,
        description="",
        started_on=datetime.date(2022, 1, 15),
    )
    before = list(PublicRole.objects.order_by("pk").values())

    # The export writes its headers and labels in the user's chosen language; the import
    # then runs in Indonesian, reading either.
    facilitator.post(reverse("set_language"), {"language": language, "next": "/"})
    exported = facilitator.get(reverse("members:role_export"), {"format": fmt})
    facilitator.post(reverse("set_language"), {"language": "id", "next": "/"})
    content = b"".join(exported.streaming_content) if exported.streaming else exported.getvalue()
    job = upload(
        facilitator,
        SimpleUploadedFile(f"peran-publik.{fmt}", content),
        regency=world.regency_a,
        kind="public_roles",
    )
    previewed, ignored = actions(job), job.ignored_columns
    written = confirm(facilitator, job)

    assert ignored == [{"id": "Jenis kelamin", "en": "Sex"}[language]]
    assert previewed == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    assert (written.created, written.updated, written.unchanged, written.errors) == (0, 0, 3, 0)
    assert list(PublicRole.objects.order_by("pk").values()) == before
