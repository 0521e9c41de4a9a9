"""What the evaluation tells the apps above it (agreements), and the receivers it connects.

Each part of the app connects its own receivers in `connect()`, one line each."""

from django.dispatch import Signal

# Sent inside the transaction that publishes a call's results: call, by.
results_published = Signal()


def connect():
    from . import formal  # the formal check: corrections submitted and refused as late

    formal.connect_receivers()
    pass
