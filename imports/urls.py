from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("template/<slug:kind>.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/choose/", views.job_resolve, name="resolve"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/delete/", views.job_delete, name="delete"),
]
