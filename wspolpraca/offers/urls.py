from django.urls import include, path

from . import views

app_name = "offers"
urlpatterns = [
    # A submitted offer: its page, receipt, PDF, withdrawal, correction, signed copy.
    path("", include("wspolpraca.offers.submitted_urls")),
    # The person's offers, and starting one.
    path("", views.offer_list, name="list"),
    path("nowa/<int:call_pk>/", views.start, name="start"),
    path("maly-grant/nowa/", views.start_small_grant, name="start_small_grant"),
    # A draft, section by section, saved as it is typed; then checked before submitting.
    path("<int:pk>/krok/<slug:slug>/", views.step, name="step"),
    path("<int:pk>/krok/<slug:slug>/autozapis/", views.autosave, name="autosave"),
    path(
        "<int:pk>/krok/<slug:slug>/usun/<slug:kind>/<int:row>/",
        views.remove_row,
        name="remove_row",
    ),
    path("<int:pk>/sprawdz/", views.check, name="check"),
]
