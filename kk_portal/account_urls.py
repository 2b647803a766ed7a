"""URLs of officer-account management (namespace ``officers``), under ``accounts/officers/``."""

from django.urls import path

from kk_portal import account_views

app_name = "officers"
urlpatterns = [
    path("", account_views.officer_list, name="list"),
    path("new/", account_views.officer_create, name="create"),
    path("<int:pk>/password/", account_views.officer_password, name="password"),
    path("<int:pk>/active/", account_views.officer_active, name="active"),
    path("<int:pk>/unlock/", account_views.officer_unlock, name="unlock"),
]
