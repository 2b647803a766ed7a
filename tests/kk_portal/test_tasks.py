"""Background tasks (``kk_portal/tasks.py``): a failed run is tried again later, up to three
runs, and administrators see each failure with its error."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kk_portal.tasks import retrying_task

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
#: The runs of ``flaky`` so far, and how many of them should fail.
RUNS = {"count": 0, "failures": 0, "sent": []}


@retrying_task
def flaky(label):
    RUNS["count"] += 1
    if RUNS["count"] <= RUNS["failures"]:
        raise ConnectionError(f"SMS gateway down for {label}")
    RUNS["sent"].append(label)
    return f"sent {label}"


#: What ``on_final_failure`` of ``doomed`` was given, one entry per call.
GIVEN_UP = []


@retrying_task(on_final_failure=lambda args, kwargs, error: GIVEN_UP.append((args, kwargs, error)))
def doomed(label, *, village):
    RUNS["count"] += 1
    if RUNS["count"] <= RUNS["failures"]:
        raise ConnectionError(f"SMS gateway down for {label} in {village}")
    return label


@pytest.fixture(autouse=True)
def runs():
    RUNS.update(count=0, failures=0, sent=[])
    GIVEN_UP.clear()
    return RUNS


def test_a_task_that_fails_twice_succeeds_on_the_third_run(runs):
    runs["failures"] = 2

    first = flaky.enqueue("Desa Oelnasi")

    assert (first.status, runs["count"], runs["sent"]) == ("FAILED", 3, ["Desa Oelnasi"])


def test_a_task_that_keeps_failing_stops_after_three_runs(runs):
    runs["failures"] = 99

    first = flaky.enqueue("Desa Oelnasi")

    assert (first.status, runs["count"], runs["sent"]) == ("FAILED", 3, [])


def test_the_final_failure_hook_is_called_once_with_the_call_and_its_error(runs):
    runs["failures"] = 99

    first = doomed.enqueue("Desa Oelnasi", village="Oelnasi")

    assert (first.status, runs["count"], len(GIVEN_UP)) == ("FAILED", 3, 1)
    args, kwargs, error = GIVEN_UP[0]
    assert (args, kwargs) == (("Desa Oelnasi",), {"village": "Oelnasi"})
    assert str(error) == "SMS gateway down for Desa Oelnasi in Oelnasi"


def test_the_final_failure_hook_is_not_called_when_a_retry_succeeds(runs):
    runs["failures"] = 2

    doomed.enqueue("Desa Oelnasi", village="Oelnasi")

    assert (runs["count"], GIVEN_UP) == (3, [])


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_records_the_failure_and_queues_the_next_run_a_minute_later(runs):
    runs["failures"] = 1
    queued = flaky.enqueue("Desa Oelnasi")

    call_command("db_worker", "--batch", "--no-startup-delay")

    failed = DBTaskResult.objects.get(id=queued.id)
    retry = DBTaskResult.objects.exclude(id=queued.id).get()
    assert (failed.status, failed.exception_class_path) == ("FAILED", "builtins.ConnectionError")
    assert "SMS gateway down for Desa Oelnasi" in failed.traceback
    assert (retry.status, retry.args_kwargs["kwargs"]) == ("READY", {"attempt": 2})
    wait = retry.run_after - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_administrators_see_failed_tasks_with_their_error(runs, admin_client_):
    runs["failures"] = 99
    flaky.using(priority=0).enqueue("Desa Oelnasi")
    call_command("db_worker", "--batch", "--no-startup-delay")
    failed = DBTaskResult.objects.get(status="FAILED")

    listing = admin_client_.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status": "FAILED"}
    )
    detail = admin_client_.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )

    assert ">flaky<" in listing.text
    assert "SMS gateway down for Desa Oelnasi" in detail.text
