"""What a server worker does once at start instead of in its first request (issue 14: the
first dashboard after a start took 1.2–2.5 s).

Measured at national scale on 2 cores: importing every view through the URLconf about
0.4 s (1.5 s under load), compiling the templates about 0.1 s, the first database
connection a few ms, and the first ``reverse()`` in each language about 0.15 s (it builds
that language's map of every URL pattern: 0.5 s of the aspiration list's first request at
load 4). ``warm_up`` does all of these before the worker takes requests; figures are not
computed here (the summaries and the shared cache hold those).
"""

import logging
import time
from pathlib import Path

import django.forms
from django.conf import settings
from django.db import OperationalError, connection
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up():
    """Import every view (the URLconf's patterns), load each language of
    ``settings.LANGUAGES`` with its map for ``reverse()``, compile every template of the
    project's ``templates`` folder and Django's form widgets into the cached loader, and
    open the database connection (if the database answers). Returns the milliseconds it
    took; a template that does not compile is left for its request to report."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018  (importing the views is the point)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")
    # Django's own form templates (labels, inputs, errors) through the project's engine,
    # as ``kk_portal.forms.FormRenderer`` reads them.
    for directory in [
        *settings.TEMPLATES[0]["DIRS"],
        Path(django.forms.__file__).parent / "templates",
    ]:
        for path in Path(directory).rglob("*.html"):
            try:
                get_template(str(path.relative_to(directory)))
            except Exception:  # noqa: BLE001  (its own request shows the error)
                logger.exception("Template %s did not compile at warm-up", path)
    try:
        connection.ensure_connection()
    except OperationalError:
        # The database out of reach must not keep the worker from starting: its requests
        # answer with the 503 page until it is back.
        logger.warning("No database connection at warm-up")
    elapsed = (time.perf_counter() - started) * 1000
    logger.info("Worker warmed up in %.0f ms", elapsed)
    return elapsed
