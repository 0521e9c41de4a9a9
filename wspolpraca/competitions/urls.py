from django.urls import path

from . import views

app_name = "competitions"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("zapowiedziane/", views.calls, {"tab": "upcoming"}, name="calls_upcoming"),
    path("w-ocenie/", views.calls, {"tab": "evaluation"}, name="calls_evaluation"),
    path("rozstrzygniete/", views.calls, {"tab": "decided"}, name="calls_decided"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/pytanie/", views.ask, name="call_ask"),
    path("<int:pk>/wersje/<int:number>/", views.call_version, name="call_version"),
    path("harmonogram/", views.schedule_latest, name="schedule_latest"),
    path("harmonogram/<int:year>/", views.schedule, name="schedule"),
    path("harmonogram/<int:year>.csv", views.schedule_csv, name="schedule_csv"),
    path("harmonogram/<int:year>.ics", views.schedule_ical, name="schedule_ical"),
]
