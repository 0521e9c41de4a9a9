from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import bodies as dialogue_bodies
from . import consultations, events, giving360, rooms, strategies, views
from . import studies as library_studies

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("areas", views.AreaViewSet, basename="area")
router.register("schedule", views.ScheduleViewSet, basename="schedule")
router.register("calls", views.CallViewSet, basename="call")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("consultations", consultations.ConsultationViewSet, basename="consultation")
router.register("postulates", consultations.PostulateViewSet, basename="postulate")
router.register("tracker", consultations.TrackedPostulateViewSet, basename="tracked-postulate")
router.register("rooms", rooms.RoomViewSet, basename="room")
router.register("events", events.EventViewSet, basename="event")
router.register("bodies", dialogue_bodies.DialogueBodyViewSet, basename="body")
router.register("studies", library_studies.StudyViewSet, basename="study")
router.register("strategies", strategies.StrategyViewSet, basename="strategy")

# One namespace, "api", for the API and the open-data files beside it (two includes under
# the same namespace would hide each other's names from reverse()).
api_patterns = [
    path("api/v1/", include(router.urls)),
    # The awarded grants as a 360Giving data package: stable addresses, outside the
    # versioned API (the standard's version is in the file).
    path("dane/360giving.json", giving360.package_json, name="grants-360giving-json"),
    path("dane/360giving.csv", giving360.package_csv, name="grants-360giving-csv"),
]

urlpatterns = [
    path("", include((api_patterns, "api"), namespace="api")),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", views.docs, name="api-docs"),
]
