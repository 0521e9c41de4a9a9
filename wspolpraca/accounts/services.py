"""What a person may do with their own account: see their data, take it away, erase it."""

import json
import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from wspolpraca.core.models import AuditEntry, OutgoingEmail

# Apps higher in the pipeline add what they hold about a person. Each exporter takes a
# user and returns {section: JSON-safe data}; each erasure check returns a list of
# reasons why the account cannot be erased yet; each eraser takes the user and the label
# that replaces their identity, and runs inside the erasure's transaction before the
# account is deleted.
DATA_EXPORTERS = []
ERASURE_CHECKS = []
ERASERS = []

# An e-mail address inside free text or a recorded value.
EMAIL_ADDRESS = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[^\s@<>()\[\]\"',;:]+")


class AccountError(Exception):
    pass


def register_exporter(func):
    DATA_EXPORTERS.append(func)
    return func


def register_erasure_check(func):
    ERASURE_CHECKS.append(func)
    return func


def register_eraser(func):
    ERASERS.append(func)
    return func


def own_addresses(user):
    """Every e-mail address of `user`, lower case."""
    return {user.email.lower()} | {
        address.lower() for address in user.emailaddress_set.values_list("email", flat=True)
    }


def _map_strings(value, func):
    """`value` (JSON-like data) with `func` applied to every string in it, keys included."""
    if isinstance(value, str):
        return func(value)
    if isinstance(value, list | tuple):
        return [_map_strings(item, func) for item in value]
    if isinstance(value, dict):
        return {func(key): _map_strings(item, func) for key, item in value.items()}
    return value


def mask_other_addresses(value, own):
    """Replace, in JSON-like `value`, every e-mail address that is not in `own` (lower
    case): one person's export must not give them other people's addresses."""
    hidden = _("[another person's address]")

    def mask(text):
        return EMAIL_ADDRESS.sub(
            lambda match: match.group() if match.group().lower() in own else hidden, text
        )

    return _map_strings(value, mask)


def export_user_data(user):
    own = own_addresses(user)
    data = {
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
    data = mask_other_addresses(data, own)
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in user.emailaddress_set.all()
            ],
        },
        **data,
    }


def erasure_obstacles(user):
    return [reason for check in ERASURE_CHECKS for reason in check(user)]


def erasure_consequences(user):
    """What erasing the account does, in sentences for the person about to do it."""
    label = _("erased account #%(id)s") % {"id": user.pk}
    consequences = [
        _(
            "Your account, your profile (name and phone) and your e-mail addresses are "
            "erased, and you are signed out."
        ),
    ]
    if hasattr(user, "memberships") and user.memberships.exists():
        names = ", ".join(
            user.memberships.select_related("organization").values_list(
                "organization__name", flat=True
            )
        )
        consequences.append(_("You stop being a member of: %(names)s.") % {"names": names})
    consequences += [
        _(
            "Invitations you sent that are still waiting are cancelled, and invitations "
            "sent to you can no longer be accepted."
        ),
        _(
            "Records of what you did on the platform (for example changes to an "
            "organization's data) stay in the audit trail, as the law requires, but your "
            "name and e-mail address there are replaced by “%(label)s”."
        )
        % {"label": label},
    ]
    return consequences


def _scrub_audit_trail(user, label):
    """Entries keep what happened but no longer say to whom: the person's addresses are
    replaced by `label` wherever an entry recorded them (who acted, the object's name, the
    changed values); so is their name in an object's name, and their name and phone where
    an entry recorded them as a value. Entries about the account itself lose its name."""
    addresses = sorted(own_addresses(user), key=len, reverse=True)
    exact = {value.lower() for value in (user.full_name, user.phone) if value}
    user_type = ContentType.objects.get_for_model(user)

    AuditEntry.objects.filter(actor=user).update(actor=None, actor_label=label)
    AuditEntry.objects.filter(actor_label__in=[user.email, *addresses]).update(actor_label=label)

    # Find the entries with a database query: in the JSON text an address may be stored
    # as it is or with its non-ASCII letters escaped.
    found = Q(content_type=user_type, object_id=str(user.pk))
    # As written too: SQLite's LIKE folds the case of ASCII letters only, so a lowered
    # "świergiel" would not find "Świergiel".
    as_written = {value for value in (user.full_name, user.phone) if value}
    for needle in [*addresses, *exact, *(as_written - exact)]:
        escaped = json.dumps(needle)[1:-1]
        found |= Q(object_repr__icontains=needle) | Q(changes_text__icontains=needle)
        if escaped != needle:
            found |= Q(changes_text__icontains=escaped)
    pattern = re.compile("|".join(re.escape(a) for a in addresses), re.IGNORECASE)
    # A name of two words or more, as a whole, in an object's name ("Anna Nowak @ Fundacja
    # X (member)"); a single word is too likely to be part of another name.
    full_name = " ".join(user.full_name.split())
    name_pattern = (
        re.compile(rf"\b{re.escape(full_name)}\b", re.IGNORECASE) if " " in full_name else None
    )

    def scrub(text):
        if text.lower() in exact:
            return label
        return pattern.sub(label, text)

    entries = AuditEntry.objects.annotate(changes_text=Cast("changes", TextField())).filter(found)
    for entry in entries.iterator():
        if entry.content_type_id == user_type.pk and entry.object_id == str(user.pk):
            object_repr = label
        else:
            object_repr = pattern.sub(label, entry.object_repr)
            if name_pattern is not None:
                object_repr = name_pattern.sub(label, object_repr)
        changes = _map_strings(entry.changes, scrub)
        if object_repr != entry.object_repr or changes != entry.changes:
            AuditEntry.objects.filter(pk=entry.pk).update(
                object_repr=object_repr[:300], changes=changes
            )


@transaction.atomic
def erase_account(user):
    """Delete the account and everything that only identifies the person.

    The audit trail and the invitations keep their entries (auditors need them) but no
    longer name the person: "erased account #<id>" stands where their address was. The
    record of e-mails sent to the person goes.
    """
    obstacles = erasure_obstacles(user)
    if obstacles:
        raise AccountError(" ".join(obstacles))
    label = _("erased account #%(id)s") % {"id": user.pk}
    for eraser in ERASERS:
        eraser(user, label)
    _scrub_audit_trail(user, label)
    # The e-mails the platform sent the person: what they said is theirs, not the record's.
    OutgoingEmail.objects.filter(to__in=[user.email, *own_addresses(user)]).delete()
    user.delete()
