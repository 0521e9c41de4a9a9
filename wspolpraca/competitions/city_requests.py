"""Requests of organizations to the city: own-initiative offers (art. 12 of the public
benefit act), honorary patronage, partnership projects and loans of equipment.

One flow serves the four kinds. An organization's administrator files a request to a
department (`submit_request`); the city answers within a term read from `LegalRules`
(`answer_due_for`); an official of that department, or a platform administrator, accepts
or rejects it with a reason (`decide_request`); the administrator may withdraw it while it
waits (`withdraw_request`). Requests not answered in time are listed to their
department's officials once a day (`remind_overdue`, queued by the nightly job).

Each action checks who acts, changes the row, writes an audit entry and e-mails the
people concerned; a refused action raises `RequestError`, whose message is shown to the
person as it is.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task
from rules import add_perm, predicate

from wspolpraca.city.models import department_recipients
from wspolpraca.core import mail, workdays
from wspolpraca.core.audit import record
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.rules import is_org_admin, is_platform_admin, is_rejected
from wspolpraca.organizations.services import organization_admins

from .models import CityRequest, LegalRules
from .rules import is_official_of_its_department

Kind = CityRequest.Kind
Status = CityRequest.Status


class RequestError(Exception):
    """A refused action; `message` is shown to the person as it is, and `errors`
    (field → message) next to the fields of a form, where the refusal is about one."""

    def __init__(self, message, *, errors=None):
        super().__init__(message)
        self.message = str(message)
        self.errors = errors or {}


# The four kinds, declared once: what the site calls each, what the form asks, and which
# answers the rules below require. The pages and the e-mails read this, never the codes.


@dataclass(frozen=True)
class KindInfo:
    kind: str
    slug: str  # in the address of the kind's form
    explanation: str
    # Fields the form asks for this kind, in order, and those of them that are required
    # (beyond the department, title and description every request has).
    fields: tuple
    required: tuple = ()


KINDS = {
    Kind.OWN_INITIATIVE: KindInfo(
        kind=Kind.OWN_INITIATIVE,
        slug="oferta-z-wlasnej-inicjatywy",
        explanation=gettext_lazy(
            "Propose a public task that no call covers, with its purpose and an estimated "
            "cost. The city judges whether the task is worth doing and, if it is, says when "
            "it will announce a call for it (art. 12 of the public benefit act)."
        ),
        fields=("department", "title", "description", "areas", "estimated_cost", "starts", "ends"),
        required=("estimated_cost",),
    ),
    Kind.PATRONAGE: KindInfo(
        kind=Kind.PATRONAGE,
        slug="patronat",
        explanation=gettext_lazy(
            "Ask the Mayor or a department for honorary patronage of your event or project. "
            "Patronage shows that the city supports it; it comes without money."
        ),
        fields=("department", "title", "description", "areas", "starts", "ends"),
        required=("starts", "ends"),
    ),
    Kind.PARTNERSHIP: KindInfo(
        kind=Kind.PARTNERSHIP,
        slug="partnerstwo",
        explanation=gettext_lazy(
            "Propose a project to prepare and run together with the city, for example a "
            "joint application for national or EU funds."
        ),
        fields=("department", "title", "description", "areas", "estimated_cost", "starts", "ends"),
    ),
    Kind.EQUIPMENT_LOAN: KindInfo(
        kind=Kind.EQUIPMENT_LOAN,
        slug="uzyczenie-sprzetu",
        explanation=gettext_lazy(
            "Ask to borrow the city's equipment, such as a stage, tents, a sound system or "
            "chairs, for a non-commercial event."
        ),
        fields=("department", "title", "description", "starts", "ends"),
        required=("starts", "ends"),
    ),
}
KIND_BY_SLUG = {info.slug: info for info in KINDS.values()}


def answer_term(kind, rules=None):
    """The city's term for answering, as a sentence: "The city answers within 1 month."."""
    rules = rules or LegalRules.current()
    if kind == Kind.OWN_INITIATIVE:
        months = rules.own_initiative_answer_months
        return ngettext(
            "The city answers within %(count)d month.",
            "The city answers within %(count)d months.",
            months,
        ) % {"count": months}
    days = rules.other_request_answer_days
    return ngettext(
        "The city answers within %(count)d day.", "The city answers within %(count)d days.", days
    ) % {"count": days}


