"""System checks of a deployment (``manage.py check --deploy``) beyond Django's own."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def cache_shared_by_every_worker(app_configs, **kwargs):
    """Warn when the cache lives in each process (``CACHE_URL=locmem://``): every gunicorn
    worker would then count API requests (``API_RATE``) and keep dashboard figures apart."""
    if settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache"):
        return [
            Warning(
                "CACHE_URL=locmem:// gives each worker process a cache of its own: API rate "
                "limits and cached figures are not shared.",
                hint="Set CACHE_URL=db:// (the default) or redis://host:6379/0.",
                id="kk_portal.W001",
            )
        ]
    return []
