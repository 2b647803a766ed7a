"""An import whose step fails on every run is marked failed, says so on its page, and can be
tried again (``imports/tasks.py``, ``kk_portal.tasks.retrying_task``'s
``on_final_failure``)."""

from django.urls import reverse

from imports import services
from imports.models import ImportJob
from members.models import Member
from tests.imports.helpers import actions, confirm, csv_file, upload

LINES = [["nama", "jenis_kelamin"], ["Yohana Mambrasar", "P"]]


def broken(*_args, **_kwargs):
    raise ConnectionError("database restarted")


def test_a_preview_that_fails_every_run_is_failed_and_is_built_when_tried_again(
    facilitator, world, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(services, "import_job_preview", broken)
        job = upload(facilitator, csv_file(LINES), group=world.group_a1)

    page = facilitator.get(job.get_absolute_url())
    assert (job.status, job.failed_step) == (ImportJob.Status.FAILED, ImportJob.Step.PREVIEW)
    assert "Berkas tidak dapat dibaca karena gangguan di sistem kami." in page.text
    assert "Coba lagi" in page.text
    assert "import-progress" not in page.text

    facilitator.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()

    assert (job.status, job.message, actions(job)) == (
        ImportJob.Status.PREVIEWED,
        "",
        [(2, "create")],
    )


def test_a_confirm_that_fails_every_run_writes_nothing_and_imports_when_tried_again(
    facilitator, world, monkeypatch
):
    job = upload(facilitator, csv_file(LINES), group=world.group_a1)
    with monkeypatch.context() as patch:
        patch.setattr(services, "import_job_confirm", broken)
        job = confirm(facilitator, job)

    page = facilitator.get(job.get_absolute_url())
    assert (job.status, Member.objects.count()) == (ImportJob.Status.FAILED, 0)
    assert "Impor gagal karena gangguan di sistem kami; 0 baris diimpor." in page.text

    facilitator.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()

    assert (job.status, job.created) == (ImportJob.Status.DONE, 1)
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Yohana Mambrasar"]


def test_trying_again_a_job_that_did_not_fail_changes_nothing(facilitator, world):
    job = upload(facilitator, csv_file(LINES), group=world.group_a1)

    facilitator.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()

    assert (job.status, job.created, Member.objects.count()) == (ImportJob.Status.PREVIEWED, 1, 0)
