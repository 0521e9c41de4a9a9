"""Pieces every back-office page is built from.

- `NamedAdminMixin`: grammatical Polish titles. Django builds "Add %s" / "Change %s" from
  the nominative verbose_name ("Dodaj organizacja"); each ModelAdmin names its model in
  the accusative (`name_accusative`) and the titles read "Dodaj organizację".
- `PlatformAdminOnlyMixin`: rows that belong to an organization itself or to the platform
  (memberships, invitations, claims, accounts) are changed in the back office by platform
  administrators only, whatever permissions a group is given (see accounts/roles.py).
- `AuditTrailMixin` / `AuditedAdminMixin`: every change made in the back office — the
  object, its inline rows, deletions one by one or in bulk — writes an audit entry, and
  the object's page shows its trail in plain language.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy

from .audit import action_label, diff, readable, record, register_subject, snapshot
from .models import AuditEntry, OutgoingEmail

# Django's own admin texts that put a model's name into a sentence ("Dodaj kolejne(go)(-ną)
# (-ny) %(verbose_name)s"). Our catalogue gives them neutral wording that reads correctly
# with any noun; they are listed here so that makemessages keeps them in our catalogue.
DJANGO_ADMIN_TEXTS = [
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, "
        "but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    ),
]


def unregister_third_party_admins():
    """Back-office pages of installed packages that staff do not use, in English only:
    the site record (allauth's e-mails read its name; `manage.py demo` sets it from
    SITE_URL),
    allauth's e-mail addresses and authenticators (a lost second factor is reset with the
    action on the user list), and django-tasks' result rows (the KRS watch has its own
    runs page)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sites.models import Site
    from django_tasks_db.models import DBTaskResult

    for model in (Site, EmailAddress, Authenticator, DBTaskResult):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


unregister_third_party_admins()


class NamedAdminMixin:
    """Titles in the accusative: "Dodaj organizację", "Zmień organizację"; the list is
    titled with the plural ("Organizacje") instead of "Wybierz organizacja do zmiany".

    Related-object pop-up links beside select boxes are switched off: their titles are
    built from the nominative too, and the back office does not need them.
    """

    name_accusative = None

    def accusative(self):
        return self.name_accusative or self.model._meta.verbose_name

    def add_title(self):
        return pgettext("admin title", "Add %(name)s") % {"name": self.accusative()}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if add:
            title = self.add_title()
        elif response.context_data.get("has_change_permission"):
            title = pgettext("admin title", "Change %(name)s") % {"name": self.accusative()}
        else:
            title = pgettext("admin title", "View %(name)s") % {"name": self.accusative()}
        response.context_data["title"] = title
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "add_title": self.add_title(),
            **({} if admin.options.IS_POPUP_VAR in request.GET else {"title": self._plural()}),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def _plural(self):
        return capfirst(self.model._meta.verbose_name_plural)

    def delete_view(self, request, object_id, extra_context=None):
        # "Czy na pewno usunąć organizację „…”?": the question takes the accusative too.
        extra_context = {"object_name": self.accusative(), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """Leave out the rows Django keeps to link many-to-many fields: "Organization_areas
        object (403)" means nothing to an official, and they go with the object anyway."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        names, plurals = _link_table_names()
        model_count = {name: n for name, n in model_count.items() if str(name) not in plurals}
        return _without_rows(deleted, names), model_count, perms_needed, protected

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield


class PlatformAdminOnlyMixin:
    """Only platform administrators add, change or delete these rows in the back office;
    staff with the view permission see them. Works for ModelAdmins and inlines."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ActionFilter(admin.SimpleListFilter):
    """Filters the audit trail by action, listed by their readable names."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectKindFilter(admin.SimpleListFilter):
    """Filters the audit trail by the kind of object, named as the back office names it."""

    title = _("kind of object")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        ids = AuditEntry.objects.order_by().values_list("content_type", flat=True).distinct()
        kinds = [(ct.pk, _kind_name(ct)) for ct in ContentType.objects.filter(pk__in=ids)]
        return sorted(kinds, key=lambda kind: str(kind[1]))

    def queryset(self, request, queryset):
        return queryset.filter(content_type=self.value()) if self.value() else queryset


def _kind_name(content_type):
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name) if model else content_type.model


class RecordOnlyMixin:
    """A record the platform writes itself: nobody adds, changes or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordOnlyMixin, NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "audit entry")
    list_display = ["created_at", "actor_label", "action_name", "object_kind", "object_repr"]
    list_filter = [ActionFilter, ObjectKindFilter]
    search_fields = ["actor_label", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    fields = ["created_at", "actor_label", "action_name", "object_kind", "object_repr", "what"]
    readonly_fields = fields

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj):
        return action_label(obj.action)

    @admin.display(description=_("kind of object"), ordering="content_type")
    def object_kind(self, obj):
        return _kind_name(obj.content_type)

    @admin.display(description=_("what changed"))
    def what(self, obj):
        return render_to_string("core/audit_changes.html", {"row": readable([obj])[0]})


