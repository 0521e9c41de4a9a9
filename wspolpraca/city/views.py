from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import PublicBenefitArea

from . import services
from .forms import (
    MeetingForm,
    MemberForm,
    OpinionFilter,
    OpinionForm,
    OpinionRequestForm,
    add_service_error,
)
from .models import (
    BodyMeeting,
    BodyMember,
    Coordinator,
    Department,
    DialogueBody,
    Opinion,
    OpinionRequest,
)


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


# ---------------------------------------------------------------------------------------
# Dialogue bodies (I7): the council and the commissions, their members, meetings,
# opinions and the city's requests for an opinion. The rules are in `services`.


def _body(slug):
    return get_object_or_404(DialogueBody.objects.select_related("department"), slug=slug)


def _kept_body(request, slug):
    """The body, for one of its keepers; anyone else is refused (403)."""
    body = _body(slug)
    if not request.user.has_perm("city.keep_body", body):
        raise PermissionDenied
    return body


def _of_body(model, body, pk, **lookups):
    return get_object_or_404(model, body=body, pk=pk, **lookups)


def _split_members(members, today):
    current, former = [], []
    for member in members:
        if member.term_end is not None and member.term_end < today:
            former.append(member)
        elif member.term_start <= today:
            current.append(member)
    current.sort(key=lambda m: (m.role_rank, m.full_name))
    former.sort(key=lambda m: (-m.term_end.toordinal(), m.full_name))
    return current, former


def _with_states(requests_):
    for item in requests_:
        item.state_value = item.current_state
    return requests_


def _requests(body):
    return (
        # Through the body's manager, so that each row knows its body (for its address).
        body.opinion_requests.select_related("answer", "department").order_by("-created_at", "-id")
    )


def bodies(request):
    """The council first, then the commissions, each with its areas."""
    items = list(
        DialogueBody.objects.active()
        .select_related("department")
        .prefetch_related("areas")
        .order_by("kind", "position", "name")
    )
    council = [b for b in items if b.kind == DialogueBody.Kind.COUNCIL]
    commissions = [b for b in items if b.kind == DialogueBody.Kind.COMMISSION]
    return render(
        request, "city/bodies/list.html", {"council": council, "commissions": commissions}
    )


BODY_PAGE_ROWS = 10


def body(request, slug):
    body = _body(slug)
    now = timezone.now()
    today = timezone.localdate()
    members = body.members.select_related("organization").only(
        "full_name",
        "role",
        "representing",
        "term_start",
        "term_end",
        "body_id",
        "organization__name",
        "organization__slug",
    )
    current, former = _split_members(members, today)
    meetings = body.meetings.defer("minutes_text", "agenda")
    keeps = request.user.has_perm("city.keep_body", body)
    context = {
        "body": body,
        "areas": list(body.areas.all()),
        "current_members": current,
        "former_members": former,
        "upcoming": list(meetings.upcoming(now).order_by("starts_at")[:BODY_PAGE_ROWS]),
        "past": list(meetings.past(now).order_by("-starts_at")[:BODY_PAGE_ROWS]),
        "opinions": list(
            body.opinions.published().defer("text").order_by("-adopted_on", "-id")[:BODY_PAGE_ROWS]
        ),
        "requests": _with_states(list(_requests(body)[:BODY_PAGE_ROWS])),
        "keeps": keeps,
        "may_request": request.user.has_perm("city.request_opinion"),
        "drafts": list(body.opinions.filter(published_at__isnull=True).defer("text"))
        if keeps
        else [],
        "rows": BODY_PAGE_ROWS,
    }
    return render(request, "city/bodies/detail.html", context)


def body_meetings(request, slug):
    body = _body(slug)
    meetings = body.meetings.defer("minutes_text", "agenda").order_by("-starts_at", "-id")
    page = CappedPaginator(meetings, 25).get_page(request.GET.get("page"))
    return render(request, "city/bodies/meetings.html", {"body": body, "page": page})


def body_meeting(request, slug, pk):
    body = _body(slug)
    meeting = _of_body(BodyMeeting, body, pk)
    return render(
        request,
        "city/bodies/meeting.html",
        {
            "body": body,
            "meeting": meeting,
            "keeps": request.user.has_perm("city.keep_body", body),
            "is_past": meeting.starts_at < timezone.now(),
        },
    )


