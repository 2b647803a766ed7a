"""The session engine: Django's database sessions, without lost updates from requests that
only read the session.

``SESSION_SAVE_EVERY_REQUEST`` (the idle timeout of shared phones) makes every request save
its session, and Django's store then writes back all of the data it read at the start. A
request that only read the session — a page the service worker fetches, ``/sw.js`` — and ended
after another one changed it (the second factor's code given, a message added) wrote the
old data over the new. Here such a request only moves the expiry date on.
"""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    """``db.SessionStore`` whose ``save()`` of an unchanged session updates only its expiry."""

    def save(self, must_create=False):
        if not must_create and self.session_key is not None and not self.modified:
            updated = self.model.objects.filter(session_key=self.session_key).update(
                expire_date=self.get_expiry_date()
            )
            if updated:
                return
        super().save(must_create=must_create)
