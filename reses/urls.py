"""URLs of the reses app (namespace ``reses``)."""

from django.urls import path

from reses import views

app_name = "reses"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_update, name="meeting_update"),
    path("<int:pk>/agenda/", views.agenda_build, name="agenda_build"),
    path("<int:pk>/propose/", views.agenda_propose, name="agenda_propose"),
    path("<int:pk>/print/", views.agenda_print, name="agenda_print"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf_download, name="agenda_pdf"),
    path("<int:pk>/follow-up/", views.meeting_followup, name="meeting_followup"),
]