def body_opinions(request, slug):
    body = _body(slug)
    # Always bound: no parameters is a valid empty form, which lists every document.
    filters = OpinionFilter(
        request.GET,
        queryset=body.opinions.published().select_related("request").defer("text"),
    )
    rows = (
        filters.qs.order_by("-adopted_on", "-id") if filters.is_valid() else Opinion.objects.none()
    )
    page = CappedPaginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request, "city/bodies/opinions.html", {"body": body, "filters": filters, "page": page}
    )


def body_opinion(request, slug, pk):
    body = _body(slug)
    opinion = get_object_or_404(Opinion.objects.select_related("request", "body"), body=body, pk=pk)
    keeps = request.user.has_perm("city.keep_body", body)
    if not opinion.is_published and not keeps:
        raise Http404
    return render(
        request, "city/bodies/opinion.html", {"body": body, "opinion": opinion, "keeps": keeps}
    )


def body_requests(request, slug):
    body = _body(slug)
    page = CappedPaginator(_requests(body), 25).get_page(request.GET.get("page"))
    _with_states(page.object_list)
    return render(request, "city/bodies/requests.html", {"body": body, "page": page})


def body_request(request, slug, pk):
    body = _body(slug)
    item = get_object_or_404(_requests(body), pk=pk)
    answer = item.published_answer
    return render(
        request,
        "city/bodies/request.html",
        {
            "body": body,
            "item": item,
            "answer": answer,
            "state": item.state(answer),
            "may_answer": request.user.has_perm("city.answer_opinion_request", item),
            "draft_answer": getattr(item, "answer", None) if answer is None else None,
        },
    )


# ---------------------------------------------------------------------------------------
# Keeping a body's records


def _form_page(request, body, form, *, title, intro="", button, cancel_url, obj=None):
    return render(
        request,
        "city/bodies/form.html",
        {
            "body": body,
            "form": form,
            "page_title": title,
            "intro": intro,
            "button": button,
            "cancel_url": cancel_url,
            "obj": obj,
        },
    )


