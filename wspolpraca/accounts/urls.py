from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("eksport/", views.export_data, name="export"),
    path("usun/", views.delete_account, name="delete"),
]
