from django.core.management.base import BaseCommand

from demo.reference import load_reference_data
from demo.scenarios import load_demo_complaints
from demo.users import DEMO_PASSWORD, load_demo_users


class Command(BaseCommand):
    help = "Loads the demo data (reference data, users of every role, ~50 complaints in every state). Idempotent."

    def handle(self, *args, **options):
        load_reference_data()
        users = load_demo_users()
        created = load_demo_complaints(users)
        if created:
            self.stdout.write(f"demo data: {created} complaints created")
        else:
            self.stdout.write("demo data already loaded; reference data and users refreshed")
        self.stdout.write(f"log in as agent1 / supervisor1 / billing1 / admin with password {DEMO_PASSWORD}")
