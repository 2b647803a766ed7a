"""Importing aspirations with their stages (``imports/aspirations.py``): every stage with a
date is written in order through ``aspirations.services``, so the timeline, the funnel and
the dashboards' summaries are those of recording it by hand."""

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from aspirations.models import Aspiration, AspirationEvent, BudgetOutcome, MusrenbangForum
from aspirations.services import aspiration_move
from aspirations.topics import TOPICS
from imports.aspirations import BY_KEY
from imports.models import ImportJob
from tests import factories as f
from tests.dashboards.test_summaries import _snapshot
from tests.imports.helpers import actions, confirm, csv_file, upload

HEADER = ["kelompok", "judul", "topik", "saluran", "tanggal_diusulkan", "tahap"]


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="village-infrastructure", name="Jalan dan jembatan")


def aspirations_csv(lines, header=HEADER):
    return csv_file([header, *lines], name="aspirasi.csv")


def import_file(client, upload_file, world, **where):
    where = where or {"regency": world.regency_a}
    return upload(client, upload_file, kind="aspirations", **where)


def errors_of(job):
    return [
        (row.number, e["column"], e["message"])
        for row in job.rows.order_by("number")
        for e in row.errors
    ]


def timeline(aspiration):
    return list(
        AspirationEvent.objects.filter(aspiration=aspiration)
        .order_by("occurred_on", "pk")
        .values_list("to_stage", "occurred_on")
    )


BUDGET_HEADER = [*HEADER, "tanggal_dianggarkan", "anggaran", "tahun_anggaran", "sumber_dana"]


def test_budget_amounts_are_read_as_rupiah_and_a_written_out_amount_is_refused(
    facilitator, world, topic
):
    amounts = ["617.666.666,66", "Rp 1.500.000", "1500000", "1.500", "1,5 juta"]
    lines = [
        [
            "KK Mawar",
            f"Jalan {n}",
            "village-infrastructure",
            "tatap muka",
            "02/01/2024",
            "dianggarkan (APBDes/APBD)",
            "01/09/2024",
            amount,
            "2025",
            "APBDes",
        ]
        for n, amount in enumerate(amounts)
    ]

    job = import_file(facilitator, aspirations_csv(lines, BUDGET_HEADER), world)
    written = import_file(facilitator, aspirations_csv(lines[:4], BUDGET_HEADER), world)

    assert actions(job) == [
        (2, "create"),
        (3, "create"),
        (4, "create"),
        (5, "create"),
        (6, "error"),
    ]
    assert errors_of(job) == [
        (
            6,
            "anggaran",
            "dianggarkan (APBDes/APBD): Tulis jumlahnya dengan angka, misalnya 1.500.000 atau "
            "617.666.666,66.",
        )
    ]
    assert confirm(facilitator, written).created == 4
    assert list(
        BudgetOutcome.objects.order_by("aspiration__title").values_list("amount", flat=True)
    ) == [Decimal("617666666.66"), Decimal("1500000"), Decimal("1500000"), Decimal("1500")]


def test_stages_are_written_in_order_with_the_dates_given(facilitator, world, topic):
    header = [
        *HEADER,
        "tanggal_disampaikan",
        "tanggal_musrenbang_desa",
        "tanggal_direncanakan",
        "tanggal_dianggarkan",
        "anggaran",
        "tahun_anggaran",
        "sumber_dana",
        "manfaat_miskin",
    ]
    line = [
        "KK Mawar",
        "Perbaikan jalan dusun Oelnasi",
        "Jalan dan jembatan",
        "face_to_face",
        "02/01/2024",
        "budgeted",
        "15/02/2024",
        "01/03/2024",
        "",
        "01/09/2024",
        "Rp 250.000.000",
        "2025",
        "apbdes",
        "Ya",
    ]

    job = confirm(facilitator, import_file(facilitator, aspirations_csv([line], header), world))

    aspiration = Aspiration.objects.get()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 1)
    assert timeline(aspiration) == [
        ("recorded", datetime.date(2024, 1, 2)),
        ("conveyed", datetime.date(2024, 2, 15)),
        ("musrenbang_desa", datetime.date(2024, 3, 1)),
        ("budgeted", datetime.date(2024, 9, 1)),
    ]
    assert (aspiration.stage, aspiration.stage_changed_on, aspiration.furthest_rank) == (
        "budgeted",
        datetime.date(2024, 9, 1),
        7,
    )
    assert (aspiration.group, aspiration.village, aspiration.benefits_poor) == (
        world.group_a1,
        world.village_a1,
        True,
    )
    assert aspiration.budget_outcomes.get().amount == Decimal("250000000")


