"""A request that only reads the session does not undo what another one wrote meanwhile
(``kk_portal.sessions``), while the idle timeout still moves on with every request."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from kk_portal.sessions import SessionStore


def test_unchanged_session_saved_late_keeps_what_another_request_wrote(db):
    first = SessionStore()
    first["_auth_user_id"] = "7"
    first.create()
    reader = SessionStore(first.session_key)
    reader.load()  # a request that only reads, still running
    writer = SessionStore(first.session_key)
    writer["otp_device_id"] = "otp_totp.totpdevice/1"
    writer.save()

    reader.save()

    assert SessionStore(first.session_key).load() == {
        "_auth_user_id": "7",
        "otp_device_id": "otp_totp.totpdevice/1",
    }


def test_unchanged_session_save_moves_the_expiry_on(db):
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    reader = SessionStore(store.session_key)
    reader.load()

    reader.save()

    expire = Session.objects.get(session_key=store.session_key).expire_date
    assert expire > timezone.now() + datetime.timedelta(minutes=29)


def test_changed_session_is_written_whole(db):
    store = SessionStore()
    store.create()
    again = SessionStore(store.session_key)
    again["django_language"] = "en"

    again.save()

    assert SessionStore(store.session_key).load() == {"django_language": "en"}
