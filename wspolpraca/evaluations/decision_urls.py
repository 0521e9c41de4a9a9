"""The decisions' addresses: the department's under /ocena/, the public results under the
call's address /konkursy/<id>/wyniki/."""

from django.urls import path

from . import decision_views as views

urlpatterns = [
    path("ocena/konkurs/<int:call_pk>/decyzje/", views.decisions_page, name="decisions"),
    path("ocena/oferta/<int:offer_pk>/decyzja/", views.decide, name="decide"),
    path(
        "ocena/konkurs/<int:call_pk>/publikacja-wynikow/",
        views.publish_results,
        name="publish_results",
    ),
    path("ocena/konkurs/<int:call_pk>/uzasadnienia/", views.reasons, name="reasons"),
    path("ocena/uzasadnienie/<int:pk>/", views.answer_reasons, name="answer_reasons"),
    path("konkursy/<int:call_pk>/wyniki/", views.results, name="results"),
    path("konkursy/<int:call_pk>/wyniki.pdf", views.results_pdf, name="results_pdf"),
    path(
        "konkursy/<int:call_pk>/protokol-komisji.pdf",
        views.public_minutes,
        name="public_minutes",
    ),
    path("konkursy/<int:call_pk>/wyniki/uzasadnienie/", views.ask_reasons, name="ask_reasons"),
]