def _confirm(request, *, title, consequences, button, cancel_url):
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": title,
            "consequences": consequences,
            "confirm_button": button,
            "cancel_url": cancel_url,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_form(request, slug, pk=None):
    body = _kept_body(request, slug)
    member = _of_body(BodyMember, body, pk) if pk else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_member(body, request.user, form.values(), member=member)
        except services.BodyError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                (_("Saved the member %(name)s.") if member else _("Added %(name)s to the body."))
                % {"name": saved.full_name},
            )
            return redirect(body.get_absolute_url() + "#sklad")
    return _form_page(
        request,
        body,
        form,
        title=_("Change a member") if member else _("Add a person to the members"),
        intro=_(
            "When a member's term ends, enter its last day: the person moves to the former "
            "members. Delete only a member entered by mistake."
        ),
        button=_("Save the member") if member else _("Add to the members"),
        cancel_url=body.get_absolute_url() + "#sklad",
        obj=member,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_delete(request, slug, pk):
    body = _kept_body(request, slug)
    member = _of_body(BodyMember, body, pk)
    if request.method == "POST":
        services.remove_member(member, request.user)
        messages.success(request, _("Deleted %(name)s from the body.") % {"name": member.full_name})
        return redirect(body.get_absolute_url() + "#sklad")
    return _confirm(
        request,
        title=_("Delete %(name)s from the body's members?") % {"name": member.full_name},
        consequences=[
            _("The person disappears from the body's current and former members."),
            _("For a member whose term has ended, enter the end of the term instead."),
        ],
        button=_("Delete the member"),
        cancel_url=body.get_absolute_url() + "#sklad",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_form(request, slug, pk=None):
    body = _kept_body(request, slug)
    meeting = _of_body(BodyMeeting, body, pk) if pk else None
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_meeting(body, request.user, form.values(), meeting=meeting)
        except services.BodyError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Saved the meeting.") if meeting else _("Added the meeting.")
            )
            return redirect(saved.get_absolute_url())
    return _form_page(
        request,
        body,
        form,
        title=_("Change the meeting") if meeting else _("Plan a meeting"),
        intro=_(
            "The meeting appears in the body's page and in the calendar. After the meeting, "
            "mark it as held and add the minutes."
        ),
        button=_("Save the meeting") if meeting else _("Save the new meeting"),
        cancel_url=meeting.get_absolute_url() if meeting else body.get_absolute_url(),
        obj=meeting,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request, slug, pk):
    body = _kept_body(request, slug)
    meeting = _of_body(BodyMeeting, body, pk)
    if request.method == "POST":
        services.delete_meeting(meeting, request.user)
        messages.success(request, _("Deleted the meeting."))
        return redirect(body.get_absolute_url())
    return _confirm(
        request,
        title=_("Delete the meeting of %(date)s?")
        % {"date": formats.date_format(timezone.localtime(meeting.starts_at), "j E Y, H:i")},
        consequences=[
            _("The meeting, its agenda and minutes disappear from the site and the calendar."),
            _("A meeting that was called off should be marked cancelled instead."),
        ],
        button=_("Delete the meeting"),
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_form(request, slug, pk=None, request_pk=None):
    """A draft document of the body (new or changed), or its answer to a request."""
    body = _kept_body(request, slug)
    opinion = _of_body(Opinion, body, pk) if pk else None
    answering = _of_body(OpinionRequest, body, request_pk) if request_pk else None
    if opinion is not None and opinion.is_published:
        messages.error(request, _("A published document cannot be changed on the site."))
        return redirect(opinion.get_absolute_url())
    initial = {}
    if answering is not None:
        existing = Opinion.objects.filter(request=answering).first()
        if existing is not None:
            return redirect(existing.get_absolute_url())
        initial = {"title": _("Opinion on: %(title)s") % {"title": answering.title}}
    form = OpinionForm(
        request.POST or None,
        request.FILES or None,
        instance=opinion,
        request=answering,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_opinion_draft(
                body, request.user, form.values(), opinion=opinion, request=answering
            )
        except services.BodyError as error:
            add_service_error(form, error)
        else:
            return redirect("city:body_opinion_check", body.slug, saved.pk)
    if answering is not None:
        title = _("Record the body's opinion")
        intro = _(
            "The opinion answers the request “%(title)s”, due by %(date)s. You "
            "check it on the next page before it is published."
        ) % {
            "title": answering.title,
            "date": formats.date_format(answering.deadline, "j E Y"),
        }
    else:
        title = _("Change the draft") if opinion else _("Add an opinion or resolution")
        intro = _("You check it on the next page before it is published.")
    return _form_page(
        request,
        body,
        form,
        title=title,
        intro=intro,
        button=_("Continue"),
        cancel_url=(
            answering.get_absolute_url()
            if answering
            else opinion.get_absolute_url()
            if opinion
            else body.get_absolute_url()
        ),
        obj=opinion,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_check(request, slug, pk):
    """Check your answers, then publish."""
    body = _kept_body(request, slug)
    opinion = get_object_or_404(Opinion.objects.select_related("request"), body=body, pk=pk)
    if opinion.is_published:
        return redirect(opinion.get_absolute_url())
    problem = None
    if request.method == "POST":
        try:
            services.publish_opinion(opinion, request.user)
        except services.BodyError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("Published %(kind)s %(number)s.")
                % {"kind": opinion.get_kind_display(), "number": opinion.number},
            )
            return redirect(opinion.get_absolute_url())
    late = opinion.request is not None and opinion.adopted_on > opinion.request.deadline
    return render(
        request,
        "city/bodies/check_opinion.html",
        {"body": body, "opinion": opinion, "problem": problem, "late": late},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_delete(request, slug, pk):
    body = _kept_body(request, slug)
    opinion = _of_body(Opinion, body, pk)
    if opinion.is_published:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_opinion_draft(opinion, request.user)
        messages.success(request, _("Deleted the draft."))
        return redirect(body.get_absolute_url())
    return _confirm(
        request,
        title=_("Delete the draft “%(title)s”?") % {"title": opinion.title},
        consequences=[_("The draft and its file are deleted. Nothing was published.")],
        button=_("Delete the draft"),
        cancel_url=reverse("city:body_opinion_check", args=[body.slug, opinion.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_form(request, slug):
    body = _body(slug)
    if not request.user.has_perm("city.request_opinion"):
        raise PermissionDenied
    form = OpinionRequestForm(request.POST or None, request.FILES or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_opinion(body, request.user, form.values())
        except services.BodyError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Sent the request. The body's secretaries and its department were told."),
            )
            return redirect(item.get_absolute_url())
    return _form_page(
        request,
        body,
        form,
        title=_("Ask %(body)s for an opinion") % {"body": body.name},
        intro=_(
            "The request is public on the body's page. Its secretaries and the department "
            "that services it get an e-mail."
        ),
        button=_("Send the request for an opinion"),
        cancel_url=body.get_absolute_url(),
    )
