"""What this app's audit entries say, by action code (see core.audit); each part of the
app adds its own codes here."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # The formal check (formal.py).
    "formal.requirement_added": _("Requirement added to the formal checklist"),
    "formal.requirement_changed": _("Requirement of the formal checklist changed"),
    "formal.requirement_removed": _("Requirement removed from the formal checklist"),
    "formal.checked": _("Formal check of an offer recorded"),
    "formal.correction_requested": _("Correction of an offer asked for"),
    "formal.correction_started": _("Correction of an offer started by the organization"),
    "formal.corrected": _("Offer corrected in time"),
    "formal.check_moved": _("Formal check moved to the corrected offer"),
    "formal.late_correction_refused": _("Correction refused after its due time"),
    "formal.correction_missed": _("Correction not made by its due time"),
    "formal.rejected": _("Offer rejected on formal grounds"),
    # The mayor's decisions and the results (decisions.py).
    "decision.made": _("Decision on an offer entered"),
    "decision.changed": _("Decision on an offer changed before the results"),
    "decision.rejected_on_form": _("Offer rejected on formal grounds with the results"),
    "call.results_published": _("Results of the call published"),
    "reasons_request.asked": _("Reasons of a decision asked for"),
    "reasons_request.answered": _("Reasons of a decision given"),
    # The commission, impartiality and blind scoring (commission.py).
    "commission.created": _("Evaluation commission set up"),
    "commission.details_changed": _("Details of the evaluation commission changed"),
    "commission_member.added": _("Member added to the evaluation commission"),
    "commission_member.removed": _("Member removed from the evaluation commission"),
    "commission_member.declaration_signed": _("Declaration of impartiality signed"),
    "conflict_of_interest.declared": _("Conflict of interest declared for an offer"),
    "score_sheet.submitted": _("Scores of an offer submitted"),
    "expert_opinion.given": _("Expert's opinion of an offer given"),
    "expert_opinion.changed": _("Expert's opinion of an offer changed"),
    "commission.scoring_started": _("Scoring of the offers started"),
    "commission.closed": _("Work of the evaluation commission closed"),
}
