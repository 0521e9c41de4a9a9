from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What the organization's audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "organization.registered": _("Registered on the platform"),
    "organization.registered_over_krs_watch": _(
        "Registered on the platform (the KRS watch had found it before)"
    ),
    "organization.verified": pgettext_lazy("audit action", "Verified"),
    "organization.rejected": _("Registration rejected"),
    "organization.verification_reset": _(
        "Sent back to verification after a change of its identifying data"
    ),
    "organization.refreshed_from_krs": _("Data refreshed from the KRS"),
    "organization.found_by_krs_watch": _("Found by the KRS watch"),
    "organization.updated": _("Data changed"),
    "organization.data_confirmed": _("Data confirmed as current"),
    "membership.invited": _("Invitation sent"),
    "membership.invitation_cancelled": _("Invitation cancelled"),
    "membership.invitations_cancelled": _("Invitations of a former administrator cancelled"),
    "membership.joined": _("Joined by invitation"),
    "membership.claim_approved": _("Joined after an approved request"),
    "membership.left": _("Left the organization"),
    "membership.removed": _("Member removed"),
    "membership.admin_transferred": _("Administration handed over"),
    "claim.requested": _("Request to join sent"),
    "claim.approved": _("Request to join approved"),
    "claim.rejected": _("Request to join rejected"),
}

# Change keys of those entries that are not fields of a model.
AUDIT_FIELDS = {
    "member": _("member"),
    "invited": _("invited person"),
    "claimant": _("person asking"),
    "admin": _("administrator"),
    "admin_added": _("new administrator"),
    "admin_removed": _("former administrator"),
    "prefilled_from_krs": _("filled in from the KRS"),
    "reason": _("reason"),
    "bulletin_day": _("day of the KRS bulletin"),
    "changed_fields": _("changed fields"),
    "invitations_cancelled": _("invitations cancelled"),
}

AUDIT_REASONS = {
    "left": _("the inviting person left the organization"),
    "removed": _("the inviting person was removed from the organization"),
    "admin_transferred": _("the inviting person handed over the administration"),
    "account_erased": _("the inviting person's account was deleted"),
}


class OrganizationsConfig(AppConfig):
    name = "wspolpraca.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from wspolpraca.core import audit

        audit.register_actions(AUDIT_ACTIONS)
        audit.register_fields(AUDIT_FIELDS)
        audit.register_values("reason", AUDIT_REASONS)

        from wspolpraca.accounts import services as account_services

        from . import services

        account_services.register_exporter(services.export_memberships)
        account_services.register_erasure_check(services.erasure_obstacles)
        account_services.register_eraser(services.erase_person)

        from wspolpraca.core.uploads import delete_files_on_delete

        from . import signals
        from .models import Organization

        signals.connect()
        # However an organization is deleted (back office, cascade), its logo goes too.
        delete_files_on_delete(Organization, "logo")
