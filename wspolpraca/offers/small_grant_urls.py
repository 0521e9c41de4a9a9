"""/male-granty/: small-grant offers published for comments (art. 19a)."""

from django.urls import path

from . import small_grant_views as views

app_name = "small_grants"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("po-uwagach/", views.offer_list_after_comments, name="after_comments"),
    # An offer's number may hold slashes ("MG/2026/7"), hence `path`.
    path("<path:number>/", views.offer_detail, name="detail"),
]
