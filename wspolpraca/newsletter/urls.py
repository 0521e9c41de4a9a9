from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/", views.subscribe, name="subscribe"),
    path("newsletter/sprawdz-poczte/", views.check_mail, name="check_mail"),
    path("newsletter/potwierdz/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/ustawienia/<str:token>/", views.preferences, name="preferences"),
    path("newsletter/wypisz/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/moj/", views.mine, name="mine"),
    path("newsletter/moj/wypisz/", views.mine_unsubscribe, name="mine_unsubscribe"),
    path("aktualnosci/", views.news_list, name="news_list"),
    path("aktualnosci/<slug:slug>/", views.news_detail, name="news_detail"),
]
