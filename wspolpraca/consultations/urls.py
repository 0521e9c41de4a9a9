from django.urls import path

from . import tracker_views, views

app_name = "consultations"
urlpatterns = [
    path("konsultacje/", views.consultation_list, name="list"),
    path("konsultacje/nowa/", views.create, name="create"),
    path("konsultacje/wydzial/<str:symbol>/", views.department, name="department"),
    path("konsultacje/<slug:slug>/", views.detail, name="detail"),
    path("konsultacje/<slug:slug>/edycja/", views.edit, name="edit"),
    path("konsultacje/<slug:slug>/sekcje/", views.sections, name="sections"),
    path("konsultacje/<slug:slug>/zalaczniki/", views.attachments, name="attachments"),
    path("konsultacje/<slug:slug>/spotkania/nowe/", views.meeting_add, name="meeting_add"),
    path("konsultacje/<slug:slug>/spotkania/<int:pk>/", views.meeting, name="meeting"),
    path("konsultacje/<slug:slug>/ogloszenie/", views.announce, name="announce"),
    path("konsultacje/<slug:slug>/postulat/", views.submit, name="submit"),
    path("konsultacje/<slug:slug>/uwaga/", views.enter_remark, name="enter_remark"),
    path(
        "konsultacje/<slug:slug>/postulaty/<int:number>/poparcie/",
        views.support,
        name="support",
    ),
    path("konsultacje/<slug:slug>/postulaty/<int:number>/ukrycie/", views.hide, name="hide"),
    path("konsultacje/<slug:slug>/odpowiedzi/", views.answers, name="answers"),
    path("konsultacje/<slug:slug>/odpowiedzi/grupa/", views.answer_group, name="answer_group"),
    path(
        "konsultacje/<slug:slug>/odpowiedzi/publikacja/",
        views.publish_answers,
        name="publish_answers",
    ),
    path("konsultacje/<slug:slug>/odpowiedzi/<int:number>/", views.answer, name="answer"),
    path("konsultacje/<slug:slug>/raport/", views.report, name="report"),
    path("konsultacje/<slug:slug>/raport.pdf", views.report_pdf, name="report_pdf"),
    path(
        "konsultacje/<slug:slug>/raport/publikacja/",
        views.publish_report,
        name="publish_report",
    ),
    # The postulate tracker.
    path("postulaty/", tracker_views.tracker, name="tracker"),
    path("postulaty/eksport.csv", tracker_views.export_csv, name="tracker_csv"),
    path("postulaty/import/", tracker_views.import_csv, name="tracker_import"),
    path("postulaty/moj-wydzial/", tracker_views.my_department, name="tracker_department"),
    path("postulaty/<str:code>/", tracker_views.tracked, name="tracked"),
    path("postulaty/<str:code>/postep/", tracker_views.progress, name="tracked_progress"),
]
