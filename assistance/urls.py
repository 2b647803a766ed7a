"""URLs of the assistance app (namespace ``assistance``). Cases are named by their id only."""

from django.urls import path

from assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export/", views.case_export, name="export"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/print/", views.case_print, name="print"),
    path("<int:pk>/data/json/", views.case_data_json, name="data_json"),
    path("<int:pk>/data/pdf/", views.case_data_pdf, name="data_pdf"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/steps/<slug:kind>/", views.case_step, name="step"),
    path("<int:pk>/handlers/", views.case_handlers, name="handlers"),
    path("<int:pk>/consent/", views.case_consent, name="consent"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path(
        "documents/<int:pk>/thumbnail/",
        views.document_download,
        {"variant": "thumbnail"},
        name="document_thumbnail",
    ),
]
