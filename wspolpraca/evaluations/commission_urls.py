"""The commission's pages (full paths; included under the namespace `evaluations`)."""

from django.urls import path

from . import commission_views as views

urlpatterns = [
    path("ocena/konkurs/<int:call_pk>/komisja/", views.commission_setup, name="commission_setup"),
    path(
        "ocena/konkurs/<int:call_pk>/komisja/czlonek/<int:member_pk>/usun/",
        views.remove_member,
        name="commission_remove_member",
    ),
    path(
        "ocena/konkurs/<int:call_pk>/komisja/rozpocznij/",
        views.start,
        name="commission_start",
    ),
    path("ocena/komisje/", views.my_commissions, name="my_commissions"),
    path("ocena/komisja/<int:pk>/", views.commission_home, name="commission"),
    path("ocena/komisja/<int:pk>/deklaracja/", views.declaration, name="declaration"),
    path("ocena/komisja/<int:pk>/oferta/<int:offer_pk>/", views.score, name="score"),
    path(
        "ocena/komisja/<int:pk>/oferta/<int:offer_pk>/sprawdz/",
        views.score_check,
        name="score_check",
    ),
    path(
        "ocena/komisja/<int:pk>/oferta/<int:offer_pk>/oferta.pdf",
        views.offer_pdf,
        name="commission_offer_pdf",
    ),
    path(
        "ocena/komisja/<int:pk>/oferta/<int:offer_pk>/konflikt/",
        views.conflict,
        name="conflict",
    ),
    path(
        "ocena/komisja/<int:pk>/oferta/<int:offer_pk>/opinia/",
        views.opinion,
        name="opinion",
    ),
    path("ocena/komisja/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("ocena/komisja/<int:pk>/zamknij/", views.close, name="close"),
    path("ocena/komisja/<int:pk>/protokol.pdf", views.minutes, name="minutes"),
]
