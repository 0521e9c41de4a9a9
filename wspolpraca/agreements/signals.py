"""What agreements tell their own parts, and the receivers this app connects.

Each part of the app connects its own receivers in `connect()`, one line each."""

from django.dispatch import Signal

# Sent inside the transaction that records an agreement as signed: agreement, by.
agreement_signed = Signal()
# Sent inside the transaction that records a settlement: agreement, by.
agreement_settled = Signal()


def connect():
    from wspolpraca.evaluations.signals import results_published  # agreements (II9)

    from .agreements import on_results_published  # agreements (II9)
    from .reports import schedule_on_signing  # reports (II10)

    results_published.connect(on_results_published, dispatch_uid="agreements.prepare")
    agreement_signed.connect(schedule_on_signing, dispatch_uid="agreements.reports.schedule")
    from . import feedback, obligations  # controls and feedback (II11, II12, III1)

    agreement_settled.connect(feedback.invite_to_rate, dispatch_uid="agreements.rate")  # II12
    obligations.connect()  # III1: organizations' cached pages follow their grants
    from . import statistics  # II13: the statistics, grants API and 360Giving follow decisions

    statistics.connect()
