from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        # Importing the module connects its receivers of aspirations.signals: the summary
        # tables follow every write of aspirations.services, inside its transaction.
        from dashboards import summaries  # noqa: F401
