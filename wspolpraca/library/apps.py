from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the library's audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "study.drafted": _("Study prepared for the library"),
    "study.changed": _("Study in the library changed"),
    "study.submitted": _("Study submitted to the library"),
    "study.published": _("Study published in the library"),
    "study.approved": _("Study approved and published in the library"),
    "study.rejected": _("Study rejected by a moderator"),
    "study.hidden": _("Study hidden by a moderator"),
    "study.shown": _("Study shown in the library again"),
    "research_topic.proposed": _("Research topic proposed"),
    "research_topic.answered": _("Research topic answered by the city"),
}


class LibraryConfig(AppConfig):
    name = "wspolpraca.library"
    label = "library"
    verbose_name = _("Research library and strategies")

    def ready(self):
        from wspolpraca.accounts import services as account_services
        from wspolpraca.core import audit
        from wspolpraca.core.uploads import delete_files_on_delete

        from . import rules, strategy_rules  # noqa: F401  (rules registers the permissions)
        from .models import Study
        from .services import export_person_data

        audit.register_actions(AUDIT_ACTIONS)
        delete_files_on_delete(Study, "file")
        strategy_rules.ready()  # permissions, audit labels, files of deleted rows
        account_services.register_exporter(export_person_data)
