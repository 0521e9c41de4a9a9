"""Addresses of the reports and the settlement (included at the site root, namespace
"agreements")."""

from django.urls import path

from . import report_views as views

urlpatterns = [
    path("umowy/sprawozdania/<int:pk>/", views.report_detail, name="report"),
    path("umowy/sprawozdania/<int:pk>/edycja/", views.report_edit, name="report_edit"),
    path("umowy/sprawozdania/<int:pk>/sprawdz/", views.report_check, name="report_check"),
    path("umowy/sprawozdania/<int:pk>/ocena/", views.report_review, name="report_review"),
    path("umowy/sprawozdania/<int:pk>/przyjmij/", views.report_accept, name="report_accept"),
    path("umowy/sprawozdania/<int:pk>/zwroc/", views.report_return, name="report_return"),
    path("umowy/sprawozdania/<int:pk>/otworz/", views.report_reopen, name="report_reopen"),
    path("umowy/sprawozdania/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path(
        "umowy/<int:pk>/sprawozdanie-czesciowe/",
        views.request_partial_report,
        name="request_partial_report",
    ),
    path("umowy/<int:pk>/rozliczenie/", views.settle, name="settle"),
    path("umowy/<int:pk>/rozliczenie/zwrot/", views.record_refund, name="record_refund"),
]
