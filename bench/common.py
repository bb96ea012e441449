"""What the benchmarks share: a free port for a server, an empty PostgreSQL schema, the memory
of a process tree."""

import re
import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_schema(url: str, *statements: str) -> None:
    """Drop and recreate the public schema of the PostgreSQL database at `url` (wiped), then
    run `statements` in it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def create_database(url: str) -> None:
    """Create the PostgreSQL database at `url` if it does not exist yet."""
    from sqlalchemy import create_engine, text

    base, name = url.rsplit("/", 1)
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1)
                           + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def pss_mb(pid: int) -> float:
    """A process's proportional set size in MB: its private pages, and its share of the pages
    it shares with others (a forked worker's inherited code and data)."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1)) / 1024


def private_mb(pid: int) -> float:
    """The pages only this process holds (what ending it would free), in MB."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return sum(int(kb) for kb in re.findall(r"^Private_(?:Clean|Dirty):\s+(\d+) kB", rollup,
                                             re.M)) / 1024


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                queue += [int(child) for child in (task / "children").read_text().split()]
            except FileNotFoundError:
                continue
    return found