def test_a_stage_dated_before_the_previous_one_is_an_error_on_its_column(facilitator, world, topic):
    header = [*HEADER, "tanggal_disampaikan", "tanggal_musrenbang_desa"]
    line = ["KK Mawar", "Air bersih", "village-infrastructure", "surat", "02/01/2024"]
    lines = [
        [*line, "musrenbang_desa", "15/02/2024", "01/02/2024"],
        [*line[:1], "Sumur bor", *line[2:], "conveyed", "01/01/2024", ""],
        [*line[:1], "Lampu jalan", *line[2:], "pokir", "", ""],
    ]

    job = import_file(facilitator, aspirations_csv(lines, header), world)

    assert actions(job) == [(2, "error"), (3, "error"), (4, "error")]
    assert errors_of(job) == [
        (
            2,
            "tanggal_musrenbang_desa",
            "Musrenbang desa: Tanggal tidak boleh sebelum perubahan tahap terakhir "
            "(15 Februari 2024).",
        ),
        (
            3,
            "tanggal_disampaikan",
            "disampaikan: Tanggal tidak boleh sebelum aspirasi diusulkan (2 Januari 2024).",
        ),
        (4, "tanggal_tahap", "Isi tanggal tahap Pokir DPRD dicapai."),
    ]
    assert not Aspiration.objects.exists()


def test_an_import_keeps_the_dashboard_summaries_equal_to_a_rebuild(facilitator, world, topic):
    f.AspirationFactory(group=world.group_a2, topic=topic, raised_on=datetime.date(2023, 5, 1))
    header = [*HEADER, "tanggal_disampaikan", "tanggal_tahap", "alasan"]
    lines = [
        [
            "KK Mawar",
            "Jalan",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "conveyed",
            "15/02/2024",
            "",
            "",
        ],
        [
            "KK Melati",
            "Jembatan",
            "village-infrastructure",
            "telepon",
            "03/01/2024",
            "",
            "",
            "",
            "",
        ],
        [
            "KK Melati",
            "Sumur",
            "village-infrastructure",
            "surat",
            "04/01/2024",
            "tidak diakomodasi",
            "10/02/2024",
            "20/03/2024",
            "Anggaran desa habis",
        ],
    ]

    confirm(facilitator, import_file(facilitator, aspirations_csv(lines, header), world))
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=io.StringIO())

    assert Aspiration.objects.count() == 4
    assert Aspiration.objects.get(title="Sumur").stopped_at == "conveyed"
    assert _snapshot() == kept


def test_importing_the_same_file_twice_creates_nothing_the_second_time(facilitator, world, topic):
    header = [*HEADER, "tanggal_disampaikan"]
    lines = [
        [
            "KK Mawar",
            "Jalan",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "conveyed",
            "15/02/2024",
        ]
    ]
    first = confirm(facilitator, import_file(facilitator, aspirations_csv(lines, header), world))
    events = AspirationEvent.objects.count()

    again = import_file(facilitator, aspirations_csv(lines, header), world)
    confirm(facilitator, again)
    again.refresh_from_db()

    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    assert (Aspiration.objects.count(), AspirationEvent.objects.count()) == (1, events)


