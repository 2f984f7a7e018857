"""What the database benchmarks share: a scratch PostgreSQL database made by the project's own
migrations and dropped afterwards, and the percentile they report. Each bench sets its
``DATABASE_URL`` (pointing at ``name``) before calling :func:`create_db`."""

from __future__ import annotations

import psycopg


def create_db(admin_url: str, name: str) -> None:
    """(Re)create the database ``name`` and migrate it to head."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    from interviewer.manage import migrate

    migrate()


def drop_db(admin_url: str, name: str) -> None:
    """Close this process's connections to ``name``, then drop it."""
    from interviewer.db import reset_engine

    reset_engine()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]
