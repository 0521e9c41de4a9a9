"""Public pages of the public tasks: the yearly schedule of calls, with its CSV and iCal,
and the calls themselves, with their versions and their questions and answers.

The calls' pages are not cached (core.caching) as the schedule's are: a call moves from
upcoming to open to evaluation by the clock, with no change of data that would renew a
cached page, so a cached page could show a call as open after its deadline.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from wspolpraca.core import exports, ratelimit
from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator

from . import questions
from .filters import CallFilter, PlannedCallFilter, in_phase
from .models import Call, CallSchedule, Criterion, FundingMode, LegalRules
from .question_forms import QuestionForm


def _published(year):
    return get_object_or_404(CallSchedule.objects.published(), year=year)


def _filtered(request, schedule):
    planned = schedule.planned_calls.select_related("department").prefetch_related("areas")
    return PlannedCallFilter(request.GET or None, queryset=planned)


@public_page("competitions")
def schedule_latest(request):
    """The schedule of the current year, else the latest one published."""
    years = list(CallSchedule.objects.published().values_list("year", flat=True))
    if not years:
        return render(request, "competitions/schedule.html", {"schedule": None, "years": []})
    this_year = timezone.localdate().year
    year = this_year if this_year in years else max(years)
    return redirect("competitions:schedule", year=year)


@public_page("competitions")
def schedule(request, year):
    schedule = _published(year)
    filterset = _filtered(request, schedule)
    planned = filterset.qs
    totals = planned.order_by().aggregate(
        count=Count("id"),
        amount=Sum("planned_amount"),
        early=Count("id", filter=Q(planned_announcement__lt=schedule.year_starts)),
    )
    return render(
        request,
        "competitions/schedule.html",
        {
            "schedule": schedule,
            "filter": filterset,
            "planned": planned,
            "totals": totals,
            "years": list(CallSchedule.objects.published().values_list("year", flat=True)),
            "rules": LegalRules.current(),
        },
    )


def _rows(planned):
    modes = dict(FundingMode.choices)
    for p in planned:
        yield [
            p.title,
            str(p.department),
            ", ".join(a.short_label for a in p.areas.all()),
            str(modes[p.funding_mode]),
            p.planned_announcement.isoformat(),
            p.planned_deadline.isoformat(),
            f"{p.planned_amount:.2f}",
        ]


@public_page("competitions")
def schedule_csv(request, year):
    schedule = _published(year)
    planned = _filtered(request, schedule).qs
    header = [
        _("Task"),
        _("Department"),
        _("Public benefit areas"),
        _("Funding mode"),
        _("Planned announcement"),
        _("Planned deadline for offers"),
        _("Planned amount (zł)"),
    ]
    # Read now, in the request's language, not while the rows stream.
    rows = list(_rows(planned))
    return exports.csv_response(f"harmonogram-konkursow-{year}.csv", header, rows)


@public_page("competitions")
def schedule_ical(request, year):
    """Each planned call as two all-day events: its announcement and its deadline."""
    schedule = _published(year)
    planned = _filtered(request, schedule).qs
    calendar = Calendar()
    calendar.add("prodid", "-//Współpraca//harmonogram konkursów//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Schedule of calls %(year)s") % {"year": year})
    page = request.build_absolute_uri(reverse("competitions:schedule", args=[year]))
    stamp = schedule.published_at
    host = request.get_host().split(":")[0]
    for p in planned:
        for what, day, summary in (
            ("ogloszenie", p.planned_announcement, _("Planned announcement: %(title)s")),
            ("termin", p.planned_deadline, _("Planned deadline for offers: %(title)s")),
        ):
            event = Event()
            event.add("uid", f"planowany-{p.pk}-{what}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("summary", summary % {"title": p.title})
            event.add("description", f"{p.department}\n{page}#planowany-{p.pk}")
            event.add("url", f"{page}#planowany-{p.pk}")
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="harmonogram-konkursow-{year}.ics"'
    return response


# --- calls ------------------------------------------------------------------------------

CALLS_PER_PAGE = 20


@dataclass(frozen=True)
class Tab:
    """One tab of the calls' list: the calls of a phase, in the order that suits it."""

    key: str
    url_name: str
    label: str
    calls: Callable  # (calls, now) -> the calls of the tab
    order: list


# In the order a call goes through them; the first is the list's default address.
TABS = [
    Tab(
        "open",
        "competitions:calls",
        gettext_lazy("Open for offers"),
        lambda calls, now: in_phase(calls, Call.Phase.OPEN, now),
        ["deadline", "id"],
    ),
    Tab(
        "upcoming",
        "competitions:calls_upcoming",
        gettext_lazy("Upcoming"),
        lambda calls, now: in_phase(calls, Call.Phase.UPCOMING, now),
        ["offers_from", "deadline", "id"],
    ),
    Tab(
        "evaluation",
        "competitions:calls_evaluation",
        gettext_lazy("In evaluation"),
        lambda calls, now: in_phase(calls, Call.Phase.EVALUATION, now),
        ["-deadline", "id"],
    ),
    Tab(
        "decided",
        "competitions:calls_decided",
        gettext_lazy("Decided or annulled"),
        lambda calls, now: calls.decided(),
        ["-deadline", "id"],
    ),
]
TABS_BY_KEY = {tab.key: tab for tab in TABS}


