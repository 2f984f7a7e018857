"""The REST API's routers: a path is tried only against the routers that can serve it.

FastAPI tries an application's routes one by one, and an included router's routes one regular
expression at a time, with no check of the router's prefix first: a request for the interviews
list was matched against the probes and about 75 routes of the auth, users, companies,
candidates and jobs routers before reaching its own. :class:`ApiRouter` answers "not mine" for
a path under :data:`API_PREFIX` whose first segment beneath it (``users`` in
``/api/v1/users/{id}``) starts none of its routes, without trying them; any other path is matched
as FastAPI always does. A router with a route that starts with a path parameter
(``/{anything}``) cannot tell and is always tried.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.routing import Match, get_route_path
from starlette.types import Scope

__all__ = ["API_PREFIX", "ApiRouter"]

API_PREFIX = "/api/v1"
_UNDER_PREFIX = API_PREFIX + "/"


class ApiRouter(APIRouter):
    """An ``APIRouter`` for routers included under :data:`API_PREFIX` (see the module docstring)."""

    _segments: frozenset[str] | None = None
    _segments_for: int = -1  # the number of routes the segments were read from

    def _first_segments(self) -> frozenset[str] | None:
        """The first path segments of this router's routes; None if a route starts with a
        parameter (any segment could be one of its)."""
        if self._segments_for != len(self.routes):
            segments: set[str] | None = set()
            for route in self.routes:
                path = getattr(route, "path", None)
                first = path.lstrip("/").split("/", 1)[0] if isinstance(path, str) else "{"
                if "{" in first:
                    segments = None
                    break
                segments.add(first)
            self._segments = frozenset(segments) if segments is not None else None
            self._segments_for = len(self.routes)
        return self._segments

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = get_route_path(scope)
        if path.startswith(_UNDER_PREFIX):
            segments = self._first_segments()
            if segments is not None and path[len(_UNDER_PREFIX):].split("/", 1)[0] not in segments:
                return Match.NONE, {}
        return super().matches(scope)
