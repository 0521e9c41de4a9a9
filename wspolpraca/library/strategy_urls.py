"""Addresses of strategies and programmes, under /strategie/ (namespace "library"):
library/urls.py adds these to its urlpatterns."""

from django.urls import path

from . import strategy_views as views

urlpatterns = [
    path("strategie/", views.strategy_list, name="strategy_list"),
    path("strategie/nowa/", views.strategy_create, name="strategy_create"),
    path("strategie/<slug:slug>/", views.strategy_detail, name="strategy_detail"),
    path("strategie/<slug:slug>/edycja/", views.strategy_edit, name="strategy_edit"),
    path("strategie/<slug:slug>/usuniecie/", views.strategy_delete, name="strategy_delete"),
    path("strategie/<slug:slug>/wskazniki/nowy/", views.indicator_form, name="indicator_add"),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/edycja/",
        views.indicator_form,
        name="indicator_edit",
    ),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/usuniecie/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/wartosc/",
        views.value_enter,
        name="indicator_value",
    ),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/wartosc/<int:year>/usuniecie/",
        views.value_delete,
        name="indicator_value_delete",
    ),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/cel/", views.target_set, name="indicator_target"
    ),
    path(
        "strategie/<slug:slug>/wskazniki/<int:pk>/cel/<int:year>/usuniecie/",
        views.target_delete,
        name="indicator_target_delete",
    ),
    path("strategie/<slug:slug>/raporty/nowy/", views.report_publish, name="strategy_report_add"),
    path(
        "strategie/<slug:slug>/raporty/<int:pk>/usuniecie/",
        views.report_remove,
        name="strategy_report_remove",
    ),
    path("strategie/<slug:slug>/zespol/", views.team, name="strategy_team"),
    path(
        "strategie/<slug:slug>/zespol/<int:pk>/usuniecie/",
        views.member_remove,
        name="strategy_member_remove",
    ),
]
