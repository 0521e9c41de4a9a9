"""What this app's audit entries say, by action code (see core.audit); each part of the
app adds its own codes here."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # Agreements (II9): agreements.py
    "agreement.prepared": _("Agreement prepared after the grant"),
    "decision.small_grant_refused": _("Small grant not awarded after the comments"),
    "agreement.tranches_changed": _("Tranches of the agreement changed before signing"),
    "agreement.tranche_paid": _("Payment of a tranche recorded"),
    "agreement.budget_submitted": _("Updated budget sent for review"),
    "agreement.budget_accepted": _("Updated budget accepted"),
    "agreement.budget_returned": _("Updated budget returned for changes"),
    "agreement.signed": _("Agreement signed"),
    "agreement.annex_added": _("Annex to the agreement"),
    # Reports and settlement (II10): reports.py
    "report.partial_requested": _("Partial report requested"),
    "report.submitted": _("Report submitted"),
    "report.accepted": _("Report accepted"),
    "report.returned": _("Report returned for correction"),
    "report.reopened": _("Accepted report reopened for correction"),
    "agreement.settled": _("Grant settled"),
    "settlement.refund_recorded": _("Return of the unused grant recorded"),
    # Controls and feedback (II11, II12): controls.py, feedback.py (ratings are not recorded)
    "control.planned": _("Control or monitoring visit planned, the organization notified"),
    "control.findings_given": _("Findings of the control given"),
    "control.answered": _("The organization answered the findings"),
    "control.closed": _("Control closed"),
    "evaluation_meeting.added": _("Evaluation meeting entered"),
    "evaluation_meeting.changed": _("Evaluation meeting changed"),
}

# Change keys that are not fields of the model an entry is about ({key: label}).
FIELDS = {
    # Agreements (II9): agreements.py
    "tranche_plan": _("tranches (number, year, amount, planned payment)"),
    "tranche": _("tranche"),
    "paid_on": _("paid on"),
    "budget_update": _("updated budget (number)"),
    "own_contribution": _("own contribution (zł)"),
    "return_reason": _("why it is returned"),
    "agreement_version": _("version of the agreement"),
    "annex_reason": _("reason for the annex"),
    "content_sha256": _("SHA-256 of the content"),
    # Reports and settlement (II10): reports.py
    "report_version": _("version of the report"),
    "days_late": _("days after the due date"),
    "grant_paid": _("grant paid (zł)"),
    "grant_used": _("grant used (zł)"),
    "refund_due": _("to be returned (zł)"),
    "refund_due_by": _("to be returned by"),
    "refund_paid_on": _("returned on"),
}