# The term of the answer.


def add_months(day, months):
    """The same day `months` calendar months later, or the last day of that month when it
    is shorter: 31 January + 1 month is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_due_for(kind, submitted_on, rules=None):
    """The last day on which the city answers a request of `kind` filed on `submitted_on`.

    Terms are counted as the administrative procedure code counts them (art. 57 k.p.a.),
    which is how an organization and a court would read them: a term in months ends on
    the day of the last month that matches the day of filing, or on that month's last
    day when it has no such day; a term in days starts the day after filing; and a term
    that would end on a Saturday, a Sunday or a public holiday ends on the next working
    day. The own-initiative term is the act's (art. 12: one month); the other kinds'
    is the city's own rule. Both numbers are read from `LegalRules`.
    """
    rules = rules or LegalRules.current()
    if kind == Kind.OWN_INITIATIVE:
        due = add_months(submitted_on, rules.own_initiative_answer_months)
    else:
        due = submitted_on + timedelta(days=rules.other_request_answer_days)
    return workdays.next_working_day(due)


# Who may do what. Named predicates, checked with user.has_perm (django-rules).


def _membership_role(user, city_request):
    if not user.is_authenticated or city_request is None:
        return None
    membership = (
        Membership.objects.filter(organization_id=city_request.organization_id, user=user)
        .only("role")
        .first()
    )
    return membership.role if membership else None


@predicate
def is_member_of_its_organization(user, city_request):
    return _membership_role(user, city_request) is not None


@predicate
def is_admin_of_its_organization(user, city_request):
    return _membership_role(user, city_request) == Membership.Role.ADMIN


# On an organization: its admins file requests, unless its registration was rejected.
add_perm("competitions.file_city_request", is_org_admin & ~is_rejected)
# On a request: its organization's people and the city people who answer it.
add_perm(
    "competitions.see_city_request",
    is_member_of_its_organization | is_official_of_its_department | is_platform_admin,
)
add_perm("competitions.withdraw_city_request", is_admin_of_its_organization)
add_perm("competitions.decide_city_request", is_official_of_its_department | is_platform_admin)


def may_decide(user, city_request):
    return user.has_perm("competitions.decide_city_request", city_request)


# What a request must say.


def check_request(kind, data):
    """Errors (field → message) of a request's answers; empty when it may be filed.

    Every request names a department, a title and a description; an own-initiative offer
    also its estimated cost (the act asks for it), patronage and a loan their dates. What
    is asked of the city starts today at the earliest.
    """
    info = KINDS.get(kind)
    if info is None:
        return {"kind": _("Choose what you are asking the city for.")}
    errors = {}
    if not data.get("department"):
        errors["department"] = _("Choose the department that should answer.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the request a title.")
    if not (data.get("description") or "").strip():
        errors["description"] = _("Describe what you propose or ask for.")
    if "estimated_cost" in info.required and data.get("estimated_cost") is None:
        errors["estimated_cost"] = _("Give the estimated cost of the task in złoty.")
    if "starts" in info.required and not data.get("starts"):
        errors["starts"] = _("Give the first day.")
    if "ends" in info.required and not data.get("ends"):
        errors["ends"] = _("Give the last day.")
    starts, ends = data.get("starts"), data.get("ends")
    if starts and starts < timezone.localdate():
        errors["starts"] = _("The first day cannot be in the past.")
    if starts and ends and ends < starts and "ends" not in errors:
        errors["ends"] = _("The last day cannot come before the first day.")
    return errors


# Who is told.


def _admin_url(city_request):
    return settings.SITE_URL + reverse(
        "admin:competitions_cityrequest_change", args=[city_request.pk]
    )


def _site_url(city_request):
    return settings.SITE_URL + reverse("city_requests:detail", args=[city_request.pk])


def _mail_context(city_request):
    return {
        "city_request": city_request,
        "organization": city_request.organization,
        "department": city_request.department,
        "admin_url": _admin_url(city_request),
        "request_url": _site_url(city_request),
    }


# The actions.


@transaction.atomic
def submit_request(organization, *, by, kind, data):
    """File a request of `organization` to the city; returns it.

    `data` holds the department, title, description, areas, estimated_cost, starts and
    ends (what the kind's form asks). The department's officials are told, and the
    organization's admins get a confirmation with the day the answer is due.
    """
    if not by.has_perm("competitions.file_city_request", organization):
        raise RequestError(
            _("Only an administrator of %(name)s can file requests to the city for it.")
            % {"name": organization.name}
        )
    errors = check_request(kind, data)
    if errors:
        raise RequestError(next(iter(errors.values())), errors=errors)
    info = KINDS[kind]
    now = timezone.now()
    city_request = CityRequest.objects.create(
        kind=kind,
        organization=organization,
        department=data["department"],
        title=data["title"].strip(),
        description=data["description"].strip(),
        estimated_cost=data.get("estimated_cost") if "estimated_cost" in info.fields else None,
        starts=data.get("starts") if "starts" in info.fields else None,
        ends=data.get("ends") if "ends" in info.fields else None,
        submitted_by=by,
        submitted_at=now,
        answer_due=answer_due_for(kind, timezone.localdate(now)),
    )
    if "areas" in info.fields and data.get("areas"):
        city_request.areas.set(data["areas"])
    record(
        by,
        "city_request.submitted",
        city_request,
        {
            "kind": [None, kind],
            "department": [None, city_request.department_id],
            "answer_due": [None, city_request.answer_due.isoformat()],
        },
    )
    context = _mail_context(city_request)
    officials = department_recipients(city_request.department)
    admins = organization_admins(organization)
    params = {"name": organization.name}
    transaction.on_commit(
        lambda: mail.send(
            officials,
            gettext_lazy("New request from %(name)s"),
            "competitions/requests/email/submitted_department.txt",
            context,
            subject_params=params,
        )
    )
    transaction.on_commit(
        lambda: mail.send(
            admins,
            gettext_lazy("Your request to the city has been received"),
            "competitions/requests/email/submitted_organization.txt",
            context,
        )
    )
    return city_request


def _locked(city_request):
    """The row as it is now, locked until the transaction ends: two people deciding (or
    deciding and withdrawing) at once cannot both succeed."""
    return (
        CityRequest.objects.select_for_update()
        .select_related("organization", "department")
        .get(pk=city_request.pk)
    )


def decision_problem(city_request, by):
    """Why `by` cannot decide `city_request` now, or None."""
    if not may_decide(by, city_request):
        return _("Only an official of %(department)s can answer this request.") % {
            "department": city_request.department
        }
    if city_request.status != Status.SUBMITTED:
        return _("This request has already been answered or withdrawn.")
    return None


@transaction.atomic
def decide_request(city_request, *, by, accepted, reason, call_planned_for=None):
    """Accept or reject a waiting request, with the reason the organization reads.

    An accepted own-initiative offer says by when the city will announce the call for
    the task (art. 12). The organization's admins are told.
    """
    problem = decision_problem(city_request, by)
    if problem:
        raise RequestError(problem)
    city_request = _locked(city_request)
    problem = decision_problem(city_request, by)
    if problem:
        raise RequestError(problem)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Write the reason for the decision: the organization will read it.")
    needs_call_date = accepted and city_request.kind == Kind.OWN_INITIATIVE
    if needs_call_date and not call_planned_for:
        errors["call_planned_for"] = _(
            "Give the day by which the city will announce the call for this task."
        )
    elif needs_call_date and call_planned_for < timezone.localdate():
        errors["call_planned_for"] = _("The call cannot be announced in the past.")
    if errors:
        raise RequestError(next(iter(errors.values())), errors=errors)
    now = timezone.now()
    city_request.status = Status.ACCEPTED if accepted else Status.REJECTED
    city_request.decision_reason = reason
    city_request.call_planned_for = call_planned_for if needs_call_date else None
    city_request.decided_by = by
    city_request.decided_at = now
    city_request.save(
        update_fields=["status", "decision_reason", "call_planned_for", "decided_by", "decided_at"]
    )
    changes = {
        "status": [Status.SUBMITTED, city_request.status],
        "decision_reason": ["", reason],
    }
    if city_request.call_planned_for:
        changes["call_planned_for"] = [None, city_request.call_planned_for.isoformat()]
    record(
        by,
        "city_request.accepted" if accepted else "city_request.rejected",
        city_request,
        changes,
    )
    context = _mail_context(city_request)
    admins = organization_admins(city_request.organization)
    transaction.on_commit(
        lambda: mail.send(
            admins,
            gettext_lazy("The city has answered your request"),
            "competitions/requests/email/decided.txt",
            context,
        )
    )
    return city_request


def withdrawal_problem(city_request, by):
    """Why `by` cannot withdraw `city_request` now, or None."""
    if not by.has_perm("competitions.withdraw_city_request", city_request):
        return _("Only an administrator of %(name)s can withdraw its requests.") % {
            "name": city_request.organization.name
        }
    if city_request.status != Status.SUBMITTED:
        return _("Only a request that awaits an answer can be withdrawn.")
    return None


@transaction.atomic
def withdraw_request(city_request, *, by):
    """The organization takes back a request that waits for an answer; the department's
    officials are told, so that nobody keeps working on it."""
    problem = withdrawal_problem(city_request, by)
    if problem:
        raise RequestError(problem)
    city_request = _locked(city_request)
    problem = withdrawal_problem(city_request, by)
    if problem:
        raise RequestError(problem)
    city_request.status = Status.WITHDRAWN
    city_request.save(update_fields=["status"])
    record(
        by,
        "city_request.withdrawn",
        city_request,
        {"status": [Status.SUBMITTED, Status.WITHDRAWN]},
    )
    context = _mail_context(city_request)
    officials = department_recipients(city_request.department)
    params = {"name": city_request.organization.name}
    transaction.on_commit(
        lambda: mail.send(
            officials,
            gettext_lazy("%(name)s has withdrawn a request"),
            "competitions/requests/email/withdrawn_department.txt",
            context,
            subject_params=params,
        )
    )
    return city_request


# Requests past their term.


def overdue_requests(department=None, today=None):
    """Requests still waiting after the day their answer was due, the most late first."""
    today = today or timezone.localdate()
    found = CityRequest.objects.filter(status=Status.SUBMITTED, answer_due__lt=today)
    if department is not None:
        found = found.filter(department=department)
    return found.select_related("organization", "department").order_by("answer_due", "id")


REMINDER_TEMPLATE = "competitions/requests/email/overdue_reminder.txt"


def _address(recipient):
    return (recipient if isinstance(recipient, str) else recipient.email).lower()


def remind_overdue():
    """E-mail each department's officials the list of their overdue requests.

    At most one reminder per person and day, however often this runs (the nightly job
    may be started again): who was already reminded today is read from the outgoing
    e-mails. A person answering for several departments (a shared address) gets one
    list. Returns the number of e-mails queued.
    """
    today = timezone.localdate()
    by_address = {}
    for city_request in overdue_requests(today=today):
        for recipient in department_recipients(city_request.department):
            entry = by_address.setdefault(_address(recipient), (recipient, []))
            entry[1].append(city_request)
    if not by_address:
        return 0
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    reminded = {
        address.lower()
        for address in OutgoingEmail.objects.filter(
            template=REMINDER_TEMPLATE, created_at__gte=start_of_today
        ).values_list("to", flat=True)
    }
    sent = 0
    for address, (recipient, requests) in by_address.items():
        if address in reminded:
            continue
        sent += len(
            mail.send(
                [recipient],
                gettext_lazy("Requests waiting for an answer after their term: %(count)s"),
                REMINDER_TEMPLATE,
                {
                    "requests": [{"city_request": r, "admin_url": _admin_url(r)} for r in requests],
                    "today": today,
                },
                subject_params={"count": len(requests)},
            )
        )
    return sent


@task()
def remind_overdue_task():
    """The daily reminder as a background task, for the nightly job to queue."""
    return {"sent": remind_overdue()}
