from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [
    path("sale/", views.room_list, name="list"),
    path("sale/mapa/", views.room_map, name="map"),
    path("sale/moje-rezerwacje/", views.my_bookings, name="my_bookings"),
    path("sale/kolejka/", views.queue, name="queue"),
    path("sale/rezerwacje/<int:pk>/", views.booking_detail, name="booking"),
    path("sale/rezerwacje/<int:pk>/decyzja/", views.decide, name="decide"),
    path("sale/rezerwacje/<int:pk>/anulowanie/", views.cancel, name="cancel"),
    path("sale/rezerwacje/<int:pk>/nieobecnosc/", views.no_show, name="no_show"),
    path(
        "sale/lista-oczekujacych/<int:pk>/rezygnacja/",
        views.leave_waiting_list,
        name="leave_waiting_list",
    ),
    path(
        "sale/kalendarz/organizacja/<str:token>.ics",
        views.organization_ical,
        name="organization_ical",
    ),
    path("sale/<slug:slug>/", views.room_detail, name="room"),
    path("sale/<slug:slug>/kalendarz.ics", views.room_ical, name="room_ical"),
    path("sale/<slug:slug>/rezerwacja/", views.book, name="book"),
    path("sale/<slug:slug>/rezerwacja/sprawdz/", views.book_check, name="book_check"),
    path("sale/<slug:slug>/lista-oczekujacych/", views.join_waiting_list, name="wait"),
    path("punkty-wsparcia/", views.support_places, name="support_places"),
]
