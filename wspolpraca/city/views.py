from django.db.models import Prefetch
from django.shortcuts import render

from wspolpraca.core.caching import public_page
from wspolpraca.organizations.models import PublicBenefitArea

from .models import Coordinator, Department


def _active_coordinators():
    return Coordinator.objects.active().select_related("department")


@public_page("city")
def coordinators(request):
    """Coordinators grouped by public benefit area and by department; ?area=<code> filters."""
    areas = list(
        PublicBenefitArea.objects.current().prefetch_related(
            Prefetch(
                "coordinators",
                queryset=_active_coordinators(),
                to_attr="active_coordinators",
            )
        )
    )
    selected = next((a for a in areas if a.code == request.GET.get("area")), None)
    groups = [a for a in ([selected] if selected else areas) if a.active_coordinators]

    people = _active_coordinators().prefetch_related("areas")
    if selected:
        people = people.filter(areas=selected)
    by_department = {}
    for person in people.order_by(
        "department__position", "department__name", *Coordinator._meta.ordering
    ):
        by_department.setdefault(person.department, []).append(person)

    return render(
        request,
        "city/coordinators.html",
        {
            "areas": areas,
            "selected_area": selected,
            "area_groups": groups,
            "by_department": list(by_department.items()),
            "unknown_area": bool(request.GET.get("area")) and selected is None,
        },
    )


@public_page("city")
def departments(request):
    items = Department.objects.prefetch_related(
        Prefetch(
            "coordinators",
            queryset=_active_coordinators().prefetch_related("areas"),
            to_attr="active_coordinators",
        )
    )
    return render(request, "city/departments.html", {"departments": items})
