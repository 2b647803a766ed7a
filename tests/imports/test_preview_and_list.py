"""What the preview and the list of imports show a facilitator: each error quoting the cell
as typed, the values a row writes or changes, the outcome filters; the list's time,
uploader and counts, and deleting an import that wrote nothing (``imports/views.py``)."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from aspirations.services import aspiration_move
from imports.models import ImportJob, ImportRow
from tests import factories as f
from tests.conftest import client_for
from tests.imports.helpers import confirm, csv_file, upload
from tests.imports.test_attendance import upload_attendance


def errors_of(job):
    return [
        (row.number, e["column"], e["value"], e["message"])
        for row in job.rows.order_by("number")
        for e in row.errors
    ]


# --- errors quote the cell as typed ---------------------------------------------------------


def test_a_members_position_error_quotes_the_jabatan_cell_as_typed(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "jabatan"],
        ["Ani", "P", "Ketua Kelompok"],
        ["Budi", "L", "ketuaa"],
    ]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)
    page = facilitator.get(job.get_absolute_url())

    assert errors_of(job) == [
        (
            2,
            "jabatan",
            "Ketua Kelompok",
            "Jabatan pengurus dicatat sebagai masa jabatan di halaman kelompok.",
        ),
        (3, "jabatan", "ketuaa", "Nilai yang diterima: anggota, ketua, sekretaris, bendahara."),
    ]
    assert "kolom jabatan, nilai 'Ketua Kelompok': Jabatan pengurus" in page.text
    assert "chair" not in page.text


def test_an_attendance_sex_error_quotes_the_jenis_kelamin_cell_as_typed(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    lines = [["nama", "jenis_kelamin"], ["Ibu Kepala Desa", "Ibu"], ["Pak Kades", ""]]

    job = upload_attendance(facilitator, activity, lines)

    assert errors_of(job) == [
        (
            2,
            "jenis_kelamin",
            "Ibu",
            "Nilai yang diterima: P, Perempuan, Wanita, F; L, Laki-laki, Pria, M.",
        ),
        (
            3,
            "jenis_kelamin",
            "",
            "Bukan anggota kelompok yang ikut: isi jenis kelamin untuk mencatatnya sebagai tamu.",
        ),
    ]


def test_an_aspirations_stage_error_quotes_the_tahap_cell_as_typed(facilitator, world):
    topic = f.TopicFactory(slug="roads-bridges", name="Jalan dan jembatan")
    stored = f.AspirationFactory(
        group=world.group_a1, title="Sumur", topic=topic, raised_on=datetime.date(2024, 1, 2)
    )
    officer = f.UserFactory(role="officer", group=world.group_a1)
    aspiration_move(stored, to="conveyed", actor=officer, occurred_on=datetime.date(2024, 2, 1))
    header = ["kelompok", "judul", "topik", "saluran", "tanggal_diusulkan", "tahap"]
    lines = [
        header,
        ["KK Mawar", "Sumur", "roads-bridges", "reses", "02/01/2024", "Tercatat"],
        ["KK Mawar", "Jalan", "roads-bridges", "lewat surat kabar", "02/01/2024", ""],
    ]

    job = upload(facilitator, csv_file(lines), regency=world.regency_a, kind="aspirations")

    assert errors_of(job) == [
        (
            2,
            "tahap",
            "Tercatat",
            "Aspirasi yang tersimpan sudah berada di tahap disampaikan (sejak 1 Februari 2024); "
            "baris ini menyebut tercatat. Impor hanya mencatat tahap yang lebih lanjut: catat "
            "koreksi di halamannya untuk mundur.",
        ),
        (
            3,
            "saluran",
            "lewat surat kabar",
            "Nilai yang diterima: reses, face_to_face, letter, phone, message, musrenbang.",
        ),
    ]


# --- the values each row writes or changes -------------------------------------------------


def test_a_new_members_row_shows_the_values_it_writes_with_their_labels(facilitator, world):
    lines = [
        ["nama", "jenis_kelamin", "tahun_lahir", "hp", "miskin", "tanggal_bergabung", "kelompok"],
        ["Maria Goreti Bere", "Wanita", "1979", "0812-3456-7890", "ya", "01/03/2015", "KK Mawar"],
    ]

    job = upload(facilitator, csv_file(lines), regency=world.regency_a)
    page = facilitator.get(job.get_absolute_url())

    for shown in (
        "<li>Nama lengkap: Maria Goreti Bere</li>",
        "<li>Jenis kelamin: Perempuan</li>",
        "<li>Tahun lahir: 1979</li>",
        "<li>Telepon: +6281234567890</li>",
        "<li>Miskin: Ya</li>",
        "<li>Tanggal bergabung: 1 Maret 2015</li>",
        "<li>Kelompok: KK Mawar</li>",
    ):
        assert shown in page.text


def test_an_update_shows_each_change_from_old_to_new(facilitator, world):
    f.MemberFactory(
        group=world.group_a1, full_name="Ani", nik="9471024506880007", is_poor=False, sex="F"
    )
    lines = [["nik", "nama", "miskin", "jenis_kelamin"], ["9471024506880007", "Ani", "Ya", "L"]]

    job = upload(facilitator, csv_file(lines), group=world.group_a1)
    page = facilitator.get(job.get_absolute_url())

    assert "<li>Miskin: Tidak → Ya</li>" in page.text
    assert "<li>Jenis kelamin: Perempuan → Laki-laki</li>" in page.text


def test_a_new_aspirations_row_shows_its_stages_and_budget(facilitator, world):
    f.TopicFactory(slug="roads-bridges", name="Jalan dan jembatan")
    header = [
        "kelompok",
        "judul",
        "topik",
        "saluran",
        "tanggal_diusulkan",
        "manfaat_perempuan",
        "tahap",
        "tanggal_disampaikan",
        "tanggal_dianggarkan",
        "anggaran",
        "tahun_anggaran",
        "sumber_dana",
    ]
    row = ["KK Mawar", "Sumur bor", "roads-bridges", "reses", "02/01/2024", "Ya", "budgeted"]
    row += ["15/02/2024", "02/09/2024", "1.500.000", "2025", "APBDes"]

    job = upload(facilitator, csv_file([header, row]), regency=world.regency_a, kind="aspirations")
    page = facilitator.get(job.get_absolute_url())

    assert job.rows.get().action == ImportRow.Action.CREATE
    for shown in (
        "<li>Judul: Sumur bor</li>",
        "<li>Kelompok: KK Mawar</li>",
        "<li>Desa/kelurahan terkait: Desa Alfa Satu</li>",
        "<li>Topik: Jalan dan jembatan</li>",
        "<li>Tanggal diusulkan: 2 Januari 2024</li>",
        "<li>Bermanfaat bagi: perempuan</li>",
        "<li>Disampaikan: 15 Februari 2024</li>",
        "<li>Jumlah yang dianggarkan (Rp): Rp 1.500.000</li>",
        "<li>Tahun anggaran: 2025</li>",
    ):
        assert shown in page.text


def test_an_aspirations_update_shows_each_stage_it_records(facilitator, world):
    topic = f.TopicFactory(slug="roads-bridges", name="Jalan dan jembatan")
    stored = f.AspirationFactory(
        group=world.group_a1, title="Sumur", topic=topic, raised_on=datetime.date(2024, 1, 2)
    )
    officer = f.UserFactory(role="officer", group=world.group_a1)
    aspiration_move(stored, to="conveyed", actor=officer, occurred_on=datetime.date(2024, 2, 1))
    header = ["kelompok", "judul", "topik", "saluran", "tanggal_diusulkan", "tahap"]
    header += ["tanggal_musrenbang_desa"]
    row = ["KK Mawar", "Sumur", "roads-bridges", "reses", "02/01/2024", "Musrenbang desa"]
    row += ["01/03/2024"]

    job = upload(facilitator, csv_file([header, row]), regency=world.regency_a, kind="aspirations")
    page = facilitator.get(job.get_absolute_url())

    assert "<li>Tahap: disampaikan → Musrenbang desa (1 Maret 2024)</li>" in page.text


def test_the_preview_filters_by_outcome_and_shows_one_page_at_a_time(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Sumiyati", birth_year=None)
    lines = [["nama", "jenis_kelamin"], ["Sumiyati", "P"], ["Tanpa Jenis", ""]]
    lines += [[f"Orang Baru {n:02d}", "P"] for n in range(25)]
    job = upload(facilitator, csv_file(lines), group=world.group_a1)

    created = facilitator.get(job.get_absolute_url(), {"show": "create"})
    second = facilitator.get(job.get_absolute_url(), {"show": "create", "page": 2})
    unchanged = facilitator.get(job.get_absolute_url(), {"show": "unchanged"})

    assert "<b>buat baru (25)</b>" in created.text
    assert "Orang Baru 00" in created.text and "Orang Baru 20" not in created.text
    assert "Orang Baru 20" in second.text and "Halaman 2 dari 2" in second.text
    assert "Sumiyati" in unchanged.text and "Orang Baru" not in unchanged.text
    assert "Tanpa Jenis" not in created.text + unchanged.text


# --- the list of imports --------------------------------------------------------------------


def test_the_list_shows_each_jobs_time_in_the_regencys_zone_uploader_target_and_counts(
    facilitator, world
):
    facilitator.user.first_name, facilitator.user.last_name = "Yuliana", "Bere"
    facilitator.user.save()
    job = upload(
        facilitator,
        csv_file([["nama", "jenis_kelamin"], ["Ani", "P"]], name="kk-mawar.csv"),
        group=world.group_a1,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        uploaded_at=datetime.datetime(2026, 11, 30, 1, 5, tzinfo=datetime.UTC)
    )

    page = facilitator.get(reverse("imports:list"))

    assert "30 November 2026 09.05 WITA" in page.text
    assert "oleh Yuliana Bere" in page.text
    assert "anggota · KK Mawar" in page.text
    assert "pratinjau siap" in page.text
    assert "1 akan dibuat, 0 akan diperbarui, 0 tidak berubah" in page.text


def test_the_list_filters_by_status_and_kind(facilitator, world):
    for name, status, kind in (
        ("selesai.csv", ImportJob.Status.DONE, ImportJob.Kind.MEMBERS),
        ("pratinjau.csv", ImportJob.Status.PREVIEWED, ImportJob.Kind.MEMBERS),
        ("aspirasi.csv", ImportJob.Status.DONE, ImportJob.Kind.ASPIRATIONS),
    ):
        f.ImportJobFactory(
            created_by=facilitator.user,
            regency=world.regency_a,
            file_name=name,
            status=status,
            kind=kind,
        )

    done = facilitator.get(reverse("imports:list"), {"status": "done"}).text
    members_done = facilitator.get(reverse("imports:list"), {"status": "done", "kind": "members"})

    assert "selesai.csv" in done and "aspirasi.csv" in done and "pratinjau.csv" not in done
    assert "selesai.csv" in members_done.text and "aspirasi.csv" not in members_done.text


# --- deleting an import that wrote nothing ------------------------------------------------


@pytest.fixture
def preview(facilitator, world):
    return upload(
        facilitator,
        csv_file([["nama", "jenis_kelamin"], ["Ani", "P"]], name="ditinggal.csv"),
        group=world.group_a1,
    )


def test_the_uploader_deletes_an_abandoned_preview_after_confirming(
    facilitator, preview, django_capture_on_commit_callbacks
):
    stored = preview.file.name
    url = reverse("imports:delete", args=[preview.pk])

    asked = facilitator.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        deleted = facilitator.post(url, follow=True)

    assert "Hapus impor ini?" in asked.text
    assert ImportJob.objects.filter(pk=preview.pk).exists() is False
    assert ImportRow.objects.filter(job=preview.pk).exists() is False
    assert default_storage.exists(stored) is False
    assert "Impor ditinggal.csv dihapus beserta pratinjau dan berkasnya." in deleted.text


def test_another_facilitator_of_the_regency_cannot_delete_it(preview, world):
    other = f.UserFactory(username="fasilitator-a-dua", role="facilitator", regency=world.regency_a)
    client = client_for(other)
    url = reverse("imports:delete", args=[preview.pk])

    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    assert ImportJob.objects.filter(pk=preview.pk).exists()


def test_an_administrator_deletes_a_failed_import(admin_client_, world):
    job = f.ImportJobFactory(
        regency=world.regency_a, status=ImportJob.Status.FAILED, failed_step="confirm"
    )
    f.ImportRowFactory(job=job)

    response = admin_client_.post(reverse("imports:delete", args=[job.pk]))

    assert response.status_code == 302
    assert ImportJob.objects.filter(pk=job.pk).exists() is False


def test_a_confirmed_import_cannot_be_deleted(facilitator, preview):
    written = confirm(facilitator, preview)
    url = reverse("imports:delete", args=[written.pk])

    page = facilitator.post(url, follow=True)

    assert written.status == ImportJob.Status.DONE
    assert ImportJob.objects.filter(pk=written.pk).exists()
    assert "Impor ini sudah dikonfirmasi dan ditulis" in page.text
    assert "Hapus impor ini" not in page.text


def test_a_running_import_cannot_be_deleted(facilitator, preview):
    ImportJob.objects.filter(pk=preview.pk).update(
        status=ImportJob.Status.IMPORTING, finished_at=timezone.now()
    )

    page = facilitator.post(reverse("imports:delete", args=[preview.pk]), follow=True)

    assert ImportJob.objects.filter(pk=preview.pk).exists()
    assert "Impor ini sedang berjalan" in page.text
