"""The background steps of an import (``kk_portal.tasks.retrying_task``, run by
``manage.py db_worker``): reading a file into its preview, and writing a confirmed
preview. Arguments are the job's id."""

from imports import services
from imports.models import ImportJob
from kk_portal.tasks import retrying_task


@retrying_task
def preview_import(job_id):
    """Build the preview of the job ``job_id`` (``services.import_job_preview``)."""
    services.import_job_preview(ImportJob.objects.select_related("created_by").get(pk=job_id))


@retrying_task
def confirm_import(job_id):
    """Write the confirmed job ``job_id`` (``services.import_job_confirm``)."""
    services.import_job_confirm(job_id)
