"""Template filters for what people read: ``rupiah``, ``number``, ``in_zone``."""

from django import template

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
