"""Addresses of the requests to the city (included at /wnioski/)."""

from django.urls import path

from . import request_views as views

app_name = "city_requests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("nowy/", views.new, name="new"),
    path("nowy/sprawdz/", views.check, name="check"),
    path("nowy/<slug:kind>/", views.answers, name="answers"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wyslany/", views.submitted, name="submitted"),
    path("<int:pk>/wycofaj/", views.withdraw, name="withdraw"),
]
