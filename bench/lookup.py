"""Benchmark: ZIP → members through lookup_zip(), next to a plain dict lookup as the floor.

Run: .venv/bin/python bench/lookup.py  (data from ALERTA_CONGRESS_DATA, else ../shared/data)
It builds a throwaway SQLite database, syncs the data into it, warms the index, then times
batches of lookups of real ZIPs and prints the median per lookup.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BATCH = 1_000
ROUNDS = 200


def main() -> int:
    data = Path(os.environ.get("ALERTA_CONGRESS_DATA") or REPO.parent / "shared" / "data")
    if not data.is_dir():
        print(f"no congress data at {data}: set ALERTA_CONGRESS_DATA", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="alerta-bench-"))
    os.environ.update({"ALERTA_INSTANCE_DIR": str(workdir), "ALERTA_ENV": "development",
                       "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}"})
    sys.path.insert(0, str(REPO))

    from flask_migrate import upgrade

    from campaign_app import create_app
    from campaign_app.congress.index import current_index
    from campaign_app.congress.operations import sync_congress
    from campaign_app.congress.queries import lookup_zip
    from campaign_app.congress.sources import CongressFiles
    from campaign_app.core.db import db

    app = create_app()
    with app.app_context():
        upgrade()
        sync_congress(CongressFiles.from_location(str(data)))
        db.session.commit()
        started = time.perf_counter()
        index = current_index()
        build_ms = (time.perf_counter() - started) * 1000
        zips = list(index.by_zip)
        random.seed(7)
        sample = [random.choice(zips) for _ in range(BATCH)]
        floor_dict = dict(index.by_zip.items())

        def timed(function) -> float:
            """Median over ROUNDS of the mean time per call in a batch, in microseconds."""
            for zip_code in sample:  # warm-up
                function(zip_code)
            rounds = []
            for _ in range(ROUNDS):
                start = time.perf_counter_ns()
                for zip_code in sample:
                    function(zip_code)
                rounds.append((time.perf_counter_ns() - start) / BATCH / 1000)
            return statistics.median(rounds)

        ours = timed(lookup_zip)
        floor = timed(floor_dict.get)
        lookup = lookup_zip(sample[0])
        assert lookup.found and lookup.members, lookup
    print(f"index build: {build_ms:.0f} ms for {len(zips)} ZIP areas, "
          f"{len(index.members)} members")
    print(f"lookup_zip(): median {ours:.3f} µs per lookup ({BATCH} ZIPs × {ROUNDS} rounds)")
    print(f"dict.get():   median {floor:.3f} µs per lookup (the floor)")
    print(f"ratio: {ours / floor:.1f}× the floor; target ≤ 20 µs: "
          f"{'met' if ours <= 20 else 'MISSED'}")
    return 0 if ours <= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
