"""Indonesia's three time zones, and days and times in the zone of a place.

Every place of the programme lives in one zone: a regency carries its province's (Keppres
41/1987: WIB, WITA, WIT), a group, a meeting and an officer follow their regency. Dates people
type or read ("today", "the meeting's day") are dates in that zone, never the server's:
``today_in(group)`` is the one way to ask what day it is for a group, a meeting or a user.
"""

import datetime
import zoneinfo

from django.db import models
from django.utils import timezone


class TimeZone(models.TextChoices):
    """Indonesia's three time zones (Keppres 41/1987), by IANA name."""

    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


#: The default zone (``settings.TIME_ZONE``): eight of the nine programme regencies are WITA.
DEFAULT_ZONE = TimeZone.WITA.value


def zone_label(tz_name):
    """Short label (``WIB``/``WITA``/``WIT``) for an IANA zone name; the name itself otherwise."""
    try:
        return TimeZone(str(tz_name)).label
    except ValueError:
        return str(tz_name)


def zone_of(place):
    """The ``ZoneInfo`` of ``place``: an IANA name (``"Asia/Jayapura"``), a ``ZoneInfo``, or
    anything with a ``time_zone`` name (a regency, group, reses meeting or user)."""
    if isinstance(place, zoneinfo.ZoneInfo):
        return place
    name = place if isinstance(place, str) else place.time_zone
    return zoneinfo.ZoneInfo(str(name))


def today_in(place):
    """Today's ``date`` in the zone of ``place`` (see ``zone_of``): the date of a group in
    Kota Ambon (WIT) turns an hour before that of a group in Mataram (WITA)."""
    return timezone.localdate(timezone=zone_of(place))


def local_date(moment, place):
    """The calendar day (a ``date``) of the aware datetime ``moment`` in the zone of ``place``."""
    return timezone.localtime(moment, zone_of(place)).date()


def local_datetime(day, time, place):
    """The aware datetime of ``day`` at ``time`` (a ``date`` and a ``time``) in the zone of
    ``place``: 17 August 2024 at 09:00 in Kota Kendari (WITA) is 01:00 UTC."""
    return datetime.datetime.combine(day, time, tzinfo=zone_of(place))
