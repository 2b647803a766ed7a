"""URLs of the aspirations app (namespace ``aspirations``)."""

from django.urls import path

from aspirations import musrenbang_views, pipeline_views, views

app_name = "aspirations"
urlpatterns = [
    path("", views.aspiration_list, name="list"),
    path("export/", views.aspiration_export, name="export"),
    path("pokir/", views.aspiration_move_bulk, name="move_bulk"),
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
    path("<int:pk>/move/", pipeline_views.aspiration_move_view, name="move"),
    path("<int:pk>/correct/", pipeline_views.aspiration_correct_view, name="correct"),
    path("<int:pk>/carry-over/", pipeline_views.aspiration_carry_over_view, name="carry_over"),
    path("<int:pk>/public/", pipeline_views.aspiration_set_public_view, name="set_public"),
    path(
        "<int:pk>/same-need/",
        pipeline_views.aspiration_link_duplicate_view,
        name="link_duplicate",
    ),
    path(
        "<int:pk>/own-need/",
        pipeline_views.aspiration_unlink_duplicate_view,
        name="unlink_duplicate",
    ),
    path("stuck/", pipeline_views.stuck, name="stuck"),
    path("musrenbang/", musrenbang_views.musrenbang_list, name="musrenbang_list"),
    path("musrenbang/new/", musrenbang_views.musrenbang_create, name="musrenbang_create"),
    path("musrenbang/<int:pk>/", musrenbang_views.musrenbang_detail, name="musrenbang_detail"),
    path("musrenbang/<int:pk>/edit/", musrenbang_views.musrenbang_edit, name="musrenbang_edit"),
]
