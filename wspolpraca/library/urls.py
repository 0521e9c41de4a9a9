from django.urls import path

from . import views
from .strategy_urls import urlpatterns as strategy_urlpatterns

app_name = "library"
# Studies and research topics; strategies and programmes add their own paths below.
urlpatterns = [
    path("biblioteka/", views.study_list, name="studies"),
    path("biblioteka/badania/nowe/", views.study_new, name="study_new"),
    path("biblioteka/badania/<int:pk>/", views.study_detail, name="study"),
    path("biblioteka/badania/<int:pk>/plik/", views.study_file, name="study_file"),
    path("biblioteka/badania/<int:pk>/edycja/", views.study_edit, name="study_edit"),
    path("biblioteka/badania/<int:pk>/sprawdz/", views.study_check, name="study_check"),
    path("biblioteka/badania/<int:pk>/wyslane/", views.study_sent, name="study_sent"),
    path("biblioteka/badania/<int:pk>/ukrycie/", views.hide, name="study_hide"),
    path("biblioteka/badania/<int:pk>/przywrocenie/", views.show, name="study_show"),
    path("biblioteka/moje/", views.my_studies, name="my_studies"),
    path("biblioteka/moderacja/", views.moderation_queue, name="moderation"),
    path("biblioteka/moderacja/<int:pk>/", views.moderate, name="moderate"),
    path("biblioteka/moderacja/<int:pk>/odrzucenie/", views.reject, name="reject"),
    path("biblioteka/tematy/", views.topic_list, name="topics"),
    path("biblioteka/tematy/nowy/", views.topic_new, name="topic_new"),
    path("biblioteka/tematy/<int:pk>/", views.topic_detail, name="topic"),
    path("biblioteka/tematy/<int:pk>/poparcie/", views.topic_support, name="topic_support"),
    path("biblioteka/tematy/<int:pk>/odpowiedz/", views.topic_answer, name="topic_answer"),
]
urlpatterns += strategy_urlpatterns
