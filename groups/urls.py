"""URLs of the groups app (namespace ``groups``)."""

from django.urls import path

from groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("export/", views.group_export, name="export"),
    path("new/", views.group_create, name="create"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/decree/", views.decree_scan, name="decree"),
]
