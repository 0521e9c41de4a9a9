"""The postulate tracker's pages: the public list with its filters and CSV export, one
postulate's page (with the forms of those who keep it up to date), the import, and a
department's own list. The rules are in `tracker`."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.city.models import department_of
from wspolpraca.core.caching import public_page
from wspolpraca.core.exports import csv_response
from wspolpraca.core.pagination import CappedPaginator

# Imported under another name: `tracker` is the list's view below.
from . import tracker as tracking
from .filters import TrackedPostulateFilter
from .models import TrackedPostulate
from .signals import TRACKER_KEY
from .tracker_forms import PROGRESS_FORMS, ImportForm, add_service_error

PAGE_SIZE = 25
# Row errors of an import shown on the page; a file wrong on every line lists the first.
SHOWN_ERRORS = 200


def _listing():
    return TrackedPostulate.objects.select_related("department").prefetch_related("areas")


def _page(request, filterset):
    return CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _export_query(request, **fixed):
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in fixed.items():
        params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def _with_texts(postulates):
    """The page's rows with what they print, labels looked up once per value (fifty rows
    are rendered on every visit)."""
    rows = list(postulates)
    planes = dict(TrackedPostulate.Plane.choices)
    sectors = dict(TrackedPostulate.Sector.choices)
    statuses = dict(TrackedPostulate.Status.choices)
    area_names = {}
    url = reverse("consultations:tracked", args=["CODE"])
    for postulate in rows:
        postulate.url = url.replace("CODE", quote(postulate.code))
        postulate.kind_text = planes.get(postulate.plane) or sectors.get(postulate.sector, "")
        postulate.status_text = statuses[postulate.status]
        names = []
        for area in postulate.areas.all():
            if area.pk not in area_names:
                area_names[area.pk] = area.short_label
            names.append(area_names[area.pk])
        postulate.areas_text = " · ".join(names)
    return rows


def _render_list(request, filterset, **context):
    may_import = request.user.has_perm("consultations.import_tracker")
    page = _page(request, filterset)
    return render(
        request,
        "consultations/tracker/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _with_texts(page.object_list),
            "may_import": may_import,
            "department": department_of(request.user),
            **context,
        },
    )


@public_page(TRACKER_KEY)
def tracker(request):
    filterset = TrackedPostulateFilter(request.GET or None, queryset=_listing())
    return _render_list(
        request,
        filterset,
        action=reverse("consultations:tracker"),
        export_query=_export_query(request),
        own_department=False,
    )


@login_required
def my_department(request):
    department = department_of(request.user)
    if department is None:
        raise PermissionDenied
    filterset = TrackedPostulateFilter(
        request.GET or None, queryset=_listing().filter(department=department)
    )
    # The list is the department's already; its filter would only offer to leave it.
    filterset.filters.pop("department")
    return _render_list(
        request,
        filterset,
        action=reverse("consultations:tracker_department"),
        export_query=_export_query(request, department=department.short_name),
        own_department=True,
    )


def export_csv(request):
    """The filtered list as the tracker's CSV (the format the import reads), streamed."""
    filterset = TrackedPostulateFilter(request.GET or None, queryset=TrackedPostulate.objects.all())
    return csv_response("postulaty.csv", tracking.COLUMNS, tracking.export_rows(filterset.qs))


def _tracked_page(request, postulate, bound_action=None, bound_form=None):
    may_manage = tracking.may_manage(request.user, postulate)
    forms = {}
    if may_manage:
        for action, form_class in PROGRESS_FORMS.items():
            if action == bound_action:
                forms[action] = bound_form
            else:
                initial = {"status": postulate.status} if action == "status" else None
                forms[action] = form_class(prefix=action, initial=initial)
    return render(
        request,
        "consultations/tracker/tracked.html",
        {
            "postulate": postulate,
            "areas": postulate.areas.all(),
            "notes": postulate.notes.all(),
            "links": postulate.links.all(),
            "may_manage": may_manage,
            "forms": forms,
            "bound_form": bound_form,
        },
    )


def _get_tracked(code):
    return get_object_or_404(
        TrackedPostulate.objects.select_related("department", "catalogue", "consultation"),
        code=code,
    )


@public_page(TRACKER_KEY)
def tracked(request, code):
    return _tracked_page(request, _get_tracked(code))


# What each form of the progress page says when it is done, and where the page returns.
DONE = {
    "status": (_("The status is changed."), "#historia"),
    "note": (_("The note is added to the history."), "#historia"),
    "link": (_("The link is added."), "#odnosniki"),
}


@login_required
@require_POST
def progress(request, code):
    postulate = _get_tracked(code)
    if not tracking.may_manage(request.user, postulate):
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in PROGRESS_FORMS:
        raise BadRequest
    form = PROGRESS_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "status":
                tracking.change_status(
                    postulate,
                    request.user,
                    data["status"],
                    data["reason"],
                    data["note"],
                    data["date"],
                )
            elif action == "note":
                tracking.add_note(postulate, request.user, data["text"], data["date"])
            else:
                tracking.add_link(postulate, request.user, data["kind"], data["title"], data["url"])
        except tracking.TrackerError as error:
            add_service_error(form, error)
        else:
            message, anchor = DONE[action]
            messages.success(request, message)
            return redirect(postulate.get_absolute_url() + anchor)
    return _tracked_page(request, postulate, action, form)


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request):
    if not request.user.has_perm("consultations.import_tracker"):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = tracking.import_csv(form.cleaned_data["file"], request.user)
            if result.ok:
                form = ImportForm()
    else:
        form = ImportForm()
    return render(
        request,
        "consultations/tracker/import.html",
        {
            "form": form,
            "result": result,
            "errors": result.errors[:SHOWN_ERRORS] if result else [],
            "more_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
            "columns": tracking.COLUMNS,
        },
    )
