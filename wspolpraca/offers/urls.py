from django.urls import include, path

app_name = "offers"
urlpatterns = [
    # A submitted offer: its page, receipt, PDF, withdrawal, correction, signed copy.
    path("", include("wspolpraca.offers.submitted_urls")),
]
