"""The tasks that send reminders (run by ``manage.py db_worker``).

``deliver`` sends one reminder to one user, once: it writes the ``Delivery`` row and sends
in one transaction, so a failed send leaves no row and the retry (``retrying_task``) sends
it again, and a reminder already in ``Delivery`` (a second run, a second worker racing:
the unique constraint ``delivery_once``) is not sent twice.
"""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from aspirations.models import Aspiration
from kk_portal.scoping import Role
from kk_portal.tasks import retrying_task
from kk_portal.zones import today_in
from notifications.gateways import gateway
from notifications.messages import compose
from notifications.models import PHONE_CHANNELS, Channel, Delivery, Kind, preference_for


def destination(user, preference):
    """``(channel, address)`` of ``user``'s reminders: the e-mail address or the phone of
    the chosen channel; ``(channel, "")`` when switched off or the address is missing."""
    if preference.channel == Channel.EMAIL:
        return preference.channel, user.email
    if preference.channel in PHONE_CHANNELS:
        return preference.channel, user.phone
    return preference.channel, ""


@retrying_task
def deliver(user_id, kind, key, object_id=None):
    """Send reminder ``kind`` about ``object_id`` to user ``user_id`` once for ``key``
    (see ``notifications.reminders``), in the user's language, by their channel.

    Returns what happened, for the task results: ``"sent"``, ``"already sent"``, or why
    nothing was sent. Raises when the mail server or SMS gateway fails (then retried).
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "no active user"
    preference = preference_for(user)
    channel, address = destination(user, preference)
    if not address:
        return "no channel"
    with translation.override(preference.language):
        message = compose(kind, user, object_id, today_in(user))
    if message is None:
        return "nothing to tell"
    text = message.email if channel == Channel.EMAIL else message.sms
    with transaction.atomic():
        try:
            with transaction.atomic():
                Delivery.objects.create(
                    user=user, kind=kind, key=key, channel=channel, address=address, text=text
                )
        except IntegrityError:
            return "already sent"
        if channel == Channel.EMAIL:
            send_mail(message.subject, text, None, [address])
        else:
            gateway().send(address, text, channel)
    return "sent"


@retrying_task
def notify_response(aspiration_id, event_id):
    """Queue ``deliver`` of a recorded reses response (the ``AspirationEvent`` ``event_id``)
    to each active officer of aspiration ``aspiration_id``'s group; returns how many."""
    group = Aspiration.objects.filter(pk=aspiration_id).values_list("group", flat=True).first()
    officers = (
        get_user_model()
        .objects.filter(role=Role.OFFICER, group=group, is_active=True)
        .values_list("pk", flat=True)
    )
    for officer in officers:
        deliver.enqueue(officer, Kind.RESPONSE, f"event:{event_id}", event_id)
    return len(officers)
