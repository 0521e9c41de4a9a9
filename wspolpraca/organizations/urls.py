from django.urls import path

from . import registration_views, views

app_name = "organizations"
urlpatterns = [
    path("", views.directory, name="list"),
    path("mapa/", views.directory_map, name="map"),
    path("mapa.geojson", views.map_points, name="map_points"),
    path("eksport.csv", views.export_csv, name="export_csv"),
    path("zarejestruj/", registration_views.register, name="register"),
    path("zaproszenie/<slug:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edytuj/", views.edit, name="edit"),
    path("<slug:slug>/potwierdz/", views.confirm_data, name="confirm_data"),
    path("<slug:slug>/czlonkowie/", views.members, name="members"),
    path("<slug:slug>/czlonkowie/usun/", views.remove_member, name="remove_member"),
    path("<slug:slug>/czlonkowie/przekaz/", views.transfer_admin, name="transfer_admin"),
    path("<slug:slug>/opusc/", views.leave, name="leave"),
    path(
        "<slug:slug>/zaproszenia/<int:pk>/anuluj/",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("<slug:slug>/przejmij/", views.claim, name="claim"),
    path("<slug:slug>/wnioski/<int:pk>/", views.decide_claim, name="decide_claim"),
]
