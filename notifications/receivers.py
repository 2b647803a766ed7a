"""Receivers of ``aspirations.signals``: a recorded reses response tells the group's officers.

The task is queued once the write's transaction commits, so a response rolled back tells
no one, and the worker finds the event it is about.
"""

from contextlib import contextmanager

from django.db import transaction
from django.dispatch import receiver

from aspirations.signals import aspiration_response_recorded
from notifications.tasks import notify_response


@receiver(aspiration_response_recorded)
def response_recorded(sender, aspiration_id, event_id, **kwargs):
    transaction.on_commit(lambda: notify_response.enqueue(aspiration_id, event_id))


@contextmanager
def responses_untold():
    """Within the block, recorded responses tell no one: for data loaded in bulk (the demo's
    past reses meetings are history, not news)."""
    aspiration_response_recorded.disconnect(response_recorded)
    try:
        yield
    finally:
        aspiration_response_recorded.connect(response_recorded)
