"""The formal check's pages (full paths: included at the site's root)."""

from django.urls import path

from . import formal_views as views

urlpatterns = [
    path("ocena/", views.index, name="index"),
    path("ocena/konkurs/<int:call_pk>/", views.call_overview, name="call"),
    path("ocena/konkurs/<int:call_pk>/lista-kontrolna/", views.checklist, name="checklist"),
    path(
        "ocena/konkurs/<int:call_pk>/lista-kontrolna/<int:pk>/",
        views.checklist_edit,
        name="checklist_edit",
    ),
    path(
        "ocena/konkurs/<int:call_pk>/lista-kontrolna/<int:pk>/usun/",
        views.checklist_remove,
        name="checklist_remove",
    ),
    path("ocena/oferta/<int:offer_pk>/ocena-formalna/", views.formal_check, name="formal_check"),
    path(
        "ocena/oferta/<int:offer_pk>/ocena-formalna/korekta/",
        views.correction_new,
        name="formal_correction",
    ),
    path(
        "ocena/oferta/<int:offer_pk>/ocena-formalna/korekta/sprawdz/",
        views.correction_confirm,
        name="formal_correction_confirm",
    ),
    path("ocena/oferta/<int:offer_pk>/ocena-formalna/odrzuc/", views.reject, name="formal_reject"),
    path("ocena/korekta/<int:pk>/", views.correction, name="correction"),
    path("ocena/korekta/<int:pk>/rozpocznij/", views.correction_start, name="correction_start"),
]
