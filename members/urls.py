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
]
