from django.urls import path
from django.views.generic import TemplateView

app_name = "pages"
stub = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("szukaj/", stub, name="search"),
    path("deklaracja-dostepnosci/", stub, name="accessibility"),
    path("obszar/<slug:slug>/", stub, name="plane"),
    path("strony/<slug:slug>/", stub, name="detail"),
]
