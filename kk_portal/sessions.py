"""The session engine: Django's database sessions, without lost updates from requests that
only read the session.

``SESSION_SAVE_EVERY_REQUEST`` (the idle timeout of shared phones) makes every request save
its session, and Django's store then writes back all of the data it read at the start. A
request that only read the session — a page the service worker fetches, ``/sw.js`` — and ended
after another one changed it (the second factor's code given, a message added) wrote the
old data over the new. Here such a request only moves the expiry date on, and only when the
stored one is more than ``EXPIRY_STEP`` behind: otherwise every page would cost a write and
its commit.
"""

import datetime

from django.contrib.sessions.backends import db

#: How far a stored expiry may lag behind the idle timeout before a request that only read
#: the session moves it on: a session ends between ``SESSION_COOKIE_AGE`` minus this and
#: ``SESSION_COOKIE_AGE`` after its last request (29 to 30 idle minutes by default).
EXPIRY_STEP = datetime.timedelta(minutes=1)


class SessionStore(db.SessionStore):
    """``db.SessionStore`` whose ``save()`` of an unchanged session updates only its expiry,
    and not even that within ``EXPIRY_STEP`` of the last update."""

    #: The expiry stored when the session was read (an aware ``datetime``), or ``None``.
    stored_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session

    def save(self, must_create=False):
        if not must_create and self.session_key is not None and not self.modified:
            expiry = self.get_expiry_date()
            if self.stored_expiry is not None and expiry - self.stored_expiry < EXPIRY_STEP:
                return
            updated = self.model.objects.filter(session_key=self.session_key).update(
                expire_date=expiry
            )
            if updated:
                self.stored_expiry = expiry
                return
        super().save(must_create=must_create)
