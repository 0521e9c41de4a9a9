"""What offers tell the apps above them (evaluations), which offers may not import."""

from django.dispatch import Signal

# Sent after an offer is frozen as submitted, inside the transaction: offer, by.
offer_submitted = Signal()
