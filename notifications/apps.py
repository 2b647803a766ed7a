from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Importing the module connects its receiver of aspirations.signals: a recorded
        # reses response queues a task that tells the group's officers.
        from notifications import receivers  # noqa: F401
