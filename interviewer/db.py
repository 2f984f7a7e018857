"""Database engine and sessions. Nothing domain-specific lives here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from select import POLLERR, POLLHUP, POLLIN, POLLNVAL, poll

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlmodel import Session

from interviewer.core.config import get_settings, make_private, write_private_file


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _private_sqlite_file(url: str) -> None:
    """The SQLite file (and the WAL/journal files SQLite gives the same mode) is 0600."""
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        write_private_file(path, "")
    make_private(path)


def make_engine(url: str | None = None) -> Engine:
    settings = get_settings()
    url = url or settings.sqlalchemy_url
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - exercised via SQLite runs
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # SQLite's lower() folds ASCII only; search compares lower(name) with a Python-lowered
            # term, so "ÅNGSTRÖM" must become "ångström" on both sides (PostgreSQL already does).
            dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)

        return engine
    engine = sa.create_engine(
        url,
        pool_size=settings.DB_POOL_SIZE,
        max_overflow=settings.DB_MAX_OVERFLOW,
        pool_timeout=settings.DB_POOL_TIMEOUT,
        pool_recycle=1800,
    )
    event.listen(engine, "checkout", _closed_by_server)
    return engine


def _closed_by_server(dbapi_conn, _record, _proxy) -> None:
    """A pooled connection that the server has closed is not handed out: the pool replaces it.

    An idle, healthy PostgreSQL connection has nothing to read. When the server goes away (a
    restart, a crash of the backend, ``pg_terminate_backend``, an idle timeout) it sends its last
    message and closes, so the socket reads as ready; one local ``poll`` with no wait tells,
    where ``pool_pre_ping`` would spend a round trip to the server on every checkout (about 7%
    of a listing request's time). A link that dies without the server closing it (a cut network
    cable) shows nothing here; ``pool_recycle`` and the 503 + Retry-After answer cover it. A
    healthy connection that did receive something unasked (a NOTICE) is only replaced, never
    used in a wrong state. Raising ``DisconnectionError`` makes the pool discard this connection
    and check out another (SQLAlchemy retries up to three times, then connects anew)."""
    if dbapi_conn.closed:
        raise sa.exc.DisconnectionError("connection closed")
    try:
        probe = poll()
        probe.register(dbapi_conn.fileno(), POLLIN)
        ready = probe.poll(0)
    except (OSError, ValueError) as exc:  # the socket is gone
        raise sa.exc.DisconnectionError(str(exc)) from exc
    if any(events & (POLLIN | POLLHUP | POLLERR | POLLNVAL) for _fd, events in ready):
        raise sa.exc.DisconnectionError("the server closed the connection")


@lru_cache
def get_engine() -> Engine:
    return make_engine()


def reset_engine() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    _read_engine.cache_clear()


@lru_cache
def _read_engine() -> Engine:
    """The same pool, with connections in autocommit: reads skip the BEGIN/COMMIT round trips."""
    return get_engine().execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def session_scope(*, readonly: bool = False) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error (no half-written data).
    ``readonly=True`` is for pure reads (listings): each statement runs on its own, without a
    surrounding transaction, which saves two database round trips per request."""
    session = Session(_read_engine() if readonly else get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def pool_checked_out() -> int:
    pool = get_engine().pool
    return pool.checkedout() if hasattr(pool, "checkedout") else 0


# PostgreSQL-only expression indexes (prefix search with text_pattern_ops) exist in migrations
# alone, since SQLite cannot express them; autogenerate comparisons must not flag them.
PG_ONLY_INDEX_PREFIX = "idx_pg_"


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and reflected and name and name.startswith(PG_ONLY_INDEX_PREFIX))


def is_unique_violation(exc: sa.exc.IntegrityError, table: str, column: str) -> bool:
    """Whether the database refused a write because ``table.column`` must be unique: PostgreSQL's
    SQLSTATE 23505 on that table with the key naming the column, or SQLite's "UNIQUE constraint
    failed: table.column". Lets a service insert first and turn a duplicate into its own 409,
    instead of spending a round trip on a look-up that a race can beat anyway."""
    orig = getattr(exc, "orig", None)
    diag = getattr(orig, "diag", None)
    if getattr(orig, "sqlstate", None) == "23505" and diag is not None:
        return diag.table_name == table and (diag.message_detail or "").startswith(f"Key ({column})=")
    return f"UNIQUE constraint failed: {table}.{column}" in str(orig)


def escape_like(term: str) -> str:
    """Escape LIKE wildcards so a search for "50%" or "a_b" matches those characters (use escape="\\")."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The part of an e-mail address after its first "@", as SQL. PostgreSQL indexes this exact text
# (migration 0013's idx_pg_candidates_company_email_domain): the planner matches an index
# expression textually, so it is rendered inline, never with bound parameters.
EMAIL_DOMAIN_SQL = {"postgresql": "substr({0}, strpos({0}, '@') + 1)",
                    "sqlite": "substr({0}, instr({0}, '@') + 1)"}


class email_domain(sa.sql.functions.GenericFunction):  # lower case: used like a SQL function
    """``email_domain(col)``: "globex.test" for "lee@globex.test" (the whole value when it has no
    "@"; callers match the address itself too)."""

    type = sa.String()
    inherit_cache = True


@compiles(email_domain)
def _compile_email_domain(element, compiler, **kw):
    template = EMAIL_DOMAIN_SQL.get(compiler.dialect.name, EMAIL_DOMAIN_SQL["postgresql"])
    return template.format(compiler.process(next(iter(element.clauses)), **kw))
