"""What a process keeps of a row it reads on every request, checked against the row's version
stamp instead of a timer: a value is handed out only under the stamp it was kept with."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class StampedCache:
    """Key → (stamp, value) for the `size` most recently used keys, safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[str, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: str):
        """The value kept under `stamp`, or None (never kept, or kept under another stamp)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def get_or_put(self, key: Hashable, stamp: str, make: Callable[[], object]):
        """The value kept under `stamp`, or a new one from `make()`, kept in place of any
        other stamp's."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != stamp:
                entry = self._keep(key, (stamp, make()))
            else:
                self._entries.move_to_end(key)
            return entry[1]

    def values(self) -> list:
        """What it holds now, whatever the stamps."""
        with self._lock:
            return [value for _, value in self._entries.values()]

    def put(self, key: Hashable, stamp: str, value) -> None:
        """Keep `value` under `stamp`, in place of whatever the key held."""
        with self._lock:
            self._keep(key, (stamp, value))

    def _keep(self, key: Hashable, entry: tuple[str, object]) -> tuple[str, object]:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry
