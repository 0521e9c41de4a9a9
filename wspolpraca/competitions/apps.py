from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the public tasks' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "call.drafted": _("Draft call prepared from the schedule"),
    "call.published": _("Call published"),
    "call.changed": _("Published call changed (new version)"),
    "call.annulled": _("Call annulled"),
    "call_question.asked": _("Question about the call asked"),
    "call_question.answered": _("Question about the call answered"),
    "city_request.submitted": _("Request to the city filed"),
    "city_request.accepted": _("Request to the city accepted"),
    "city_request.rejected": _("Request to the city rejected"),
    "city_request.withdrawn": _("Request to the city withdrawn"),
}


class CompetitionsConfig(AppConfig):
    name = "wspolpraca.competitions"
    label = "competitions"
    verbose_name = _("Public tasks: calls")

    def ready(self):
        from wspolpraca.core import audit, feed, jobs

        from . import city_requests, rules, signals  # noqa: F401  (registers the permissions)
        from .services import calls_feed, schedule_feed

        signals.connect()
        feed.register("planned_call", schedule_feed, label=_("Planned call"))
        feed.register("call", calls_feed, label=_("Call deadline"))
        audit.register_actions(AUDIT_ACTIONS)
        jobs.register_daily(city_requests.remind_overdue_task)
