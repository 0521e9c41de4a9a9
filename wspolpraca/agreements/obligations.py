"""An organization's record with the city (PRODUCT III1): what the city has asked of it
and by when (`obligations_for`, the "to do" page of a signed-in person), and the grants it
received, on its public page (`grants_section`, a `core.sections` section).

Both make a constant number of queries whatever the organization's history holds.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wspolpraca.core import sections
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations.models import CorrectionRequest
from wspolpraca.organizations.models import Membership

from .controls import answer_due
from .models import Agreement, BudgetUpdate, Control, Report

# The public page shows this many of the organization's latest grants.
GRANTS_SHOWN = 20


@dataclass(frozen=True)
class Obligation:
    """One thing the city asked of an organization: what, by when (a day, or a moment to
    the second; None when no date was set) and where to do it."""

    kind: str
    title: str
    organization: object
    due: date | datetime | None
    url: str
    note: str = ""
    # Whether this person may do it (an administrator), or only sees it (a member).
    may_act: bool = True

    @property
    def due_has_time(self):
        return isinstance(self.due, datetime)

    @property
    def sort_at(self):
        """When it is due, comparable across days and moments: a day ends at midnight."""
        if self.due is None:
            return None
        if isinstance(self.due, datetime):
            return self.due
        return timezone.make_aware(datetime.combine(self.due, time.max))

    @property
    def overdue(self):
        return self.sort_at is not None and self.sort_at < timezone.now()


def _sorted(found):
    """Soonest first; those without a set date after the dated ones."""
    far = timezone.make_aware(datetime.max.replace(year=9000))
    return sorted(found, key=lambda o: (o.sort_at is None, o.sort_at or far, o.title))


def obligations_for(user):
    """Everything the city asks of `user`'s organizations now, soonest first, in six
    queries whatever their number: open formal corrections, updated budgets awaited,
    reports due or returned, controls announced or to answer, ratings invited."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("organization").order_by("pk")
    )
    if not memberships:
        return []
    organizations = {m.organization_id: m.organization for m in memberships}
    admin_of = {m.organization_id for m in memberships if m.role == Membership.Role.ADMIN}
    ids = list(organizations)
    found = []

    def add(kind, organization_id, title, due, url, note=""):
        found.append(
            Obligation(
                kind=kind,
                title=title,
                organization=organizations[organization_id],
                due=due,
                url=url,
                note=note,
                may_act=organization_id in admin_of,
            )
        )

    corrections = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.OPEN, offer__organization_id__in=ids
    ).select_related("offer")
    for correction in corrections:
        offer = correction.offer
        add(
            "correction",
            offer.organization_id,
            _("Correct the offer %(offer)s") % {"offer": offer.number or offer.title},
            correction.due,
            reverse("evaluations:correction", args=[correction.pk]),
            correction.message,
        )

    latest_update = BudgetUpdate.objects.filter(agreement=OuterRef("pk")).order_by(
        "-submitted_at", "-pk"
    )
    budgets = (
        Agreement.objects.filter(organization_id__in=ids)
        .annotate(latest_update=Subquery(latest_update.values("status")[:1]))
        .filter(
            Q(status=Agreement.Status.BUDGET_UPDATE)
            | Q(
                status=Agreement.Status.BUDGET_REVIEW,
                latest_update=BudgetUpdate.Status.RETURNED,
            )
        )
    )
    for agreement in budgets:
        returned = agreement.latest_update == BudgetUpdate.Status.RETURNED
        add(
            "budget",
            agreement.organization_id,
            (
                _("Change the updated budget returned under agreement %(number)s")
                if returned
                else _("Send the updated budget for agreement %(number)s")
            )
            % {"number": agreement.number},
            None,
            reverse("agreements:budget_update", args=[agreement.pk]),
        )

    reports = Report.objects.filter(
        agreement__organization_id__in=ids,
        status__in=[Report.Status.DUE, Report.Status.RETURNED],
    ).select_related("agreement")
    for report in reports:
        returned = report.status == Report.Status.RETURNED
        add(
            "report",
            report.agreement.organization_id,
            (
                _("Correct the %(report)s under agreement %(number)s")
                if returned
                else _("Submit the %(report)s under agreement %(number)s")
            )
            % {"report": report.get_kind_display(), "number": report.agreement.number},
            report.due,
            reverse("agreements:report", args=[report.pk]),
            report.return_reason if returned else "",
        )

    today = timezone.localdate()
    controls = Control.objects.filter(
        Q(status=Control.Status.PLANNED, planned_on__gte=today) | Q(status=Control.Status.DONE),
        agreement__organization_id__in=ids,
    ).select_related("agreement")
    for control in controls:
        agreement = control.agreement
        number = {"number": agreement.number}
        url = reverse("agreements:control", args=[control.pk])
        monitoring = control.kind == Control.Kind.MONITORING
        if control.status == Control.Status.PLANNED:
            title = (
                _("Prepare for the monitoring visit under agreement %(number)s")
                if monitoring
                else _("Prepare for the control under agreement %(number)s")
            )
            add(
                "control_notice",
                agreement.organization_id,
                title % number,
                control.planned_on,
                url,
                control.scope,
            )
        else:
            title = (
                _("Answer the findings of the monitoring visit under agreement %(number)s")
                if monitoring
                else _("Answer the findings of the control under agreement %(number)s")
            )
            add(
                "control_answer",
                agreement.organization_id,
                title % number,
                answer_due(control),
                url,
                control.recommendations or control.findings or control.quality,
            )

    to_rate = Agreement.objects.filter(
        organization_id__in=ids, status=Agreement.Status.SETTLED, rating__isnull=True
    ).select_related("department")
    for agreement in to_rate:
        add(
            "rating",
            agreement.organization_id,
            _("Rate your cooperation with %(department)s under agreement %(number)s")
            % {"department": agreement.department, "number": agreement.number},
            None,
            reverse("agreements:rate", args=[agreement.pk]),
        )
    return _sorted(found)


