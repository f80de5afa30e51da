import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.seed import DEFAULT_CHUNK, DEFAULT_SEED, seed_load


class Command(BaseCommand):
    help = (
        "Adds N realistic complaints, with customers, work orders, notes, contact attempts and audit events, "
        "for benchmarks (COPY on PostgreSQL). Appends on every run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, required=True, help="how many complaints to add")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK,
                            help="complaints per COPY transaction (default %(default)s)")
        parser.add_argument("--check-fks", action="store_true",
                            help="let PostgreSQL check every foreign key row by row (slower; by default a "
                                 "superuser's load skips the checks, the rows being consistent by construction)")
        parser.add_argument("--open-share", type=float, default=None,
                            help="share of complaints still open, 0..1 (default: the stress mix, 30%%)")
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="pretend it is this moment (ISO 8601), for reproducible data; default: now")

    def handle(self, *args, tickets, seed, chunk, now=None, check_fks=False, open_share=None, **options):
        if tickets < 1 or chunk < 1:
            raise CommandError("--tickets and --chunk must be positive")
        if open_share is not None and not 0 < open_share < 1:
            raise CommandError("--open-share must be between 0 and 1")
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        started = time.monotonic()
        result = seed_load(tickets, seed=seed, chunk=chunk, now=now, check_fks=check_fks, open_share=open_share,
                           say=lambda message: self.stdout.write(message))
        rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
        self.stdout.write(self.style.SUCCESS(f"seeded in {time.monotonic() - started:.1f} s: {rows}"))
