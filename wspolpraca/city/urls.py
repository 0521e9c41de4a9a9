from django.urls import path

from . import views

app_name = "city"

BODY = "ciala-dialogu/<slug:slug>/"

urlpatterns = [
    path("koordynatorzy/", views.coordinators, name="coordinators"),
    path("wydzialy/", views.departments, name="departments"),
    # Dialogue bodies: the Public Benefit Council and the Civic Dialogue Commissions.
    path("ciala-dialogu/", views.bodies, name="bodies"),
    path(BODY, views.body, name="body"),
    path(BODY + "sklad/dodaj/", views.member_form, name="body_member_add"),
    path(BODY + "sklad/<int:pk>/edycja/", views.member_form, name="body_member_edit"),
    path(BODY + "sklad/<int:pk>/usuniecie/", views.member_delete, name="body_member_delete"),
    path(BODY + "posiedzenia/", views.body_meetings, name="body_meetings"),
    path(BODY + "posiedzenia/dodaj/", views.meeting_form, name="body_meeting_add"),
    path(BODY + "posiedzenia/<int:pk>/", views.body_meeting, name="body_meeting"),
    path(BODY + "posiedzenia/<int:pk>/edycja/", views.meeting_form, name="body_meeting_edit"),
    path(
        BODY + "posiedzenia/<int:pk>/usuniecie/", views.meeting_delete, name="body_meeting_delete"
    ),
    path(BODY + "opinie/", views.body_opinions, name="body_opinions"),
    path(BODY + "opinie/dodaj/", views.opinion_form, name="body_opinion_add"),
    path(BODY + "opinie/<int:pk>/", views.body_opinion, name="body_opinion"),
    path(BODY + "opinie/<int:pk>/edycja/", views.opinion_form, name="body_opinion_edit"),
    path(BODY + "opinie/<int:pk>/sprawdz/", views.opinion_check, name="body_opinion_check"),
    path(BODY + "opinie/<int:pk>/usuniecie/", views.opinion_delete, name="body_opinion_delete"),
    path(BODY + "wnioski/", views.body_requests, name="body_requests"),
    path(BODY + "wnioski/nowy/", views.request_form, name="body_request_add"),
    path(BODY + "wnioski/<int:pk>/", views.body_request, name="body_request"),
    path(
        BODY + "wnioski/<int:request_pk>/opinia/",
        views.opinion_form,
        name="body_request_answer",
    ),
]
