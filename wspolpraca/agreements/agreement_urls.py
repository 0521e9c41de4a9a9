"""The agreements' pages (II9), full paths under the site root, namespace `agreements`."""

from django.urls import path

from . import agreement_views as views

urlpatterns = [
    path("umowy/", views.agreement_list, name="list"),
    path("umowy/<int:pk>/", views.detail, name="detail"),
    path("umowy/<int:pk>/budzet/", views.budget_update, name="budget_update"),
    path("umowy/<int:pk>/budzet/sprawdz/", views.budget_check, name="budget_check"),
    path("umowy/<int:pk>/budzet/<int:update_pk>/", views.review_budget, name="review_budget"),
    path(
        "umowy/<int:pk>/budzet/<int:update_pk>/przyjmij/",
        views.accept_budget,
        name="accept_budget",
    ),
    path("umowy/<int:pk>/budzet/<int:update_pk>/zwroc/", views.return_budget, name="return_budget"),
    path("umowy/<int:pk>/transze/", views.tranches, name="tranches"),
    path("umowy/<int:pk>/podpisanie/", views.sign, name="sign"),
    path("umowy/<int:pk>/aneks/", views.annex, name="annex"),
    path("umowy/<int:pk>/aneks/potwierdz/", views.annex_confirm, name="annex_confirm"),
    path("umowy/<int:pk>/wersje/<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("umowy/<int:pk>/projekt.pdf", views.draft_pdf, name="draft_pdf"),
    path("umowy/maly-grant/<int:offer_pk>/", views.small_grant, name="small_grant"),
    path(
        "umowy/maly-grant/<int:offer_pk>/odmowa/",
        views.small_grant_refuse,
        name="small_grant_refuse",
    ),
]
