from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("areas", views.AreaViewSet, basename="area")
router.register("schedule", views.ScheduleViewSet, basename="schedule")
router.register("calls", views.CallViewSet, basename="call")

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", views.docs, name="api-docs"),
]
