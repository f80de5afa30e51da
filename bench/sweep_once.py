"""Runs one SLA sweep (rolled back) in a fresh process and prints its peak memory."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from followup.sweep import sla_sweep

    now = dt.datetime.fromisoformat(sys.argv[1])
    with contextlib.suppress(RuntimeError), transaction.atomic():
        flagged = sla_sweep(now=now)
        raise RuntimeError("rollback: leave the data as it was")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"flagged": flagged, "peak_rss_mb": round(peak_kb / 1024, 1)}))


if __name__ == "__main__":
    main()
