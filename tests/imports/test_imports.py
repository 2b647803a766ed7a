"""Importing members from spreadsheets: the file is read, previewed row by row, and written
in one transaction only when confirmed (``imports/services.py``)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob, ImportRow
from members.models import Member
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file, upload, xlsx_file

HEADER = ["nama", "jenis_kelamin", "tahun_lahir", "nik", "hp"]


def messages_of(job):
    return [
        (row.number, e["column"], e["value"], e["message"])
        for row in job.rows.order_by("number")
        for e in row.errors
    ]


def test_a_csv_with_and_without_the_byte_order_mark_imports_the_same(facilitator, world):
    lines = [
        [" NIK ", "Nama", "JENIS_KELAMIN"],
        ["9471024506880007", "Yohana Mambrasar", "P"],
        ["9471024506880015", "Sumiyati", "P"],
    ]

    with_bom = upload(facilitator, csv_file(lines, bom=True), group=world.group_a1)
    without = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert actions(with_bom) == actions(without) == [(2, "create"), (3, "create")]
    assert with_bom.rows.get(number=2).values["nik"] == "9471024506880007"
    assert confirm(facilitator, with_bom).created == 2
    assert sorted(Member.objects.values_list("full_name", "nik")) == [
        ("Sumiyati", "9471024506880015"),
        ("Yohana Mambrasar", "9471024506880007"),
    ]


def test_a_semicolon_csv_is_split_on_semicolons_and_keeps_the_decimal_comma(facilitator, world):
    from aspirations.money import parse_rupiah
    from imports.readers import header_key, open_table

    lines = [
        ["nama", "jenis_kelamin", "desa", "bantuan"],
        ["Maria Goreti Bere", "P", "Desa Tanjung Luar", "1.500.000,00"],
    ]
    columns = {header_key(h): h for h in lines[0]}

    table = open_table(
        csv_file(lines, delimiter=";"), name="a.csv", sheet="Anggota", columns=columns
    )
    rows = list(table.rows())
    job = upload(facilitator, csv_file(lines, delimiter=";"), group=world.group_a1)

    assert rows == [
        (
            2,
            {
                "nama": "Maria Goreti Bere",
                "jenis_kelamin": "P",
                "desa": "Desa Tanjung Luar",
                "bantuan": "1.500.000,00",
            },
        )
    ]
    assert str(parse_rupiah(rows[0][1]["bantuan"])) == "1500000.00"
    assert (actions(job), job.rows.get().values["sex"]) == ([(2, "create")], "F")
    assert job.ignored_columns == ["desa", "bantuan"]


def test_a_header_read_as_one_column_with_semicolons_is_refused(facilitator, world):
    job = upload(facilitator, csv_file([["naam;geslacht"], ["Maria;P"]]), group=world.group_a1)

    assert job.status == ImportJob.Status.REFUSED
    assert "satu kolom yang berisi ';'" in job.message
    assert "0 baris diimpor" in job.message


def test_the_only_sheet_is_read_whatever_its_name_and_the_header_below_a_title(facilitator, world):
    rows = [
        ["Daftar anggota KK Mawar 2024"],
        [],
        ["Nama", "Jenis kelamin"],
        ["Sumiyati", "Perempuan"],
    ]

    job = upload(facilitator, xlsx_file(rows, sheet="Sheet1"), group=world.group_a1)

    assert actions(job) == [(4, "create")]
    page = facilitator.get(confirm(facilitator, job).get_absolute_url())
    assert "1 dibuat, 0 diperbarui, 0 tidak berubah, 0 dilewati" in page.text


def test_a_workbook_without_the_kinds_sheet_is_refused_with_zero_rows(facilitator, world):
    job = upload(
        facilitator,
        xlsx_file(
            [["nama", "jenis_kelamin"], ["Sumiyati", "P"]], sheet="Sheet1", extra_sheets=["Sheet2"]
        ),
        group=world.group_a1,
    )

    page = facilitator.get(job.get_absolute_url())
    assert job.status == ImportJob.Status.REFUSED
    assert job.message.startswith("sheet 'Anggota' tidak ditemukan, 0 baris diimpor")
    assert "tidak ditemukan, 0 baris diimpor (berkas ini berisi: Sheet1, Sheet2)" in page.text
    assert "msg-success" not in page.text
    assert Member.objects.count() == 0


def test_an_import_that_changes_nothing_never_says_success(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Sumiyati", birth_year=None)
    job = upload(
        facilitator, csv_file([["nama", "jenis_kelamin"], ["Sumiyati", "P"]]), group=world.group_a1
    )

    previewed = actions(job)
    page = facilitator.get(confirm(facilitator, job).get_absolute_url())

    assert previewed == [(2, "unchanged")]
    assert "msg-success" not in page.text
    assert "Tidak ada perubahan: 0 dibuat, 0 diperbarui, 1 tidak berubah, 0 dilewati." in page.text


def test_sex_is_read_by_code_label_and_synonym_and_anything_else_is_refused(facilitator, world):
    values = ["L", "P", "Laki-laki", "Perempuan", "PEREMPUAN", " P ", "Wanita", "X"]
    lines = [["nama", "jenis_kelamin"]] + [[f"Orang {i}", value] for i, value in enumerate(values)]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    sexes = [row.values.get("sex") for row in job.rows.order_by("number")]
    assert sexes == ["M", "F", "M", "F", "F", "F", "F", None]
    assert messages_of(job) == [
        (
            9,
            "jenis_kelamin",
            "X",
            "Nilai yang diterima: P, Perempuan, Wanita, F; L, Laki-laki, Pria, M.",
        )
    ]


def test_placeholder_niks_make_separate_members_and_never_match(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "nik"],
        ["Yakobus Lende", "L", "0"],
        ["Sumiyati", "P", ""],
        ["La Ode Rizal", "L", "-"],
    ]

    first = confirm(facilitator, upload(facilitator, csv_file(lines), group=world.group_a1))
    again = confirm(facilitator, upload(facilitator, csv_file(lines), group=world.group_a1))

    assert (first.created, again.created, again.unchanged) == (3, 0, 3)
    assert list(Member.objects.order_by("full_name").values_list("full_name", "nik")) == [
        ("La Ode Rizal", None),
        ("Sumiyati", None),
        ("Yakobus Lende", None),
    ]


def test_a_nik_typed_as_a_number_in_excel_is_an_error_on_its_row(facilitator, world):
    rows = [
        ["nama", "jenis_kelamin", "nik"],
        ["Yohana Mambrasar", "P", 9471024506880007],
        ["Sumiyati", "P", "9471024506880015"],
    ]

    job = upload(facilitator, xlsx_file(rows), group=world.group_a1)
    refused = facilitator.post(reverse("imports:confirm", args=[job.pk]), follow=True)

    assert actions(job) == [(2, "error"), (3, "create")]
    [(number, column, value, message)] = messages_of(job)
    # The cell holds what Excel kept of the number: shown, never stored.
    assert (number, column, value[:15]) == (2, "nik", "947102450688000")
    assert message.startswith("NIK terbaca sebagai angka")
    assert "Tidak ada yang diimpor" in refused.text
    assert Member.objects.count() == 0


def test_day_and_month_are_read_in_the_one_format_declared_for_the_file(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "tanggal_bergabung"],
        ["Ani", "P", "03/04/2015"],
        ["Budi", "L", "25/12/2015"],
        ["Citra", "P", "2015-01-31"],
    ]

    dmy = upload(facilitator, csv_file(lines), group=world.group_a1)
    mdy = upload(facilitator, csv_file(lines), group=world.group_a1, date_format="mdy")

    assert [r.values.get("joined_on") for r in dmy.rows.order_by("number")] == [
        "2015-04-03",
        "2015-12-25",
        "2015-01-31",
    ]
    assert [r.values.get("joined_on") for r in mdy.rows.order_by("number")] == [
        "2015-03-04",
        None,
        "2015-01-31",
    ]
    assert messages_of(mdy) == [
        (
            3,
            "tanggal_bergabung",
            "25/12/2015",
            "Bukan tanggal dalam format berkas m/d/y (misalnya 08/17/2024).",
        )
    ]


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_excel_date_cells_and_serial_numbers_are_read_in_the_workbooks_date_system(
    facilitator, world, epoch_1904
):
    serial = 45521 - (1462 if epoch_1904 else 0)
    rows = [
        ["nama", "jenis_kelamin", "tanggal_bergabung"],
        ["Ani", "P", datetime.datetime(2024, 8, 17)],
        ["Budi", "L", serial],
        ["Citra", "P", "17/08/2024"],
    ]

    job = upload(facilitator, xlsx_file(rows, epoch_1904=epoch_1904), group=world.group_a1)

    assert [r.values["joined_on"] for r in job.rows.order_by("number")] == ["2024-08-17"] * 3


def test_flags_read_ya_tidak_1_0_and_blank_as_unknown(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "miskin", "disabilitas"],
        ["A", "P", "Ya", "Tidak"],
        ["B", "P", "1", "0"],
        ["C", "P", "yes", ""],
        ["D", "P", "mungkin", "no"],
    ]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    flags = [
        (r.values.get("is_poor"), r.values.get("has_disability"))
        for r in job.rows.order_by("number")
    ]
    assert flags == [(True, False), (True, False), (True, None), (None, False)]
    assert messages_of(job) == [
        (
            5,
            "miskin",
            "mungkin",
            "Tulis Ya atau Tidak (juga Yes/No, Y/N, 1/0), atau biarkan kosong.",
        )
    ]


def test_the_three_forms_of_one_phone_number_match_one_member(facilitator, world):
    member = f.MemberFactory(
        group=world.group_a1, full_name="Ma'ruf Letsoin", phone="+6281234567890"
    )
    lines = [["nama", "hp"], ["Ma’ruf Letsoin", "+62 812-3456-7890"]]
    forms = ["+62 812-3456-7890", "6281234567890", "081234567890"]

    jobs = [
        upload(facilitator, csv_file([lines[0], ["Ma’ruf Letsoin", phone]]), group=world.group_a1)
        for phone in forms
    ]

    assert [(r.action, r.member_id, r.matched_by) for job in jobs for r in job.rows.all()] == [
        ("unchanged", member.pk, "phone")
    ] * 3


def test_a_row_naming_a_group_outside_the_facilitators_regency_is_an_error(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "kelompok"],
        ["Ani", "P", "KK Melati"],
        ["Budi", "L", "KK Anggrek"],
    ]

    job = upload(facilitator, csv_file(lines), regency=world.regency_a)

    assert actions(job) == [(2, "create"), (3, "error")]
    assert job.rows.get(number=2).values["group_id"] == world.group_a2.pk
    assert messages_of(job)[0][:3] == (3, "kelompok", "KK Anggrek")


def test_a_facilitator_cannot_upload_into_another_regencys_group(facilitator_b, world):
    response = facilitator_b.post(
        reverse("imports:upload"),
        {
            "kind": "members",
            "group": world.group_a1.pk,
            "file": csv_file([["nama"], ["Ani"]]),
            "date_format": "dmy",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_a_nik_of_a_member_outside_the_scope_is_an_error_not_a_match(facilitator, world):
    f.MemberFactory(group=world.group_b1, nik="9471024506880007")
    lines = [["nama", "jenis_kelamin", "nik"], ["Yohana", "P", "9471024506880007"]]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert messages_of(job) == [
        (2, "nik", "9471024506880007", "Anggota dengan NIK ini sudah terdaftar.")
    ]


def test_importing_a_file_twice_creates_nothing_the_second_time(facilitator, world):
    lines = [
        HEADER,
        ["Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.", "P", "1975", "", "0812 1111 2222"],
        ["dr. Yakobus Lende, Sp.A", "L", "1980", "9471024506880007", ""],
        ["Sumiyati", "P", "", "", ""],
    ]

    first = upload(facilitator, csv_file(lines), group=world.group_a1)
    assert messages_of(first) == []
    first = confirm(facilitator, first)
    second = confirm(facilitator, upload(facilitator, csv_file(lines), group=world.group_a1))

    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert sorted(Member.objects.values_list("full_name", flat=True)) == [
        "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.",
        "Sumiyati",
        "dr. Yakobus Lende, Sp.A",
    ]


def test_two_confirms_of_one_file_create_each_member_once(facilitator, world):
    lines = [["nama", "jenis_kelamin", "tahun_lahir"], ["Ani", "P", "1980"], ["Budi", "L", "1982"]]
    one = upload(facilitator, csv_file(lines), group=world.group_a1)
    two = upload(facilitator, csv_file(lines), group=world.group_a1)

    one, two = confirm(facilitator, one), confirm(facilitator, two)

    assert (one.created, two.created, two.unchanged) == (2, 0, 2)
    assert Member.objects.count() == 2


def test_an_update_changes_only_the_fields_the_file_gives(facilitator, world):
    member = f.MemberFactory(
        group=world.group_a1, full_name="Ani", nik="9471024506880007", address="RT 001", phone=""
    )
    lines = [["nik", "nama", "hp", "alamat"], ["9471024506880007", "Ani Wenda", "081234567890", ""]]

    job = confirm(facilitator, upload(facilitator, csv_file(lines), group=world.group_a1))

    member.refresh_from_db()
    assert (job.updated, member.full_name, member.phone, member.address) == (
        1,
        "Ani Wenda",
        "+6281234567890",
        "RT 001",
    )
    assert member.history.first().history_user == facilitator.user


def test_a_row_two_members_could_be_is_held_until_one_is_chosen(facilitator, world):
    # Two members of one village with different NIKs; the row has no NIK.
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik, birth_year=None)
    lines = [["nama", "alamat"], ["Yohanis Wenda", "Jalan Baru"]]
    job = upload(facilitator, csv_file(lines), group=world.group_a1)
    row = job.rows.get()

    held = facilitator.get(job.get_absolute_url())
    refused = confirm(facilitator, job).status
    facilitator.post(
        reverse("imports:resolve", args=[job.pk]), {f"row-{row.pk}": str(row.candidates[0]["id"])}
    )
    written = confirm(facilitator, job)

    assert row.action == ImportRow.Action.AMBIGUOUS
    assert "2 anggota cocok" in held.text
    assert refused == ImportJob.Status.PREVIEWED
    assert (written.updated, written.created, Member.objects.count()) == (1, 0, 2)
    assert Member.objects.get(pk=row.candidates[0]["id"]).address == "Jalan Baru"


def test_an_apostrophe_in_another_form_matches_the_same_member(facilitator, world):
    member = f.MemberFactory(group=world.group_a1, full_name="Ma'ruf Letsoin", birth_year=1979)
    lines = [["nama", "tahun_lahir", "nama_belakang"], ["Ma’ruf Letsoin", "1979", ""]]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert [(r.action, r.member_id, r.matched_by) for r in job.rows.all()] == [
        ("unchanged", member.pk, "name")
    ]


def test_a_blank_last_name_keeps_a_single_name(facilitator, world):
    lines = [
        ["nama", "nama_belakang", "jenis_kelamin"],
        ["Sumiyati", "", "P"],
        ["Yohanis", "Wenda", "L"],
    ]

    confirm(facilitator, upload(facilitator, csv_file(lines), group=world.group_a1))

    assert sorted(Member.objects.values_list("full_name", flat=True)) == [
        "Sumiyati",
        "Yohanis Wenda",
    ]


def test_the_same_person_twice_in_one_file_is_an_error_on_the_second_row(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "nik"],
        ["Ani", "P", "9471024506880007"],
        ["Ani W.", "P", "9471 0245 0688 0007"],
    ]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert actions(job) == [(2, "create"), (3, "error")]
    assert messages_of(job)[0][3] == "Orang yang sama dengan baris 2."


def test_an_officers_position_is_not_changed_by_an_import(facilitator, world):
    lines = [["nama", "jenis_kelamin", "jabatan"], ["Ani", "P", "ketua"]]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert messages_of(job)[0][:3] == (2, "jabatan", "ketua")


def test_officers_programme_and_dprd_staff_cannot_import(officer, programme, dprd, world):
    for client in (officer, programme, dprd):
        assert client.get(reverse("imports:upload")).status_code == 404


def test_the_template_has_the_headers_an_example_and_the_explanations(facilitator):
    import io

    from openpyxl import load_workbook

    response = facilitator.get(reverse("imports:template", args=["members"]))
    book = load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["Anggota", "Petunjuk"]
    assert [c.value for c in book["Anggota"][1]][:4] == [
        "nama",
        "nama_belakang",
        "jenis_kelamin",
        "tahun_lahir",
    ]
    assert book["Anggota"]["F2"].value == "9471024506880007"
    explained = {
        row[0].value: row[2].value for row in book["Petunjuk"].iter_rows(min_row=2) if row[0].value
    }
    assert explained["jenis_kelamin"] == "P, Perempuan, Wanita, F; L, Laki-laki, Pria, M"


def test_the_template_imports_as_one_new_member(facilitator, world):
    response = facilitator.get(reverse("imports:template", args=["members"]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = upload(
        facilitator, SimpleUploadedFile("templat.xlsx", response.content), group=world.group_a1
    )

    assert actions(job) == [(2, "create")]
    assert job.rows.get().values["nik"] == "9471024506880007"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_exporting_the_members_and_importing_them_again_changes_nothing(
    facilitator, world, fmt, language
):
    f.MemberFactory(
        group=world.group_a1,
        full_name="Yohana Mambrasar",
        nik="9471024506880007",
        phone="+6281234567890",
        address="RT 003",
        is_poor=True,
        birth_date=datetime.date(1980, 2, 1),
        birth_year=1980,
    )
    f.MemberFactory(
        group=world.group_a2,
        full_name="Sumiyati",
        nik=None,
        birth_year=None,
        sex="F",
        joined_on=None,
    )
    officer = f.MemberFactory(
        group=world.group_a1, full_name="Hj. Andi", position="chair", has_disability=True
    )
    before = list(Member.objects.order_by("pk").values())
    # Exported in the user's language (headers, labels, the sheet's name); imported in
    # Indonesian, reading either.
    facilitator.post(reverse("set_language"), {"language": language, "next": "/"})
    exported = facilitator.get(reverse("members:export"), {"format": fmt})
    facilitator.post(reverse("set_language"), {"language": "id", "next": "/"})
    content = b"".join(exported.streaming_content) if exported.streaming else exported.getvalue()

    job = upload(
        facilitator,
        SimpleUploadedFile(f"anggota.{fmt}", content),
        regency=world.regency_a,
        date_format="dmy",
    )
    matched = set(job.rows.values_list("member_id", flat=True))
    written = confirm(facilitator, job)

    assert (written.created, written.updated, written.unchanged, job.errors) == (0, 0, 3, 0)
    assert list(Member.objects.order_by("pk").values()) == before
    assert officer.pk in matched


def test_the_progress_answers_the_jobs_rows(facilitator, world):
    job = upload(
        facilitator,
        csv_file([["nama", "jenis_kelamin"], ["Ani", "P"], ["Budi", "L"]]),
        group=world.group_a1,
    )

    progress = facilitator.get(reverse("imports:progress", args=[job.pk])).json()

    assert progress == {"status": "previewed", "done": 2, "total": 2, "running": False}


def test_the_uploaders_list_shows_their_imports_only(facilitator, world):
    upload(
        facilitator,
        csv_file([["nama", "jenis_kelamin"], ["Ani", "P"]], name="kk-mawar.csv"),
        group=world.group_a1,
    )
    f.ImportJobFactory(file_name="milik-orang-lain.csv", regency=world.regency_a)

    page = facilitator.get(reverse("imports:list"))

    assert "kk-mawar.csv" in page.text
    assert "milik-orang-lain.csv" not in page.text


@pytest.mark.parametrize("typed", ["+62 812-3456-7890", "6281234567890", "0812 3456 7890"])
def test_the_member_form_stores_each_form_of_a_phone_number_alike(officer, typed):
    from members.forms import MemberForm

    data = {
        "full_name": "Sumiyati",
        "sex": "F",
        "phone": typed,
        "position": "member",
        "consent": "on",
    }
    form = MemberForm(data, user=officer.user)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+6281234567890"


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_the_same_moment_create_each_member_once_on_postgresql(world):
    import threading

    from django.db import connection, connections

    from imports import services

    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time; the row lock needs PostgreSQL")
    user = f.UserFactory(username="fasilitator-alfa", role="facilitator", regency=world.regency_a)
    lines = [["nama", "jenis_kelamin", "tahun_lahir"]] + [
        [f"Anggota {n}", "P", "1980"] for n in range(50)
    ]
    jobs = []
    for _ in range(2):
        job = f.ImportJobFactory(
            created_by=user,
            regency=world.regency_a,
            group=world.group_a1,
            file=csv_file(lines),
            status="previewing",
        )
        services.import_job_preview(job)
        assert services.import_job_start(job)
        jobs.append(job)
    barrier = threading.Barrier(2)

    def run(job):
        barrier.wait()
        try:
            services.import_job_confirm(job.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    created = sorted(ImportJob.objects.values_list("created", "unchanged"))
    assert created == [(0, 50), (50, 0)]
    assert Member.objects.count() == 50


def test_a_written_import_keeps_neither_the_file_nor_the_rows_personal_data(facilitator, world):
    job = upload(
        facilitator,
        csv_file([["nama", "jenis_kelamin", "nik"], ["Ani", "P", "9471024506880007"]]),
        group=world.group_a1,
    )
    stored = job.file.name
    assert job.file.storage.exists(stored)

    written = confirm(facilitator, job)

    assert (written.status, written.created, written.file.name) == ("done", 1, "")
    assert not job.file.storage.exists(stored)
    assert job.rows.count() == 0


def test_a_refused_file_is_not_kept(facilitator, world):
    job = upload(facilitator, csv_file([["naam"], ["Ani"]]), group=world.group_a1)

    assert (job.status, job.file.name) == ("refused", "")


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_preview_and_writes_the_import(world, settings):
    from django.core.management import call_command

    from tests.conftest import client_for

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(
        f.UserFactory(username="fasilitator-alfa", role="facilitator", regency=world.regency_a)
    )
    job = upload(client, csv_file([["nama", "jenis_kelamin"], ["Ani", "P"]]), group=world.group_a1)
    waiting = client.get(job.get_absolute_url())

    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    previewed = job.status
    client.post(reverse("imports:confirm", args=[job.pk]))
    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()

    assert "membaca berkas" in waiting.text
    assert '<progress max="1" value="0">' in waiting.text
    assert (previewed, job.status, job.created) == ("previewed", "done", 1)
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Ani"]


def test_the_choice_for_a_held_row_tells_two_members_of_one_name_apart(facilitator, world):
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik, birth_year=1980)
    lines = [["nama", "tahun_lahir"], ["Yohanis Wenda", "1980"]]
    job = upload(facilitator, csv_file(lines), group=world.group_a1)
    row = job.rows.get()

    held = facilitator.get(job.get_absolute_url())
    facilitator.post(
        reverse("imports:resolve", args=[job.pk]), {f"row-{row.pk}": str(row.candidates[0]["id"])}
    )
    chosen = facilitator.get(job.get_absolute_url())

    # The NIK's last four digits tell them apart; the whole NIK is not shown.
    assert "Yohanis Wenda (1980) · NIK …0007</option>" in held.text
    assert "Yohanis Wenda (1980) · NIK …0015</option>" in held.text
    assert "9471024506880007" not in held.text
    assert "1 perlu dipilih." in held.text
    assert "0 perlu dipilih." in chosen.text


def test_a_birth_date_after_today_is_an_error_on_its_row(facilitator, world):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    lines = [
        ["nama", "jenis_kelamin", "tanggal_lahir"],
        ["Lahir Nanti", "P", tomorrow.strftime("%d/%m/%Y")],
        ["Lahir Jauh", "P", "03/04/2030"],
        ["Sumiyati", "P", "03/04/1980"],
    ]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    assert actions(job) == [(2, "error"), (3, "error"), (4, "create")]
    this_year = datetime.date.today().year
    assert [(n, c, m) for n, c, _v, m in messages_of(job)] == [
        (2, "tanggal_lahir", "Tanggal lahir ada di masa depan."),
        (3, "tanggal_lahir", f"Tulis tahun lahir antara 1900 dan {this_year}."),
    ]


def test_a_match_says_in_indonesian_what_it_was_found_by(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar", nik="9471024506880007")
    lines = [["nama", "nik"], ["Yohana Mambrasar", "9471024506880007"]]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)
    page = facilitator.get(job.get_absolute_url(), {"show": "all"})

    assert "(berdasarkan NIK)" in page.text
    assert "(nik)" not in page.text
