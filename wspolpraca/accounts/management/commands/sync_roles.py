from django.core.management.base import BaseCommand

from wspolpraca.accounts.roles import sync_role_groups


class Command(BaseCommand):
    help = "Create or update the back-office groups of the city roles (run after migrate)."

    def handle(self, *args, **options):
        sync_role_groups()
        self.stdout.write("Role groups are up to date.")