def test_a_row_ahead_of_the_stored_stage_records_the_missing_moves_and_one_behind_is_refused(
    facilitator, world, topic
):
    stored = f.AspirationFactory(
        group=world.group_a1,
        title="Jalan  dusun OELNASI",
        topic=topic,
        raised_on=datetime.date(2024, 1, 2),
    )
    f.AspirationFactory(
        group=world.group_a1, title="Sumur", topic=topic, raised_on=datetime.date(2024, 1, 2)
    )
    officer = f.UserFactory(role="officer", group=world.group_a1)
    aspiration_move(stored, to="conveyed", actor=officer, occurred_on=datetime.date(2024, 2, 1))
    header = [*HEADER, "tanggal_disampaikan", "tanggal_musrenbang_desa"]
    lines = [
        [
            "KK Mawar",
            "Jalan dusun Oelnasi",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "musrenbang_desa",
            "01/02/2024",
            "01/03/2024",
        ],
        [
            "KK Mawar",
            "Jalan dusun Oelnasi",
            "village-infrastructure",
            "reses",
            "2024-01-02",
            "recorded",
            "",
            "",
        ],
    ]

    first = import_file(facilitator, aspirations_csv(lines[:1], header), world)
    behind = import_file(facilitator, aspirations_csv(lines[1:], header), world)
    previewed = actions(first)
    confirm(facilitator, first)

    assert (previewed, first.updated) == ([(2, "update")], 1)
    assert timeline(stored) == [
        ("conveyed", datetime.date(2024, 2, 1)),
        ("musrenbang_desa", datetime.date(2024, 3, 1)),
    ]
    assert errors_of(behind) == [
        (
            2,
            "tahap",
            "Aspirasi yang tersimpan sudah berada di tahap disampaikan (sejak 1 Februari 2024); "
            "baris ini menyebut tercatat. Impor hanya mencatat tahap yang lebih lanjut: catat "
            "koreksi di halamannya untuk mundur.",
        )
    ]


def test_a_facilitator_row_naming_a_group_of_another_regency_is_an_error(facilitator, world, topic):
    lines = [["KK Anggrek", "Jalan", "village-infrastructure", "reses", "02/01/2024", ""]]

    job = import_file(facilitator, aspirations_csv(lines), world)

    assert errors_of(job) == [
        (2, "kelompok", "Tidak ada kelompok bernama ini di wilayah tujuan impor Anda.")
    ]


