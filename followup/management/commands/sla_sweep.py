from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from followup.daily_figures import refresh_daily_figures
from followup.sweep import sla_sweep


class Command(BaseCommand):
    help = "Flags SLA clocks at risk and breached (the same sweep Celery beat runs). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this time (ISO 8601), for checks and demos")

    def handle(self, *args, now=None, **options):
        moment = timezone.now()
        if now:
            moment = parse_datetime(now)
            if moment is None:
                self.stderr.write(f"--now: not a date and time: {now!r}")
                raise SystemExit(2)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        flagged = sla_sweep(now=moment)
        recomputed = refresh_daily_figures(now=moment)
        for kind, count in flagged.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"total flagged: {sum(flagged.values())}")
        self.stdout.write(f"dashboard daily figures recomputed for {len(recomputed)} days")
