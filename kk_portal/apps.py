from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KkPortalConfig(AppConfig):
    name = "kk_portal"
    verbose_name = _("KK Portal")
