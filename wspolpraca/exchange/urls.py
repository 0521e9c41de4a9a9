from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("gielda/", views.post_list, name="list"),
    path("gielda/nowe/", views.create, name="create"),
    path("gielda/nowe/sprawdz/", views.check, name="check"),
    path("gielda/moje/", views.mine, name="mine"),
    path("gielda/moje/rozmowy/", views.my_conversations, name="conversations"),
    path("gielda/<int:pk>/", views.detail, name="detail"),
    path("gielda/<int:pk>/edycja/", views.edit, name="edit"),
    path("gielda/<int:pk>/zamkniecie/", views.close, name="close"),
    path("gielda/<int:pk>/przedluzenie/", views.extend, name="extend"),
    path("gielda/<int:pk>/napisz/", views.write, name="write"),
    path("gielda/<int:pk>/rozmowy/<int:user_pk>/", views.conversation, name="conversation"),
    path("gielda/<int:pk>/ukrycie/", views.hide, name="hide"),
    path("gielda/<int:pk>/zgloszenie/", views.report, name="report"),
]
