"""The background steps of an import (``kk_portal.tasks.retrying_task``, run by
``manage.py db_worker``): reading a file into its preview, and writing a confirmed
preview. Arguments are the job's id. When every run of a step fails, the job is marked
failed (``services.import_job_fail``) so its page says so and offers to try again."""

from imports import services
from imports.models import ImportJob
from kk_portal.tasks import retrying_task


def _preview_failed(args, _kwargs, _error):
    services.import_job_fail(args[0], step=ImportJob.Step.PREVIEW)


def _confirm_failed(args, _kwargs, _error):
    services.import_job_fail(args[0], step=ImportJob.Step.CONFIRM)


@retrying_task(on_final_failure=_preview_failed)
def preview_import(job_id):
    """Build the preview of the job ``job_id`` (``services.import_job_preview``)."""
    services.import_job_preview(ImportJob.objects.select_related("created_by").get(pk=job_id))


@retrying_task(on_final_failure=_confirm_failed)
def confirm_import(job_id):
    """Write the confirmed job ``job_id`` (``services.import_job_confirm``)."""
    services.import_job_confirm(job_id)
