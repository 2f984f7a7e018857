"""JSON logs (spec 10.2) carrying the request id and user id of the request being served."""

from __future__ import annotations

import json
import logging
import math
import sys
import time
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[str | None] = ContextVar("user_id", default=None)
# Per-request mutable slot: sync endpoints run in a worker thread with a *copy* of the context, so a
# user id set there never reaches the middleware that writes the access log. The dict is shared.
request_user_slot: ContextVar[dict | None] = ContextVar("request_user_slot", default=None)


def bind_user(user_id: str | None) -> None:
    """Attach the authenticated user to the current request's log lines (including the access log)."""
    user_id_var.set(user_id)
    slot = request_user_slot.get()
    if slot is not None:
        slot["user_id"] = user_id
SERVICE = "backend"
_encode = json.JSONEncoder(default=str).encode  # one encoder for every line (C-accelerated)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, encoded once. The second-resolution part of the timestamp is
    formatted once per second, not per line (every request writes an access line)."""

    _second: tuple[int, str] = (-1, "")  # (epoch second, its "%Y-%m-%dT%H:%M:%S"), swapped whole

    def _timestamp(self, created: float) -> str:
        fraction, whole = math.modf(created)  # rounded the way datetime.fromtimestamp rounds
        second, micros = divmod(int(whole) * 1_000_000 + round(fraction * 1_000_000), 1_000_000)
        cached = self._second
        if cached[0] != second:
            cached = self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return f"{cached[1]}.{micros:06d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": self._timestamp(record.created),
            "level": "WARN" if record.levelname == "WARNING" else record.levelname,
            "service": getattr(record, "service", SERVICE),
            "request_id": request_id_var.get(),
            "user_id": user_id_var.get(),
            "logger": record.name,
            "message": record.getMessage(),
            "metadata": getattr(record, "metadata", {}),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return _encode(entry)


def configure_logging(level: str = "INFO", *, json_logs: bool = True, service: str = "backend") -> None:
    global SERVICE
    SERVICE = service
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter("%(levelname)s %(name)s %(message)s"))
    for name in ("interviewer",):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
