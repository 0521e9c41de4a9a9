"""Recording state changes: every service that changes a public record calls `record`."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


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


def snapshot(obj):
    """The values a person can edit on `obj`, many-to-many fields as sorted primary keys.

    Fields the code writes itself (editable=False, such as search columns and timestamps)
    are left out: they change with every edit and say nothing an auditor needs."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        values[field.name] = field.value_from_object(obj)
    if obj.pk:
        for field in obj._meta.many_to_many:
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
