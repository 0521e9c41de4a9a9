from django.urls import path
from django.views.generic import TemplateView

app_name = "city"
urlpatterns = [
    path("koordynatorzy/", TemplateView.as_view(template_name="base.html"), name="coordinators")
]
