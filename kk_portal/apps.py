from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KkPortalConfig(AppConfig):
    name = "kk_portal"
    verbose_name = _("KK Portal")

    def ready(self):
        from kk_portal import checks  # noqa: F401  (registers the deploy checks)

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(sender, using, verbosity=1, **kwargs):
    """After ``migrate``, create the database cache's table if it is missing, so that
    ``CACHE_URL``'s default (``db://``) works on a fresh database with no extra command.
    Does nothing for other cache backends."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
