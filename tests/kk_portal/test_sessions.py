"""A request that only reads the session does not undo what another one wrote meanwhile
(``kk_portal.sessions``), while the idle timeout still moves on with every request, at most a
minute (``EXPIRY_STEP``) behind."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kk_portal.sessions import EXPIRY_STEP, SessionStore
from tests import factories as f


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


def _stored_session(expires):
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_unchanged_session_moved_on_within_a_minute_is_not_written_again(db):
    expires = timezone.now() + datetime.timedelta(minutes=30) - EXPIRY_STEP / 2
    key = _stored_session(expires)
    reader = SessionStore(key)
    reader.load()

    reader.save()

    assert Session.objects.get(session_key=key).expire_date == expires


def test_unchanged_session_a_minute_behind_is_moved_on(db):
    key = _stored_session(timezone.now() + datetime.timedelta(minutes=30) - EXPIRY_STEP * 2)
    reader = SessionStore(key)
    reader.load()

    reader.save()

    expire = Session.objects.get(session_key=key).expire_date
    assert expire > timezone.now() + datetime.timedelta(minutes=30) - EXPIRY_STEP / 2


def test_pages_read_one_after_another_write_the_session_once(db, client):
    officer = f.UserFactory(username="pengurus-sesi")
    client.force_login(officer)
    client.get(reverse("home"))
    key = client.session.session_key
    expire = Session.objects.get(session_key=key).expire_date

    client.get(reverse("home"))
    client.get(reverse("home"))

    # Within a minute of the last write the expiry stays; the session still ends 29 to 30
    # idle minutes after the last page.
    assert Session.objects.get(session_key=key).expire_date == expire
    assert expire > timezone.now() + datetime.timedelta(minutes=29)
