from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Rebuild the whole similar-order index from the orders (batched MinHash; on PostgreSQL fresh tables "
        "loaded with COPY and swapped in, so suggestions keep working meanwhile), then recount stop bands. "
        "With --pending, index only the orders that have no entry yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes computing signatures"
        )
        parser.add_argument("--chunk", type=int, default=2000, help="orders per batch")
        parser.add_argument("--pending", action="store_true", help="only index orders not indexed yet")
        parser.add_argument(
            "--maintenance-work-mem", default="1GB", help="PostgreSQL memory for building the band table's indexes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lianxin.intake import similar_index

        verbosity = int(options["verbosity"])
        started = time.perf_counter()
        if options["pending"]:
            count = similar_index.index_pending(options["chunk"])
            self.stdout.write(f"Indexed {count} orders in {time.perf_counter() - started:.1f} s.")
            return
        last = [0.0]

        def progress(done: int) -> None:
            if verbosity >= 2 or (verbosity >= 1 and time.perf_counter() - last[0] >= 30):
                last[0] = time.perf_counter()
                rate = done / max(1e-9, last[0] - started)
                self.stdout.write(f"  {done:,} orders ({rate:,.0f}/s)")

        result = similar_index.rebuild(
            jobs=options["jobs"],
            chunk=options["chunk"],
            progress=progress,
            maintenance_work_mem=options["maintenance_work_mem"],
        )
        total = result.timings["total_s"]
        self.stdout.write(
            f"Rebuilt the similar-order index: {result.orders:,} orders, {result.band_rows:,} band rows, "
            f"{result.stop_bands} stop bands, {result.caught_up} orders caught up, in {total:.1f} s "
            f"({result.orders / max(total, 1e-9):,.0f} orders/s; signatures {result.compute_s:.0f} s of CPU)."
        )
        if verbosity >= 2:
            for name, seconds in result.timings.items():
                self.stdout.write(f"  {name}: {seconds:.1f} s")
