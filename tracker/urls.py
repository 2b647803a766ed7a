"""URLs of the public tracker and the scorecards (namespace ``tracker``)."""

from django.urls import path

from tracker import views

app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("aspirasi/", views.aspiration_list, name="list"),
    path("aspirasi/<int:pk>/", views.aspiration_detail, name="detail"),
    path("wakil/<int:pk>/", views.representative, name="representative"),
    path("opd/", views.agencies, name="agencies"),
    path("staf/wakil/<int:pk>/", views.staff_representative, name="staff_representative"),
    path("staf/wakil/<int:pk>/pokir/", views.staff_pokir_export, name="staff_pokir_export"),
    path("staf/opd/", views.staff_agencies, name="staff_agencies"),
]
