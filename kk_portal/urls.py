"""Root URLs. Each app owns its own ``urls.py`` under its namespace."""

from django.contrib import admin
from django.urls import include, path

from kk_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/officers/", include("kk_portal.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("dashboard/", include("kk_portal.dashboard_urls")),
    path("groups/", include("groups.urls")),
    path("members/", include("members.urls")),
    path("aspirations/", include("aspirations.urls")),
    path("reses/", include("reses.urls")),
]

# Uploaded files are never served from a public media URL, not even with DEBUG: attachments
# go through the scoped view ``aspirations:attachment`` (issue 3).
