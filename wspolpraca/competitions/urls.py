from django.urls import path

from . import views

app_name = "competitions"
urlpatterns = [
    path("harmonogram/", views.schedule_latest, name="schedule_latest"),
    path("harmonogram/<int:year>/", views.schedule, name="schedule"),
    path("harmonogram/<int:year>.csv", views.schedule_csv, name="schedule_csv"),
    path("harmonogram/<int:year>.ics", views.schedule_ical, name="schedule_ical"),
]
