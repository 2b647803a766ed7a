"""What the suite needs from the machine beyond Python packages, and what to do without it.

A newcomer's machine may lack Debian's Chromium (the browser tests), Pango (WeasyPrint's
PDFs), gettext (``compilemessages``; the committed ``django.mo`` is used without it) or a
Redis server at ``REDIS`` (the tests of the cache shared through ``CACHE_URL=redis://``).
Without one of them the suite names the part and the command that installs it, skips only
the tests that need it, and repeats the list in its summary; with ``CI`` set it stops
instead, so a CI machine never passes by skipping (issue 14).
"""

import os
import shutil
import socket

#: The Redis server the tests of the shared cache use: (host, port), database 0.
REDIS = ("127.0.0.1", 6379)


def chromium():
    """The path of Debian's Chromium (``chromium`` on ``PATH``, /usr/bin/chromium from the
    package), or ``None`` where it is not installed."""
    return shutil.which("chromium")


#: Each part: (name, what happens without it, the command that installs it on Debian).
PARTS = {
    "chromium": (
        "Chromium",
        "the browser tests (tests/browser/) are skipped",
        "apt-get install chromium",
    ),
    "pango": (
        "Pango",
        "the tests that render a PDF (WeasyPrint) are skipped",
        "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core",
    ),
    "gettext": (
        "gettext",
        "the translations are not compiled; the committed locale/id/LC_MESSAGES/django.mo "
        "is used, which may be older than django.po",
        "apt-get install gettext",
    ),
    "redis": (
        f"Redis at {REDIS[0]}:{REDIS[1]}",
        "the tests of the cache shared through CACHE_URL=redis:// are skipped",
        "apt-get install redis-server && redis-server --daemonize yes",
    ),
}


def _pango_loads():
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def _redis_answers():
    """Whether a Redis server at ``REDIS`` answers ``PING`` within half a second."""
    try:
        with socket.create_connection(REDIS, timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def missing_parts():
    """The keys of ``PARTS`` this machine lacks, in ``PARTS`` order (a list, maybe empty).

    ``KK_SUITE_WITHOUT`` (comma-separated keys, e.g. ``chromium,pango``) counts parts as
    missing that are present, to try a newcomer's machine on a complete one.
    """
    pretended = set(os.environ.get("KK_SUITE_WITHOUT", "").split(","))
    present = {
        "chromium": chromium() is not None,
        "pango": _pango_loads(),
        "gettext": shutil.which("msgfmt") is not None,
        "redis": _redis_answers(),
    }
    return [key for key in PARTS if not present[key] or key in pretended]


def message(key):
    """One line for a missing part: what it is, what happens without it, how to install it."""
    name, without, command = PARTS[key]
    return f"{name} is missing: {without}. Install it with: {command}"


def in_ci():
    """Whether the suite runs in CI (``CI`` set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")
