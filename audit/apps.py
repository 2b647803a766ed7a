from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit of personal data")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from audit import signals

        user_logged_in.connect(signals.on_signed_in, dispatch_uid="audit_sign_in")
        user_login_failed.connect(signals.on_sign_in_failed, dispatch_uid="audit_sign_in_failed")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="audit_locked_out")
        # Importing the module connected its receiver of kk_portal.signals.backup_code_used.
