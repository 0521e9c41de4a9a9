from django.urls import path

from . import submitted_views as views

urlpatterns = [
    path("<int:pk>/zloz/", views.submit, name="submit"),
    path("<int:pk>/potwierdzenie/", views.receipt, name="receipt"),
    path("<int:pk>/oferta.pdf", views.offer_pdf, name="pdf"),
    path("<int:pk>/potwierdzenie.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/podpisana.pdf", views.signed_pdf, name="signed_pdf"),
    path("<int:pk>/wycofaj/", views.withdraw, name="withdraw"),
    path("<int:pk>/korekta/", views.correct, name="correct"),
]
