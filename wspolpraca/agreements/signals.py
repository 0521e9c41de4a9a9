"""What agreements tell their own parts, and the receivers this app connects.

Each part of the app connects its own receivers in `connect()`, one line each."""

from django.dispatch import Signal

# Sent inside the transaction that records an agreement as signed: agreement, by.
agreement_signed = Signal()
# Sent inside the transaction that records a settlement: agreement, by.
agreement_settled = Signal()


def connect():
    pass
