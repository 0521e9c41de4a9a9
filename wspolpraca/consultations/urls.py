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

# Surveys (consultations/survey_views.py).
from . import survey_views  # noqa: E402

urlpatterns += [
    path("ankiety/", survey_views.survey_list, name="surveys"),
    path("ankiety/nowa/", survey_views.create, name="survey_create"),
    path("ankiety/moj-wydzial/", survey_views.department_surveys, name="survey_department"),
    path("ankiety/<slug:slug>/", survey_views.survey_detail, name="survey"),
    path("ankiety/<slug:slug>/edycja/", survey_views.edit, name="survey_edit"),
    path("ankiety/<slug:slug>/pytania/", survey_views.questions, name="survey_questions"),
    path("ankiety/<slug:slug>/pytania/nowe/", survey_views.question, name="survey_question_add"),
    path("ankiety/<slug:slug>/pytania/<int:pk>/", survey_views.question, name="survey_question"),
    path(
        "ankiety/<slug:slug>/pytania/<int:pk>/usuniecie/",
        survey_views.question_delete,
        name="survey_question_delete",
    ),
    path(
        "ankiety/<slug:slug>/pytania/<int:pk>/przesuniecie/",
        survey_views.question_move,
        name="survey_question_move",
    ),
    path("ankiety/<slug:slug>/publikacja/", survey_views.publish, name="survey_publish"),
    path("ankiety/<slug:slug>/odpowiedz/", survey_views.answer, name="survey_answer"),
    path("ankiety/<slug:slug>/sprawdz/", survey_views.check, name="survey_check"),
    path("ankiety/<slug:slug>/wyslano/", survey_views.done, name="survey_done"),
    path("ankiety/<slug:slug>/wyniki/", survey_views.results, name="survey_results"),
    path(
        "ankiety/<slug:slug>/wyniki/pytanie/<int:pk>/",
        survey_views.text_answers,
        name="survey_text_answers",
    ),
    path(
        "ankiety/<slug:slug>/wyniki.csv",
        survey_views.export,
        {"fmt": "csv"},
        name="survey_export_csv",
    ),
    path(
        "ankiety/<slug:slug>/wyniki.xlsx",
        survey_views.export,
        {"fmt": "xlsx"},
        name="survey_export_xlsx",
    ),
    path(
        "ankiety/<slug:slug>/wyniki/publikacja/",
        survey_views.results_publish,
        name="survey_results_publish",
    ),
]
