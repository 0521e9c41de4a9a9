"""What a person may do with their own account: see their data, take it away, erase it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wspolpraca.core.models import AuditEntry

# Apps higher in the pipeline add what they hold about a person. Each exporter takes a
# user and returns {section: JSON-safe data}; each erasure check returns a list of
# reasons why the account cannot be erased yet.
DATA_EXPORTERS = []
ERASURE_CHECKS = []


class AccountError(Exception):
    pass


def register_exporter(func):
    DATA_EXPORTERS.append(func)
    return func


def register_erasure_check(func):
    ERASURE_CHECKS.append(func)
    return func


def export_user_data(user):
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in user.emailaddress_set.all()
            ],
        },
        "audit_trail_as_actor": [
            {
                "when": e.created_at.isoformat(),
                "action": e.action,
                "object": e.object_repr,
                "changes": e.changes,
            }
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
        ],
    }
    for exporter in DATA_EXPORTERS:
        data.update(exporter(user))
    return data


def erasure_obstacles(user):
    return [reason for check in ERASURE_CHECKS for reason in check(user)]


@transaction.atomic
def erase_account(user):
    """Delete the account and everything that only identifies the person.

    The audit trail keeps its entries (auditors need them) but no longer names the person.
    """
    obstacles = erasure_obstacles(user)
    if obstacles:
        raise AccountError(" ".join(obstacles))
    label = _("erased account #%(id)s") % {"id": user.pk}
    AuditEntry.objects.filter(actor=user).update(actor=None, actor_label=label)
    AuditEntry.objects.filter(actor_label=user.email).update(actor_label=label)
    user.delete()
