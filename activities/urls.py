"""URLs of the activities app (namespace ``activities``)."""

from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export/", views.activity_export, name="export"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/attendance/members/", views.attendance_members, name="attendance_members"),
    path("<int:pk>/attendance/guest/", views.attendance_guest, name="attendance_guest"),
    path("<int:pk>/attendance/export/", views.attendance_export, name="attendance_export"),
    path("<int:pk>/sheet.pdf", views.attendance_sheet, name="sheet"),
    path("attendance/", views.attendance_list, name="attendance_list"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("budget/", views.budget_list, name="budget_list"),
    path("budget/export/", views.budget_export, name="budget_export"),
    path("budget/new/", views.budget_create, name="budget_create"),
    path("budget/<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/adopt/", views.practice_adopt, name="practice_adopt"),
]