class AuditTrailMixin:
    """Shows an object's audit trail, read-only and in plain language, on its admin page."""

    @admin.display(description=_("Audit trail"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        entries = AuditEntry.objects.for_object(obj).select_related("content_type")[:200]
        return render_to_string("core/audit_trail.html", {"rows": readable(entries)})

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "audit_trail"]


class AuditedAdminMixin(NamedAdminMixin, AuditTrailMixin):
    """Writes an audit entry for every change the back office makes.

    - saving the object: `<prefix>.created` / `<prefix>.updated` with the changed fields,
      written after the related objects (many-to-many, inline rows) are saved;
    - inline rows: `<row model>.created/updated/deleted` on the parent object, with the
      row's values (for a changed row, what changed and `audit_identity` fields saying
      whose row it was);
    - deleting, one object or many with the "delete selected" action: `<prefix>.deleted`.

    `audit_exclude` names fields that must never be copied into the trail (password hashes).
    """

    audit_prefix = None
    audit_exclude = ()

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        register_subject(self._prefix(model), self.accusative())
        for inline in self.inlines:
            register_subject(
                inline.model._meta.model_name,
                getattr(inline, "name_accusative", None) or inline.model._meta.verbose_name,
            )

    def _prefix(self, model=None):
        return self.audit_prefix or (model or self.model)._meta.model_name

    def _snapshot(self, obj):
        return snapshot(obj, exclude=self.audit_exclude)

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                before = self._snapshot(stored)
        request._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = diff(getattr(request, "_audit_before", {}), self._snapshot(obj))
        if changes or not change:
            record(
                request.user, f"{self._prefix()}.{'updated' if change else 'created'}", obj, changes
            )

    def save_formset(self, request, form, formset, change):
        model = formset.model
        fk_name = getattr(formset, "fk", None) and formset.fk.name
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        before = {
            row.pk: self._row_snapshot(row, fk_name)
            for row in model._default_manager.filter(pk__in=pks)
        }
        super().save_formset(request, form, formset, change)
        parent = form.instance
        prefix = model._meta.model_name
        identity = next(
            (
                getattr(inline, "audit_identity", ())
                for inline in self.get_inline_instances(request, parent)
                if inline.model is model
            ),
            (),
        )
        for row in formset.new_objects:
            after = self._row_snapshot(row, fk_name)
            changes = diff({}, {k: v for k, v in after.items() if v not in (None, "", [])})
            record(request.user, f"{prefix}.created", parent, changes)
        for row, _fields in formset.changed_objects:
            after = self._row_snapshot(row, fk_name)
            changes = diff(before.get(row.pk, {}), after)
            if changes:
                for name in identity:
                    changes.setdefault(name, [after.get(name), after.get(name)])
                record(request.user, f"{prefix}.updated", parent, changes)
        for row in formset.deleted_objects:
            old = before.get(row.pk) or self._row_snapshot(row, fk_name)
            changes = diff({k: v for k, v in old.items() if v not in (None, "", [])}, {})
            record(request.user, f"{prefix}.deleted", parent, changes)

    def _row_snapshot(self, row, fk_name):
        return snapshot(
            row, exclude={fk_name, *self.audit_exclude} if fk_name else self.audit_exclude
        )

    def delete_model(self, request, obj):
        record(request.user, f"{self._prefix()}.deleted", obj, self._deleted_values(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(request.user, f"{self._prefix()}.deleted", obj, self._deleted_values(obj))
        super().delete_queryset(request, queryset)

    def _deleted_values(self, obj):
        return diff({k: v for k, v in self._snapshot(obj).items() if v not in (None, "", [])}, {})


def _link_table_names():
    """The names (singular with ": ", plural) of the auto-created many-to-many tables."""
    through = {
        field.remote_field.through
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }
    names = tuple(f"{capfirst(t._meta.verbose_name)}: " for t in through)
    plurals = {str(t._meta.verbose_name_plural) for t in through}
    return names, plurals


def _without_rows(items, prefixes):
    kept = []
    for item in items:
        if isinstance(item, list):
            nested = _without_rows(item, prefixes)
            if nested:
                kept.append(nested)
        elif not strip_tags(str(item)).startswith(prefixes):
            kept.append(item)
    return kept


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(RecordOnlyMixin, NamedAdminMixin, admin.ModelAdmin):
    """What the platform told whom, and whether it left (read only)."""

    name_accusative = pgettext_lazy("accusative", "outgoing e-mail")
    list_display = ["created_at", "to", "subject", "status", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = ["created_at", "sent_at", "status", "to", "language", "subject", "body", "error"]
    readonly_fields = fields
