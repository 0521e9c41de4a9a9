"""Who may keep strategies and programmes: the officials of the owner department (and
platform admins) edit a strategy, its indicators, values, reports and team; any official
of a department may create one for their own department. Everyone reads them."""

import rules
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


@rules.predicate
def is_official(user):
    return department_of(user) is not None


@rules.predicate
def is_official_of_owner_department(user, strategy):
    department = department_of(user)
    return (
        department is not None and strategy is not None and strategy.department_id == department.pk
    )


rules.add_perm("library.create_strategy", is_platform_admin | is_official)
rules.add_perm("library.manage_strategy", is_platform_admin | is_official_of_owner_department)


# What the strategies' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "strategy.created": _("Strategy or programme added"),
    "strategy.updated": _("Strategy or programme changed"),
    "strategy.deleted": _("Strategy or programme deleted"),
    "strategy.indicator_added": _("Indicator added to a strategy"),
    "strategy.indicator_removed": _("Indicator removed from a strategy"),
    "strategy.report_published": _("Strategy report published"),
    "strategy.report_removed": _("Strategy report removed"),
    "strategy.member_added": _("Monitoring team member added"),
    "strategy.member_removed": _("Monitoring team member removed"),
    "indicator.changed": _("Indicator changed"),
    "indicator.value_entered": _("Indicator value entered"),
    "indicator.value_changed": _("Indicator value changed"),
    "indicator.value_removed": _("Indicator value deleted"),
    "indicator.target_set": _("Indicator target set"),
    "indicator.target_removed": _("Indicator target deleted"),
}
# Change keys that are not fields of the entry's model.
AUDIT_FIELDS = {
    "indicator": _("indicator"),
    "report": _("report"),
    "member": _("team member"),
    "target": _("target value"),
}


def ready():
    """Called from LibraryConfig.ready(): audit labels, and the files of deleted rows."""
    from wspolpraca.core import audit
    from wspolpraca.core.uploads import delete_files_on_delete

    from .strategy_models import Strategy, StrategyReport

    audit.register_actions(AUDIT_ACTIONS)
    audit.register_fields(AUDIT_FIELDS)
    delete_files_on_delete(Strategy, "document")
    delete_files_on_delete(StrategyReport, "file")
