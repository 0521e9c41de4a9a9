"""Recording state changes: every service that changes a public record calls `record`.

Entries keep stable codes (`membership.admin_transferred`, field names such as
`district`); people read them through the labels registered here: each app registers
the actions it writes (`register_actions`) and the change keys that are not model fields
(`register_fields`), in its AppConfig.ready(). The back office registers the accusative
name of each model it edits (`register_subject`), so `<model>.created/updated/deleted`
read as "Dodano organizację". A code nobody registered still reads as words, never as
the dotted code.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .models import AuditEntry

_action_labels = {}
_field_labels = {}
_subjects = {}
_value_labels = {}

# The back office writes these for every model it edits (see AuditedAdminMixin).
GENERIC_VERBS = {
    "created": pgettext_lazy("audit", "Added %(name)s in the back office"),
    "updated": pgettext_lazy("audit", "Changed %(name)s in the back office"),
    "deleted": pgettext_lazy("audit", "Deleted %(name)s in the back office"),
}


def register_actions(labels):
    """Labels for action codes, {code: lazy translated text}; call from AppConfig.ready()."""
    _action_labels.update(labels)


def register_fields(labels):
    """Labels for change keys that are not model fields ({"member": _("member")})."""
    _field_labels.update(labels)


def register_values(key, labels):
    """Labels for the coded values a change key holds ({"left": _("the inviter left")})."""
    _value_labels.setdefault(key, {}).update(labels)


def register_subject(prefix, accusative):
    """The accusative name of what `<prefix>.created/updated/deleted` is about."""
    _subjects.setdefault(prefix, accusative)


def diff(before, after):
    """The fields whose values differ, as {field: [old, new]} of JSON-safe strings."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = [_plain(old), _plain(new)]
    return changed


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return str(value)


def snapshot(obj, exclude=()):
    """The values a person can edit on `obj`, many-to-many fields as sorted primary keys.

    Fields the code writes itself (editable=False, such as search columns and timestamps)
    are left out: they change with every edit and say nothing an auditor needs."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in exclude:
            continue
        values[field.name] = field.value_from_object(obj)
    if obj.pk:
        for field in obj._meta.many_to_many:
            if field.name not in exclude:
                values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def record(actor, action, obj, changes=None):
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") or "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )


# Reading entries in plain language.


def _model_named(prefix):
    """The model an action prefix names ("membership", "accessibility_declaration")."""
    name = prefix.replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == name:
            return model
    return None


def _words(code):
    return code.replace("_", " ").strip()


def action_label(code):
    """A readable name for an action code, in the active language."""
    if code in _action_labels:
        return str(_action_labels[code])
    prefix, _dot, verb = code.partition(".")
    model = _model_named(prefix)
    if verb in GENERIC_VERBS:
        name = _subjects.get(prefix) or (model._meta.verbose_name if model else _words(prefix))
        return str(GENERIC_VERBS[verb] % {"name": name})
    subject = model._meta.verbose_name if model else _words(prefix)
    return pgettext("audit", "%(subject)s: %(action)s") % {
        "subject": capfirst(subject),
        "action": _words(verb) or "—",
    }


def _field(models_, key):
    for model in models_:
        for name in (key, key.removesuffix("_id")):
            try:
                return model._meta.get_field(name)
            except Exception:  # FieldDoesNotExist, or a reverse relation without a label
                continue
    return None


def _models_for(entry):
    """Where the keys of an entry's changes are fields: the model its action prefix names
    (a membership row recorded on its organization), then the entry's own model."""
    found = []
    named = _model_named(entry.action.partition(".")[0])
    if named is not None:
        found.append(named)
    own = entry.content_type.model_class() if entry.content_type_id else None
    if own is not None and own not in found:
        found.append(own)
    return found


def field_label(models_, key):
    field = _field(models_, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(capfirst(field.verbose_name))
    if key in _field_labels:
        return str(capfirst(_field_labels[key]))
    return capfirst(_words(key.removesuffix("_id")))


class _Names:
    """Looks up related objects once per rendering of a trail."""

    def __init__(self):
        self.cache = {}

    def __call__(self, model, pk):
        key = (model, pk)
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            self.cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self.cache[key]


def value_label(field, value, names=None):
    """A stored value as a person reads it: choice labels, related names, tak/nie."""
    names = names or _Names()
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field is not None:
        if field.choices:
            choices = dict(field.flatchoices)
            if value in choices:
                return str(choices[value])
        if field.is_relation and field.related_model is not None:
            pks = value if isinstance(value, list) else [value]
            return ", ".join(names(field.related_model, pk) for pk in pks)
        if isinstance(field, models.BooleanField):
            return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _value(models_, key, field, value, names):
    coded = _value_labels.get(key, {})
    if isinstance(value, str) and value in coded:
        return str(coded[value])
    if (
        field is None
        and isinstance(value, list)
        and value
        and all(isinstance(v, str) and _field(models_, v) for v in value)
    ):
        # A list of field names ("changed_fields"): their labels.
        return ", ".join(field_label(models_, v) for v in value)
    return value_label(field, value, names)


def readable(entries):
    """Entries with their action and changes in plain language, for templates."""
    names = _Names()
    rows = []
    for entry in entries:
        models_ = _models_for(entry)
        changes = []
        for key, values in (entry.changes or {}).items():
            old, new = (
                (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
            )
            field = _field(models_, key)
            changes.append(
                {
                    "field": field_label(models_, key),
                    "old": _value(models_, key, field, old, names),
                    "new": _value(models_, key, field, new, names),
                    # Rows of an inline name whose row changed: shown once, no arrow.
                    "same": old == new,
                }
            )
        rows.append({"entry": entry, "action": action_label(entry.action), "changes": changes})
    return rows
