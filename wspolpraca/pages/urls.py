from django.urls import path

from . import for_you, views

app_name = "pages"
urlpatterns = [
    path("szukaj/", views.search, name="search"),
    path("dla-ciebie/", for_you.for_you, name="for_you"),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("obszar/<slug:slug>/", views.plane, name="plane"),
    path("strony/<slug:slug>/", views.detail, name="detail"),
    path("przewodniki/<slug:slug>/", views.guide, name="guide"),
]
