from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "wspolpraca.evaluations"
    label = "evaluations"
    verbose_name = _("Public tasks: evaluation")

    def ready(self):
        from wspolpraca.core import audit, jobs, sections

        from . import audit_labels, rules, signals  # noqa: F401  (registers the permissions)
        from .decisions import decision_section
        from .formal import mark_missed_corrections_task

        signals.connect()
        audit.register_actions(audit_labels.ACTIONS)
        jobs.register_daily(mark_missed_corrections_task)
        sections.register("offer", decision_section)  # II8: the decision on the offer's page
