"""URLs of the members app (namespace ``members``)."""

from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.member_export, name="export"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/anonymise/", views.member_anonymise, name="anonymise"),
    path("<int:pk>/data/", views.member_data, name="data"),
    path("<int:pk>/data/json/", views.member_data_json, name="data_json"),
    path("<int:pk>/data/pdf/", views.member_data_pdf_download, name="data_pdf"),
    path("officers/new/<int:pk>/", views.officer_start, name="officer_start"),
    path("officers/<int:pk>/end/", views.officer_end, name="officer_end"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/export/", views.role_export, name="role_export"),
    path("<int:pk>/roles/new/", views.role_create, name="role_create"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
]
