"""What agreements tell their own parts, and the receivers this app connects."""

from django.dispatch import Signal

# Sent inside the transaction that records an agreement as signed: agreement, by.
agreement_signed = Signal()
# Sent inside the transaction that adds an annex: agreement, by.
agreement_amended = Signal()
# Sent inside the transaction that records a settlement: agreement, by.
agreement_settled = Signal()


def connect():
    from wspolpraca.evaluations.signals import results_published

    from . import feedback, obligations, statistics
    from .agreements import on_results_published
    from .reports import schedule_on_signing

    # II9: a grant awarded becomes an agreement to prepare.
    results_published.connect(on_results_published, dispatch_uid="agreements.prepare")
    # II10: reports follow the task's budget years, also after an annex moves its end.
    agreement_signed.connect(schedule_on_signing, dispatch_uid="agreements.reports.schedule")
    agreement_amended.connect(schedule_on_signing, dispatch_uid="agreements.reports.reschedule")
    # II12: after the settlement the organization is asked to rate the cooperation.
    agreement_settled.connect(feedback.invite_to_rate, dispatch_uid="agreements.rate")
    # III1: organizations' cached pages follow their grants.
    obligations.connect()
    # II13: the statistics, the grants API and 360Giving follow decisions.
    statistics.connect()
