from django.urls import path

from . import training_views, views

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

urlpatterns += [
    # The training offer, matched to the needs survey's topics, and mentoring.
    path("szkolenia/", training_views.trainings, name="trainings"),
    path("szkolenia/tematy/", training_views.topics, name="topics"),
    path("szkolenia/tematy/<int:pk>/", training_views.topic, name="topic"),
    path("szkolenia/konsultacje/", training_views.slots, name="slots"),
    path("szkolenia/konsultacje/nowa/", training_views.slot_new, name="slot_new"),
    path("szkolenia/konsultacje/moje/", training_views.mentoring_mine, name="mentoring_mine"),
    path("szkolenia/konsultacje/<int:pk>/", training_views.slot, name="slot"),
    path("szkolenia/konsultacje/<int:pk>/rezerwacja/", training_views.book, name="book"),
    path("szkolenia/konsultacje/<int:pk>/wycofanie/", training_views.withdraw, name="withdraw"),
    path(
        "szkolenia/konsultacje/rezerwacje/<int:pk>/odwolanie/",
        training_views.cancel_booking,
        name="cancel_booking",
    ),
]
