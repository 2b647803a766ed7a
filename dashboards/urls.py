"""Dashboard URLs (namespace ``dashboard``), under ``dashboard/``."""

from django.urls import path

from dashboards import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export/<slug:key>/", views.export_table, name="export_table"),
]
