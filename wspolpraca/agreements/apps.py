from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "wspolpraca.agreements"
    label = "agreements"
    verbose_name = _("Public tasks: agreements and reports")

    def ready(self):
        from wspolpraca.core import audit, jobs

        from . import audit_labels, reports, rules, signals  # noqa: F401  (registers the permissions)

        signals.connect()
        audit.register_actions(audit_labels.ACTIONS)
        audit.register_fields(audit_labels.FIELDS)
        jobs.register_daily(reports.send_report_reminders_task)  # reports (II10)
        # Controls and feedback: the meetings in the feed, the grants on organizations' pages.
        from wspolpraca.core import feed, sections

        from . import feedback, obligations

        feed.register(
            "evaluation_meeting",
            feedback.evaluation_meetings_feed,
            label=_("Evaluation meeting"),
        )  # II12
        sections.register("organization", obligations.grants_section)  # III1
        sections.register("offer", obligations.agreement_section)  # II9
