"""URLs of the aspirations app (namespace ``aspirations``)."""

from django.urls import path

from aspirations import views

app_name = "aspirations"
urlpatterns = [
    path("", views.aspiration_list, name="list"),
    path("new/", views.aspiration_create, name="create"),
    path("<int:pk>/", views.aspiration_detail, name="detail"),
    path("<int:pk>/edit/", views.aspiration_edit, name="edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        views.attachment_download,
        {"variant": "thumbnail"},
        name="attachment_thumbnail",
    ),
]
