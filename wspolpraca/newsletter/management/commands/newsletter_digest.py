"""The weekly digest by hand, and the send log in the terminal.

    manage.py newsletter_digest            # the last digests and their counts
    manage.py newsletter_digest --send     # build this week's digest now and send it here

`--send` does in this process what the workers do (for a machine without a worker, or
after a long outage); a digest already sent this week is not sent again, and one
half-sent is resumed: nobody gets a second copy.
"""

from django.core.management.base import BaseCommand
from django.db.models import Count

from wspolpraca.newsletter import services
from wspolpraca.newsletter.models import Digest


class Command(BaseCommand):
    help = "Show the last digests, or build and send this week's digest (--send)."

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="build and send it now")

    def handle(self, *args, send=False, **options):
        if send:
            digest = services.build_digest()
            self.stdout.write(f"Digest {digest.week}: sending here…")
            services.send_digests(digest)
        for digest in Digest.objects.order_by("-week")[:8]:
            counts = dict(
                digest.deliveries.order_by().values_list("status").annotate(n=Count("id"))
            )
            summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            self.stdout.write(
                f"{digest.week}  {digest.status:8}  items {digest.item_count:4}  "
                f"{summary or 'no deliveries'}"
            )
