"""The OpenAPI document tells the truth about errors (issue 12).

FastAPI documents only its own 422 body (``HTTPValidationError``), which this API never sends.
Every operation here documents instead the project's error format (spec 5.9: ``detail``,
``error_code``, ``timestamp``; validation errors add ``errors``) under every status it can answer
with, decided by what the operation is:

- every operation: 400 (malformed JSON ``REQ_002``, NUL characters ``REQ_003``, bad
  Content-Length ``REQ_001``), 422 (validation ``VAL_001`` and the services' rules), 429 (rate
  limits ``RATE_001``, with ``Retry-After``), 503 (a backing service is briefly down ``SVC_001``);
- operations that take the bearer token: 401 (``AUTH_*``) and 403 (``PERM_*``); the sign-in
  family (``/auth/…``), whose credentials are passwords or refresh/reset/verification tokens: 401;
- operations with path parameters, a body or a ``…_id`` query parameter (they name records): 404;
- operations that change data (POST/PUT/PATCH/DELETE): 409 (state conflicts);
- operations with a body: 413 (``REQ_413``, body limits);
- file uploads (multipart): 415 (``FILE_001``, unsupported file types);
- any other error status a route declares itself (``responses=``), e.g. a read that has a state
  conflict of its own (the feedback letter of an interview that has no report yet: 409).

tests/api/test_openapi_contract.py and bench/bench_fuzz_api.py compare the document with the
app's real answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "Every error answer (spec 5.9). Validation errors (422 VAL_001) add `errors`, one entry per "
                   "field; some errors add context fields (e.g. `reasons` of a refused password).",
    "required": ["detail", "error_code", "timestamp"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, readable by a person."},
        "error_code": {"type": "string", "description": "Stable machine code (docs/errors.md).",
                       "examples": ["VAL_001", "AUTH_001", "PERM_001", "RATE_001"]},
        "timestamp": {"type": "string", "format": "date-time"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}}}},
    },
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "Malformed request: invalid JSON (REQ_002), NUL characters (REQ_003), bad headers (REQ_001).",
    "401": "Missing, invalid or expired access token (AUTH_*).",
    "403": "The user may not do this, or not for this company (PERM_*).",
    "404": "The resource (or one the request names) does not exist or belongs to another company.",
    "409": "The request conflicts with the resource's current state.",
    "413": "The request body is larger than allowed (REQ_413, FILE_002).",
    "415": "Unsupported file type (FILE_001).",
    "422": "Validation failed (VAL_001, with `errors`) or a business rule refused the request.",
    "429": "Too many requests (RATE_001, AUTH_013); see the Retry-After header.",
    "503": "A backing service (database, Redis) is briefly unavailable (SVC_001); retry.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}
MUTATING = {"post", "put", "patch", "delete"}
METHODS = MUTATING | {"get", "head", "options"}


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer with (the rules in the module docstring)."""
    statuses = {"400", "422", "429", "503"}
    statuses |= {code for code in operation.get("responses") or {} if code[:1] in ("4", "5") and code in DESCRIPTIONS}
    params = operation.get("parameters") or []
    body = operation.get("requestBody")
    if operation.get("security"):
        statuses |= {"401", "403"}
    if "/auth/" in path:
        statuses.add("401")
    if body or any(p.get("in") == "path" or str(p.get("name", "")).endswith("_id") for p in params):
        statuses.add("404")
    if method in MUTATING:
        statuses.add("409")
    if body:
        statuses.add("413")
        if "multipart/form-data" in (body.get("content") or {}):
            statuses.add("415")
    return sorted(statuses)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the generated document in place: the project's error format everywhere."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation):
                entry = responses.setdefault(status, {})
                entry["description"] = entry.get("description") if entry.get("description") not in (
                    None, "", "Validation Error") else DESCRIPTIONS[status]
                entry["content"] = {"application/json": {"schema": ref}}
                if status in ("429", "503"):
                    entry["headers"] = RETRY_AFTER
            for status, entry in responses.items():  # errors a route declared itself
                if status.startswith(("4", "5")) and status not in DESCRIPTIONS:
                    entry["content"] = {"application/json": {"schema": ref}}
    return schema


def install_openapi(api: FastAPI) -> None:
    """``api.openapi()`` returns the rewritten document (built once)."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = document_errors(get_openapi(
                title=api.title, version=api.version, openapi_version=api.openapi_version,
                description=api.description, routes=api.routes, tags=api.openapi_tags, servers=api.servers))
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
