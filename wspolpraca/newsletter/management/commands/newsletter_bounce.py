"""Record that e-mails to these addresses came back (a bounce report from the mail server).

    manage.py newsletter_bounce anna@example.org jan@example.org

After NEWSLETTER_BOUNCE_LIMIT bounces (3 by default) no digest goes to the address.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from wspolpraca.newsletter.services import mark_bounce_of


class Command(BaseCommand):
    help = "Record a bounce of each address; after the limit no digest goes there."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+", help="e-mail addresses that bounced")

    def handle(self, *args, addresses, **options):
        limit = getattr(settings, "NEWSLETTER_BOUNCE_LIMIT", 3)
        for address in addresses:
            subscriber = mark_bounce_of(address)
            if subscriber is None:
                self.stdout.write(f"{address}: not a subscriber, nothing recorded.")
            elif subscriber.bounce_count >= limit:
                self.stdout.write(
                    f"{address}: bounce {subscriber.bounce_count}; no more digests go there."
                )
            else:
                self.stdout.write(f"{address}: bounce {subscriber.bounce_count} of {limit}.")
