"""WSGI entry point, served by gunicorn: ``gunicorn kk_portal.wsgi``.

Each worker loads this module once before it takes requests, so it also warms itself up
there (``kk_portal.warmup``: views imported, templates compiled, database connected) and
its first request is as fast as the others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
application = get_wsgi_application()

from kk_portal.warmup import warm_up  # noqa: E402  (needs the settings loaded above)

warm_up()
