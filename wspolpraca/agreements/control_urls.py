"""Controls and monitoring visits, ratings of cooperation, evaluation meetings and the
organization's "to do" list (full paths; included under the namespace `agreements`)."""

from django.urls import path

from . import control_views as views

urlpatterns = [
    path("umowy/<int:pk>/kontrole/nowa/", views.plan_control, name="plan_control"),
    path("umowy/kontrole/<int:pk>/", views.control, name="control"),
    path("umowy/kontrole/<int:pk>/zamknij/", views.close_control, name="close_control"),
    path("umowy/<int:pk>/ocena-wspolpracy/", views.rate, name="rate"),
    path("umowy/ocena-wspolpracy/", views.department_ratings, name="department_ratings"),
    path("umowy/spotkania-ewaluacyjne/", views.evaluation_meetings, name="evaluation_meetings"),
    path(
        "umowy/spotkania-ewaluacyjne/nowe/",
        views.add_evaluation_meeting,
        name="add_evaluation_meeting",
    ),
    path(
        "umowy/spotkania-ewaluacyjne/<int:pk>/zmien/",
        views.edit_evaluation_meeting,
        name="edit_evaluation_meeting",
    ),
    path("umowy/do-zrobienia/", views.obligations_page, name="obligations"),
]
