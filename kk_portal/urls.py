"""Root URLs. Each app owns its own ``urls.py`` under its namespace; this module names them
only as strings, so that the core imports no app."""

from django.contrib import admin
from django.urls import include, path

from kk_portal import account_views, offline, privacy, second_factor

urlpatterns = [
    path("", include("dashboards.home_urls")),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline_help, name="offline_help"),
    path("privasi/", privacy.privacy, name="privacy"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/me/", account_views.account, name="account"),
    path("accounts/code/", second_factor.second_factor, name="second_factor"),
    path("accounts/code/setup/", second_factor.second_factor_enrol, name="second_factor_enrol"),
    path(
        "accounts/code/backup/",
        second_factor.second_factor_backup_codes,
        name="second_factor_backup_codes",
    ),
    path("accounts/officers/", include("kk_portal.account_urls")),
    path("accounts/tokens/", include("api.token_urls")),
    # Before Django's own, which it replaces: it says when no e-mail can be sent.
    path("accounts/password_reset/", account_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboards.urls")),
    path("groups/", include("groups.urls")),
    path("members/", include("members.urls")),
    path("aspirations/", include("aspirations.urls")),
    path("reses/", include("reses.urls")),
    path("assistance/", include("assistance.urls")),
    path("activities/", include("activities.urls")),
    path("accounts/reminders/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("search/", include("search.urls")),
    path("publik/", include("tracker.urls")),
    path("imports/", include("imports.urls")),
    path("api/v1/", include("api.urls")),
]

# Uploaded files are never served from a public media URL, not even with DEBUG: attachments
# go through the scoped view ``aspirations:attachment``.

# An unreachable database answers 503 "try again" even where it fails outside a view.
handler500 = "kk_portal.health.server_error"
