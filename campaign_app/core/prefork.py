"""What a parent process does just before it forks children that run the same app (gunicorn's
master under --preload, a Celery node before its pool processes).

A forked child shares its parent's memory pages until it writes to one. CPython's cyclic
garbage collector writes into every object it tracks (its header) each time it walks the
oldest generation, so within minutes each child has copied most of the parent's heap: the
loaded code, the app, the lookup index. `gc.freeze()` moves what the parent holds out of the
collector's reach, so the children keep sharing those pages (they were never going to be
garbage: modules, the app, the index, all alive for the life of the process).
"""

import gc


def freeze_heap() -> None:
    """Collect what is garbage now, then exempt everything still alive from later collections
    (in this process and in the children forked from it)."""
    gc.collect()
    gc.freeze()