def test_the_aspiration_list_export_imports_back_unchanged(facilitator, world, topic):
    header = [
        *HEADER,
        "tanggal_disampaikan",
        "tanggal_dianggarkan",
        "anggaran",
        "tahun_anggaran",
        "sumber_dana",
    ]
    lines = [
        [
            "KK Mawar",
            "Jalan",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "budgeted",
            "15/02/2024",
            "01/09/2024",
            "1.500.000",
            "2025",
            "apbdes",
        ],
        [
            "KK Melati",
            "Sumur",
            "village-infrastructure",
            "surat",
            "03/01/2024",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    confirm(facilitator, import_file(facilitator, aspirations_csv(lines, header), world))
    events = AspirationEvent.objects.count()

    for language, (name, query) in itertools.product(
        ("id", "en"), (("ekspor.csv", {"format": "csv"}), ("ekspor.xlsx", {}))
    ):
        # Exported in the user's language; imported in Indonesian, reading either.
        facilitator.post(reverse("set_language"), {"language": language, "next": "/"})
        exported = facilitator.get(reverse("aspirations:export"), query)
        facilitator.post(reverse("set_language"), {"language": "id", "next": "/"})
        content = b"".join(exported.streaming_content)

        job = import_file(facilitator, SimpleUploadedFile(name, content), world)

        assert actions(job) == [(2, "unchanged"), (3, "unchanged")], (language, errors_of(job))
        assert confirm(facilitator, job).unchanged == 2
    assert AspirationEvent.objects.count() == events


def test_the_template_lists_the_stages_and_topics(facilitator, topic):
    response = facilitator.get(reverse("imports:template", args=["aspirations"]))

    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book["Aspirasi"][1]]
    about = [[cell.value for cell in row] for row in book["Petunjuk"].iter_rows()]
    assert headers[:3] == ["kelompok", "judul", "uraian"]
    assert "tanggal_musrenbang_kecamatan" in headers
    assert ["Musrenbang kecamatan", "musrenbang_kecamatan", "tanggal_musrenbang_kecamatan"] in about
    assert ["tidak diakomodasi", "not_accommodated", "tanggal_tahap"] in about
    assert ["Jalan dan jembatan", "village-infrastructure", None] in about


def test_the_preview_page_lists_its_rows_in_a_bounded_number_of_queries(
    facilitator, world, topic, django_assert_max_num_queries
):
    lines = [
        ["KK Mawar", f"Jalan {n}", "village-infrastructure", "reses", "02/01/2024", ""]
        for n in range(30)
    ]
    job = import_file(facilitator, aspirations_csv(lines), world)

    # Whatever the number of rows: the page's names of groups, villages and topics are
    # looked up once each.
    with django_assert_max_num_queries(16):
        page = facilitator.get(job.get_absolute_url(), {"show": "all"})

    assert "Jalan 29" in page.text or "Jalan 0" in page.text


def test_a_musrenbang_kecamatan_date_records_the_move_at_the_subdistricts_forum_of_that_day(
    facilitator, world, topic
):
    header = [*HEADER, "tanggal_musrenbang_kecamatan"]
    lines = [
        [
            "KK Mawar",
            "Jalan",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "musrenbang kecamatan",
            "05/02/2024",
        ],
        [
            "KK Melati",
            "Sumur",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "musrenbang_kecamatan",
            "05/02/2024",
        ],
    ]

    job = confirm(facilitator, import_file(facilitator, aspirations_csv(lines, header), world))

    events = AspirationEvent.objects.filter(to_stage="musrenbang_kecamatan")
    assert (job.created, events.count()) == (2, 2)
    forum = events.values_list("musrenbang_forum", flat=True).distinct().get()
    held = MusrenbangForum.objects.get(pk=forum)
    assert (held.level, held.subdistrict, held.held_on, held.fiscal_year) == (
        "kecamatan",
        world.village_a1.subdistrict,
        datetime.date(2024, 2, 5),
        2025,
    )


def test_the_templates_example_row_previews_as_one_aspiration_to_create(facilitator, world, topic):
    template = facilitator.get(reverse("imports:template", args=["aspirations"])).content

    job = import_file(
        facilitator, SimpleUploadedFile("templat.xlsx", template), world, group=world.group_a1
    )

    assert (actions(job), errors_of(job)) == ([(2, "create")], [])
    assert job.rows.get().values["moves"] == [["conveyed", "2024-02-15", "date_conveyed"]]


def test_a_row_differing_from_a_closed_aspiration_is_refused(facilitator, world, topic):
    header = [*HEADER, "tanggal_tahap"]
    lines = [
        [
            "KK Mawar",
            "Jalan",
            "village-infrastructure",
            "reses",
            "02/01/2024",
            "withdrawn",
            "10/01/2024",
        ]
    ]
    confirm(facilitator, import_file(facilitator, aspirations_csv(lines, header), world))
    lines[0][5:] = ["conveyed", "15/02/2024"]

    job = import_file(facilitator, aspirations_csv(lines, header), world)

    assert errors_of(job) == [
        (
            2,
            "tahap",
            "Aspirasi yang tersimpan sudah ditutup dengan tahap ditarik sejak 10 Januari 2024; "
            "baris ini menyebut disampaikan. Impor tidak membukanya kembali: catat koreksi di "
            "halamannya.",
        )
    ]


def test_the_templates_example_topic_is_a_topic_of_the_product():
    """The example row names a topic ``load_reference_data`` creates, so the template's own
    row imports on a real database (a fresh tester's row failed on 'village-infrastructure')."""
    assert BY_KEY["topic"].example in {topic.slug for topic in TOPICS}