# The grants on the organization's public page.


def grants_section(request, organization):
    """The grants `organization` received, latest first, with the state of their reports;
    "" when it has none. One query."""
    today = timezone.localdate()
    agreements = list(
        Agreement.objects.filter(organization=organization)
        .only("number", "status", "amount", "starts", "ends")
        .annotate(
            task=F("offer__title"),
            call_id=F("offer__call_id"),
            call_title=F("offer__call__title"),
            department_name=F("department__name"),
            reports_accepted=Count("reports", filter=Q(reports__status=Report.Status.ACCEPTED)),
            reports_submitted=Count("reports", filter=Q(reports__status=Report.Status.SUBMITTED)),
            reports_overdue=Count(
                "reports",
                filter=Q(
                    reports__status__in=[Report.Status.DUE, Report.Status.RETURNED],
                    reports__due__lt=today,
                ),
            ),
        )
        .order_by("-starts", "-pk")[: GRANTS_SHOWN + 1]
    )
    if not agreements:
        return ""
    return render_to_string(
        "agreements/record/_grants.html",
        {
            "organization": organization,
            "agreements": agreements[:GRANTS_SHOWN],
            "more": len(agreements) > GRANTS_SHOWN,
            "shown": GRANTS_SHOWN,
        },
        request=request,
    )


def _record_changed(sender, instance=None, **kwargs):
    """Drop cached copies of organizations' pages when an agreement or report changes, or
    anything of this app is recorded in the audit trail (which every state change is)."""
    if sender is AuditEntry:
        recorded = ContentType.objects.get_for_id(instance.content_type_id)
        if recorded.app_label != Agreement._meta.app_label:
            return
    sections.changed("organization")


def connect():
    """Keep the organizations' cached pages in step with their grants (from signals)."""
    for model in (Agreement, Report):
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"record-{model.__name__}")
        post_delete.connect(
            _record_changed, sender=model, dispatch_uid=f"record-del-{model.__name__}"
        )
    post_save.connect(_record_changed, sender=AuditEntry, dispatch_uid="record-audit")


def agreement_section(request, offer):
    """The agreement made from `offer`, on the offer's page, for whoever may read it."""
    agreement = Agreement.objects.filter(offer=offer).select_related("organization").first()
    if agreement is None or not request.user.has_perm("agreements.view_agreement", agreement):
        return ""
    return render_to_string(
        "agreements/record/_offer_agreement.html", {"agreement": agreement}, request=request
    )
