"""What the benchmarks share: a free port for a server, an empty PostgreSQL schema."""

import socket


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
