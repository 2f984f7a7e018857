"""Database engine and sessions. Nothing domain-specific lives here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from select import POLLERR, POLLHUP, POLLIN, POLLNVAL, poll
from typing import Any

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import make_transient_to_detached
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


def make_engine(url: str | None = None, *, autocommit_reads: bool = False) -> Engine:
    """The engine for ``url`` (default: the configured database). ``autocommit_reads``: a
    PostgreSQL pool of its own, half the size, whose connections stay in autocommit (see
    :func:`_read_engine`)."""
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
    size, overflow, extra = settings.DB_POOL_SIZE, settings.DB_MAX_OVERFLOW, {}
    if autocommit_reads:
        size, overflow, extra = max(1, size // 2), overflow // 2, {"isolation_level": "AUTOCOMMIT"}
    engine = sa.create_engine(
        url,
        pool_size=size,
        max_overflow=overflow,
        pool_timeout=settings.DB_POOL_TIMEOUT,
        pool_recycle=1800,
        **extra,
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
    if _read_engine.cache_info().currsize:  # its own pool (PostgreSQL), or the main one's options (SQLite)
        _read_engine().dispose()
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    _read_engine.cache_clear()


@lru_cache
def _read_engine() -> Engine:
    """Pure reads run in autocommit: no BEGIN/COMMIT round trips. On PostgreSQL they have a pool of
    their own (half the size of the main one) whose connections stay in autocommit: the main pool
    in autocommit for one checkout (``execution_options``) switched the connection into autocommit
    and its isolation level and back on every request, six more driver calls (~60 us of CPU, 8% of
    a listing's handler). SQLite: the main engine in autocommit."""
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return make_engine(autocommit_reads=True)


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


def is_nul_error(exc: BaseException) -> bool:
    """PostgreSQL refused a NUL character (\\u0000) in text or JSONB: the input's fault, not ours."""
    if not isinstance(exc, sa.exc.DataError):
        return False
    text = str(getattr(exc, "orig", None) or exc)
    return "NUL" in text or "\\u0000" in text


# A new row for insert_together: a mapped object (model instance) not yet in any session, or
# (model class or Table, {column key: value}) for a row nobody needs as an object.
NewRow = Any


def insert_together(session: Session, *rows: NewRow) -> None:
    """Write new rows in the session's transaction with as few statements as the database allows,
    without the unit of work: on PostgreSQL one INSERT statement whatever the number of rows
    (every row but the last in a data-modifying CTE: ``WITH w0 AS (INSERT ...), w1 AS (INSERT
    ...) INSERT ...``), which is written or refused as a whole; elsewhere (SQLite) one INSERT per
    row, in the order given. Nothing is read back (no RETURNING): a column left out gets its
    default.

    A row is a mapped object, written from its column values the way a flush would (a ``None``
    where the column has a default leaves it to the default) and then attached to the session as
    persistent and clean, as if flushed (later changes to it flush as UPDATEs); or ``(model or
    table, values)`` for a row that needs no object at all (an audit entry, an outbox mail), the
    model's own defaults filled in for the fields left out (an id, ``created_at``): the cheapest,
    since building a model instance costs more than the INSERT's own Python work.

    A refused row (a unique key taken, a missing foreign key) raises ``IntegrityError`` with
    nothing of the call written; on PostgreSQL the transaction must then roll back."""
    objects = [row for row in rows if not isinstance(row, tuple)]
    pairs = [_table_row(row) for row in rows]
    conn = session.connection()
    if conn.dialect.name == "postgresql" and len(pairs) > 1:
        statement = _insert_statement(tuple((table, tuple(values)) for table, values in pairs))
        conn.execute(statement, {f"r{i}_{key}": value for i, (_t, values) in enumerate(pairs)
                                 for key, value in values.items()})
    else:
        for table, values in pairs:
            conn.execute(sa.insert(table), values)
    for obj in objects:  # written: now persistent in this session, as after a flush
        make_transient_to_detached(obj)
        session.add(obj)


def _table_row(row: NewRow) -> tuple[sa.Table, Mapping[str, Any]]:
    if isinstance(row, tuple):
        target, values = row
        if isinstance(target, sa.Table):
            return target, values
        table, defaults = _defaults_of(target)
        missing = [(key, field) for key, field in defaults if key not in values]
        if missing:  # the model's own defaults (an id, created_at, ...), as its constructor would set them
            values = {**values, **{key: field.default_factory() if field.default_factory else field.get_default()
                                   for key, field in missing}}
        return table, values
    state = sa.inspect(row)
    if state.session_id is not None or state.key is not None:
        raise ValueError(f"insert_together writes new objects only, not {row!r}")
    found = state.dict
    table, columns = _columns_of(state.mapper)
    values = {}
    for key, attribute, has_default in columns:
        value = found.get(attribute)
        if value is None and has_default:
            continue
        values[key] = value
    return table, values


@cache
def _columns_of(mapper: sa.orm.Mapper) -> tuple[sa.Table, tuple[tuple[str, str, bool], ...]]:
    """A mapped class's table and, per column: its key, the attribute holding it, and whether it
    has a default (Python-side or the server's) that a ``None`` leaves to apply."""
    if len(mapper.tables) != 1:
        raise ValueError(f"insert_together does not write {mapper.class_.__name__} (more than one table)")
    return mapper.local_table, tuple(
        (column.key, mapper.get_property_by_column(column).key,
         column.default is not None or column.server_default is not None)
        for column in mapper.local_table.columns)


@cache
def _defaults_of(model: type) -> tuple[sa.Table, tuple[tuple[str, Any], ...]]:
    """A model's table and its fields that have a default other than ``None`` (column key, the
    pydantic field): what ``insert_together`` fills in for a ``(model, values)`` row."""
    mapper = sa.inspect(model)
    table, _columns = _columns_of(mapper)
    defaults = []
    for name, field in getattr(model, "model_fields", {}).items():
        if name not in mapper.column_attrs:
            continue
        if field.default_factory is not None:
            if field.default_factory_takes_validated_data:
                raise ValueError(f"{model.__name__}.{name}: a default factory taking the validated data")
        elif field.default is None or field.default is PydanticUndefined:
            continue
        defaults.append((mapper.column_attrs[name].columns[0].key, field))
    return table, tuple(defaults)


@lru_cache(maxsize=256)
def _insert_statement(shape: tuple[tuple[sa.Table, tuple[str, ...]], ...]) -> sa.Insert:
    """The one INSERT for rows of these tables and columns (built once per shape; parameters
    ``r<row>_<column>``)."""
    inserts = [sa.insert(table).values({key: sa.bindparam(f"r{i}_{key}", type_=table.c[key].type) for key in keys})
               for i, (table, keys) in enumerate(shape)]
    *ctes, statement = inserts
    return statement.add_cte(*(insert.cte(f"w{i}") for i, insert in enumerate(ctes))) if ctes else statement


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
