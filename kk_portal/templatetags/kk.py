"""Template tags for what people read (``rupiah``, ``number``, ``in_zone``) and the one
question templates ask about writing (``can``)."""

from django import template

from kk_portal import permissions
from kk_portal.formats import format_number, format_rupiah, format_time_in_zone

register = template.Library()


@register.filter
def rupiah(value):
    """``{{ amount|rupiah }}`` → ``Rp 1.500.000``."""
    return format_rupiah(value)


@register.filter
def number(value):
    """``{{ count|number }}`` → ``1.234`` (never use on IDs in HTML attributes)."""
    return format_number(value)


@register.filter
def in_zone(value, tz_name):
    """``{{ meeting.starts_at|in_zone:meeting.time_zone }}`` → ``17 Agustus 2024 09.00 WIT``."""
    return format_time_in_zone(value, tz_name)


@register.simple_tag(takes_context=True)
def can(context, action, target):
    """``{% can "change" aspiration as may_change %}``: whether the signed-in user may do
    ``action`` to ``target`` (a row, or an ``"app.Model"`` label for "at all"), asked of
    ``kk_portal.permissions.can``. Pages show a button only where the view would allow it."""
    user = context.get("user")
    if user is None:
        request = context.get("request")
        user = getattr(request, "user", None)
    return user is not None and permissions.can(user, action, target)
