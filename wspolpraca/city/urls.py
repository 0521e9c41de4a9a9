from django.urls import path

from . import views

app_name = "city"
urlpatterns = [
    path("koordynatorzy/", views.coordinators, name="coordinators"),
    path("wydzialy/", views.departments, name="departments"),
]
