from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    # The calendar: everything dated, from the feed.
    path("kalendarz/", views.calendar_month, name="calendar"),
    path("kalendarz/lista/", views.calendar_list, name="list"),
    path("kalendarz/ical/", views.calendar_ical, name="ical"),
    # Events, trainings and sector meetings.
    path("wydarzenia/", views.events_landing, name="landing"),
    path("wydarzenia/zglos/", views.new, name="new"),
    path("wydarzenia/moje/", views.mine, name="mine"),
    path("wydarzenia/moderacja/", views.queue, name="queue"),
    path("wydarzenia/<int:pk>/", views.detail, name="detail"),
    path("wydarzenia/<int:pk>/wydarzenie.ics", views.event_ical, name="event_ical"),
    path("wydarzenia/<int:pk>/zapis/", views.register, name="register"),
    path("wydarzenia/<int:pk>/rezygnacja/", views.cancel_registration, name="cancel_registration"),
    path("wydarzenia/<int:pk>/zapisani/", views.registrations, name="registrations"),
    path("wydarzenia/<int:pk>/edycja/", views.edit, name="edit"),
    path("wydarzenia/<int:pk>/sprawdz/", views.check, name="check"),
    path("wydarzenia/<int:pk>/wyslane/", views.sent, name="sent"),
    path("wydarzenia/<int:pk>/odwolanie/", views.cancel_event, name="cancel"),
    path("wydarzenia/<int:pk>/moderacja/", views.moderate, name="moderate"),
    path("wydarzenia/<int:pk>/odrzucenie/", views.reject, name="reject"),
]
