"""Dashboard URLs (namespace ``dashboard``)."""

from django.urls import path

from kk_portal import dashboard_views as views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export/aspirations/", views.export_aspirations, name="export_aspirations"),
    path("export/members/", views.export_members, name="export_members"),
    path("export/<slug:key>/", views.export_table, name="export_table"),
]