def calls(request, tab="open"):
    """The published calls of one phase, filtered, with the number in each phase."""
    now = timezone.now()
    current = TABS_BY_KEY[tab]
    filterset = CallFilter(request.GET or None, queryset=Call.objects.public())
    filtered = filterset.qs
    # One query counts the filtered calls of every tab.
    counts = filtered.order_by().aggregate(
        **{
            t.key: Count(
                "pk", distinct=True, filter=Q(pk__in=t.calls(Call.objects, now).values("pk"))
            )
            for t in TABS
        }
    )
    listed = (
        current.calls(filtered, now)
        .select_related("department")
        .prefetch_related("areas")
        .order_by(*current.order)
    )
    paginator = CappedPaginator(listed, CALLS_PER_PAGE, known_count=counts[tab])
    page = paginator.get_page(request.GET.get("page"))
    tabs = [{"tab": t, "count": counts[t.key], "current": t is current} for t in TABS]
    return render(
        request,
        "competitions/call_list.html",
        {"filter": filterset, "page": page, "tab": current, "tabs": tabs, "now": now},
    )


def _public_call(pk):
    """A call the public may see (not a draft: the back office previews those)."""
    return get_object_or_404(Call.objects.public().select_related("department"), pk=pk)


def _criteria_groups(criteria, kind_of):
    """Criteria grouped by kind, in the order of `Criterion.Kind`: [(label, [criteria])].

    A version's frozen copy names the kind by its label in the site's language, as it was
    published; it is grouped with its kind all the same. A kind the site no longer knows
    comes last, under the name it was published with.
    """
    labels = dict(Criterion.Kind.choices)
    with translation.override(settings.LANGUAGE_CODE):
        published = {str(label): code for code, label in labels.items()}
    groups = {}
    for criterion in criteria:
        kind = kind_of(criterion)
        groups.setdefault(published.get(kind, kind) or "—", []).append(criterion)
    ordered = [kind for kind in labels if kind in groups] + [k for k in groups if k not in labels]
    return [(labels.get(kind, kind), groups[kind]) for kind in ordered]


def _call_context(request, call, form=None):
    answered = call.questions.filter(answered_at__isnull=False).order_by("answered_at", "id")
    mine = []
    if request.user.is_authenticated:
        mine = call.questions.filter(asked_by=request.user, answered_at__isnull=True)
    return {
        "call": call,
        "areas": call.areas.all(),
        "criteria_groups": _criteria_groups(call.criteria.all(), lambda c: c.kind),
        "attachments": call.attachments.all(),
        "versions": call.versions.defer("content"),
        "answered": answered,
        "my_pending": mine,
        "accepts_questions": questions.accepts_questions(call),
        "form": form or QuestionForm(),
    }


def call_detail(request, pk):
    call = _public_call(pk)
    return render(request, "competitions/call_detail.html", _call_context(request, call))


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, pk):
    """Take a signed-in person's question about a call (the form is on the call's page)."""
    call = _public_call(pk)
    if request.method == "GET":  # back from the sign-in page
        return redirect(f"{call.get_absolute_url()}#zadaj-pytanie")
    try:
        questions.check_open(call)
    except questions.QuestionsClosed as error:
        messages.error(request, str(error))
        return redirect(call)
    form = QuestionForm(request.POST)
    if form.is_valid():
        if not ratelimit.hit(
            "call_question",
            f"user:{request.user.pk}",
            questions.QUESTIONS_PER_HOUR,
            3600,
        ):
            form.add_error(
                "text",
                _("You have asked many questions in the last hour. Please try again later."),
            )
        else:
            try:
                questions.ask_question(call, request.user, form.cleaned_data["text"])
            except questions.QuestionsClosed as error:
                messages.error(request, str(error))
                return redirect(call)
            except questions.QuestionError as error:
                form.add_error("text", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your question has been sent to the department. Its answer will be "
                        "published on this page, and you will get it by e-mail."
                    ),
                )
                return redirect(f"{call.get_absolute_url()}#pytania")
    context = _call_context(request, call, form)
    return render(request, "competitions/call_detail.html", context)


def call_version(request, pk, number):
    """One published wording of a call, as it was published."""
    call = _public_call(pk)
    version = get_object_or_404(call.versions, number=number)
    content = version.content if isinstance(version.content, dict) else {}
    items = [item for item in content.get("items") or [] if isinstance(item, dict)]
    criteria = [c for c in content.get("criteria") or [] if isinstance(c, dict)]
    attachments = [str(title) for title in content.get("attachments") or []]
    context = {
        "call": call,
        "version": version,
        "items": items,
        "attachments": attachments,
        "criteria_groups": _criteria_groups(criteria, lambda c: str(c.get("kind") or "")),
        "latest": call.versions.values_list("number", flat=True).first(),
    }
    return render(request, "competitions/call_version.html", context)
