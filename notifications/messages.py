"""What each reminder says, in the active language (``translation.override`` by the task).

``compose(kind, user, object_id, today)`` gives a ``Message`` or ``None`` when there is
nothing to say to ``user`` any more (nothing waits, the meeting is gone or out of their
scope). Every message is short, names nothing outside the user's scope (each row is read
through ``visible_to(user)``), and ends with an absolute link (``settings.SITE_URL``); its
SMS form fits one SMS (``notifications.sms.fit``). A case's follow-up names no person and
no detail of the case (DESIGN.md, "Who may see what": cases are confidential).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aspirations.models import Aspiration, AspirationEvent
from assistance.models import AssistanceCase
from kk_portal.formats import format_time_in_zone
from notifications.models import Kind
from notifications.sms import fit
from reses.models import ResesMeeting


@dataclass(frozen=True)
class Message:
    """``subject`` (an e-mail's), ``body`` (one sentence or two) and ``link`` (absolute)."""

    subject: str
    body: str
    link: str

    @property
    def sms(self):
        """Body and link in one SMS of GSM-7 (at most 160 characters)."""
        return fit(self.body, self.link)

    @property
    def email(self):
        """The e-mail's text: the body, then the link on its own line."""
        return f"{self.body}\n\n{self.link}\n"


def absolute(path):
    """``settings.SITE_URL`` + ``path`` (``/reses/3/``)."""
    return settings.SITE_URL + path


def _digest(user, object_id, today):
    waiting = Aspiration.objects.visible_to(user).waiting(today).count()
    if not waiting:
        return None
    body = ngettext(
        "KK Portal: %(count)d aspiration has waited more than %(days)d days for its next step.",
        "KK Portal: %(count)d aspirations have waited more than %(days)d days for their next step.",
        waiting,
    ) % {"count": waiting, "days": settings.STALE_ASPIRATION_DAYS}
    return Message(_("Aspirations waiting"), body, absolute(reverse("home")))


def _meeting(user, object_id, today):
    meeting = (
        ResesMeeting.objects.visible_to(user)
        .select_related("representative", "village__subdistrict__regency__province")
        .filter(pk=object_id)
        .first()
    )
    if meeting is None:
        return None
    body = _("KK Portal: reses of %(representative)s on %(when)s at %(venue)s, %(village)s.") % {
        "representative": meeting.representative.full_name,
        "when": format_time_in_zone(meeting.starts_at, meeting.time_zone),
        "venue": meeting.venue,
        "village": meeting.village.name,
    }
    return Message(_("Reses meeting in 3 days"), body, absolute(meeting.get_absolute_url()))


def _response(user, object_id, today):
    event = (
        AspirationEvent.objects.filter(
            pk=object_id, aspiration__in=Aspiration.objects.visible_to(user)
        )
        .select_related("aspiration")
        .first()
    )
    if event is None:
        return None
    body = _('KK Portal: the reses response to "%(title)s" is recorded: %(response)s.') % {
        "title": event.aspiration.title,
        "response": event.get_response_display(),
    }
    link = absolute(reverse("aspirations:detail", args=[event.aspiration_id]))
    return Message(_("Reses response recorded"), body, link)


def _follow_up(user, object_id, today):
    due = (
        AssistanceCase.objects.visible_to(user)
        .open()
        .filter(pk=object_id, handlers=user, follow_up_on__lte=today)
        .exists()
    )
    if not due:
        return None
    body = _("KK Portal: a follow-up of a case you handle is due.")
    return Message(_("Follow-up due"), body, absolute(reverse("assistance:list")))


COMPOSERS = {
    Kind.DIGEST: _digest,
    Kind.MEETING: _meeting,
    Kind.RESPONSE: _response,
    Kind.FOLLOW_UP: _follow_up,
}


def compose(kind, user, object_id, today):
    """The ``Message`` of reminder ``kind`` (a ``notifications.models.Kind``) for ``user``
    about the row ``object_id`` (the meeting, the response's ``AspirationEvent``, the
    case; ``None`` for a digest) on ``today`` (the user's date), or ``None``."""
    return COMPOSERS[kind](user, object_id, today)
