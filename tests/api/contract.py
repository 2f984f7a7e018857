"""A contract checker and bounded fuzzer for the REST API, driven by its own OpenAPI document.

For each operation it sends generated requests (valid-looking and broken path/query values and
bodies, with and without NUL characters, with each role's token, a garbage token or none) and
checks every answer against the document:

- no 5xx;
- the status is documented for the operation;
- an error answer has the project's error body (``detail``, ``error_code``, ``timestamp``);
- a documented JSON success answer matches its schema.

Used by tests/api/test_openapi_contract.py (small budget) and bench/bench_fuzz_api.py (larger).
"""

from __future__ import annotations

import json
import random
import re
import string
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

MUTATING = {"post", "put", "patch", "delete"}


# --------------------------------------------------------------------------- schema checking

def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def schema_errors(spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """What in ``value`` disagrees with ``schema`` (the JSON Schema subset FastAPI/pydantic emit)."""
    schema = _resolve(spec, schema)
    if not schema:
        return []
    errors: list[str] = []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [schema_errors(spec, s, value, where) for s in schema[key]]
            if all(options):
                errors.append(f"{where}: matches none of {key} ({options[0][0] if options[0] else ''})")
            return errors
    for sub in schema.get("allOf", []):
        errors += schema_errors(spec, sub, value, where)
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} != const {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    types = schema.get("type")
    if types:
        types = types if isinstance(types, list) else [types]
        if not any(_TYPES[t](value) for t in types if t in _TYPES):
            return errors + [f"{where}: {type(value).__name__} is not {types}"]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: missing required {name!r}")
        for name, sub in props.items():
            if name in value:
                errors += schema_errors(spec, sub, value[name], f"{where}.{name}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for name, item in value.items():
                if name not in props:
                    errors += schema_errors(spec, extra, item, f"{where}.{name}")
        elif extra is False:
            errors += [f"{where}: unexpected {n!r}" for n in value if n not in props]
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value[:50]):
            errors += schema_errors(spec, schema["items"], item, f"{where}[{i}]")
    return errors


# --------------------------------------------------------------------------- value generation

_STRINGS = ["", "a", "x" * 300, "Ünïcödé ✓", "a\u0000b", "<script>alert(1)</script>", "' OR 1=1 --",
            "2026-01-01", "2026-01-01T10:00:00Z", "ana@example.test", "not-an-email", "../../etc/passwd",
            "%00", " ", "0", "-1", "true", "null", "{}"]


class Generator:
    def __init__(self, spec: dict[str, Any], rng: random.Random, ids: dict[str, list[str]]):
        self.spec, self.rng, self.ids = spec, rng, ids

    def any_id(self) -> str:
        pool = [i for values in self.ids.values() for i in values]
        return self.rng.choice(pool + [str(uuid.uuid4())] * 2)

    def value(self, schema: dict[str, Any], name: str = "", depth: int = 0, valid: bool = True) -> Any:
        rng = self.rng
        schema = _resolve(self.spec, schema)
        if not valid and rng.random() < 0.3:
            return rng.choice([None, 0, -1, 10**12, "", "a\u0000", [], {}, True, 3.5, "x" * 5000])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.value(rng.choice(schema[key]), name, depth, valid)
        if "allOf" in schema and schema["allOf"]:
            return self.value(schema["allOf"][0], name, depth, valid)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return rng.choice(schema["enum"])
        types = schema.get("type", "string")
        kind = rng.choice(types) if isinstance(types, list) else types
        if kind == "null":
            return None
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "integer":
            lo, hi = schema.get("minimum", -5), schema.get("maximum", 200)
            return rng.randint(int(lo), int(min(hi, lo + 1000))) if rng.random() < 0.8 else rng.choice([-1, 0, 10**9])
        if kind == "number":
            return round(rng.uniform(schema.get("minimum", 0), schema.get("maximum", 100)), 2)
        if kind == "array":
            if depth > 3:
                return []
            return [self.value(schema.get("items", {}), name, depth + 1, valid) for _ in range(rng.randint(0, 3))]
        if kind == "object":
            if depth > 3:
                return {}
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            out = {}
            for prop, sub in props.items():
                if prop in required or rng.random() < 0.5:
                    out[prop] = self.value(sub, prop, depth + 1, valid)
            return out
        return self.string(schema, name)

    def string(self, schema: dict[str, Any], name: str) -> str:
        rng = self.rng
        fmt = schema.get("format", "")
        if fmt == "uuid" or name.endswith("_id") or name == "id":
            return self.any_id() if rng.random() < 0.85 else rng.choice(["not-a-uuid", "0", ""])
        if fmt == "email" or "email" in name:
            return rng.choice(["hr@acme.test", f"fuzz{rng.randint(0, 999)}@example.test", "bad@", "a\u0000@x.test"])
        if fmt == "date-time":
            return rng.choice(["2026-12-24T10:00:00Z", "2020-01-01T00:00:00", "yesterday", "2026-13-45T99:00:00Z",
                               # the ends of the calendar: no UTC time exists for these two
                               "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00", "9999-12-31T23:59:59Z"])
        if fmt == "date":
            return rng.choice(["2026-12-24", "2026-02-30", "x", "0001-01-01", "9999-12-31"])
        if rng.random() < 0.6:
            size = rng.randint(schema.get("minLength", 1), max(schema.get("minLength", 1), min(schema.get("maxLength", 40), 40)))
            return "".join(rng.choice(string.ascii_letters + " ") for _ in range(size))
        return rng.choice(_STRINGS)


# --------------------------------------------------------------------------- the run

@dataclass
class Report:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    operations: int = 0

    def summary(self) -> str:
        return (f"operations {self.operations}, requests sent {self.requests}, 5xx {len(self.server_errors)}, "
                f"contract violations {len(self.violations)}, statuses {dict(sorted(self.statuses.items()))}")


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation), the destructive ones (logout, deletes) last."""
    ops = [(path, method, op) for path, item in spec["paths"].items()
           for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]

    def order(entry):
        path, method, _ = entry
        return (method == "delete" or path.endswith(("/logout", "/password")) or "/users/" in path and method == "put",
                path, method)

    return sorted(ops, key=order)


def check_answer(spec, path: str, method: str, op: dict[str, Any], response, report: Report) -> None:
    status = response.status_code
    report.statuses[status] = report.statuses.get(status, 0) + 1
    label = f"{method.upper()} {path} -> {status}"
    if status >= 500:
        report.server_errors.append(f"{label}: {response.text[:200]}")
    documented = op.get("responses", {})
    entry = documented.get(str(status)) or documented.get("default")
    if entry is None:
        report.violations.append(f"{label}: status not documented")
        return
    ctype = response.headers.get("content-type", "")
    if status >= 400:
        try:
            body = response.json()
        except ValueError:
            report.violations.append(f"{label}: error body is not JSON")
            return
        if not (isinstance(body, dict) and {"detail", "error_code", "timestamp"} <= set(body)):
            report.violations.append(f"{label}: error body {str(body)[:120]} lacks detail/error_code/timestamp")
        return
    schema = ((entry.get("content") or {}).get("application/json") or {}).get("schema")
    if schema and "application/json" in ctype:
        errors = schema_errors(spec, schema, response.json())
        if errors:
            report.violations.append(f"{label}: response does not match its schema: {errors[:3]}")


def fuzz(client, spec: dict[str, Any], *, tokens: dict[str, str | None], ids: dict[str, list[str]],
         cases_per_operation: int, seed: int = 12, skip: re.Pattern[str] | None = None) -> Report:
    """Send ``cases_per_operation`` generated requests to every operation of ``spec``."""
    rng = random.Random(seed)
    gen = Generator(spec, rng, ids)
    report = Report()
    for path, method, op in operations(spec):
        if skip is not None and skip.search(f"{method.upper()} {path}"):
            continue
        report.operations += 1
        params = op.get("parameters", [])
        body_spec = (op.get("requestBody") or {}).get("content", {})
        for case in range(cases_per_operation):
            valid = case % 3 != 2  # every third case is deliberately broken
            url = path
            for p in params:
                if p["in"] == "path":
                    raw = gen.value(p.get("schema", {}), p["name"], valid=valid)
                    url = url.replace("{" + p["name"] + "}", quote(str(raw), safe="") or "x")
            query = {}
            for p in params:
                if p["in"] == "query" and (p.get("required") or rng.random() < 0.4):
                    v = gen.value(p.get("schema", {}), p["name"], valid=valid)
                    if v is not None and not isinstance(v, (dict, list)):
                        query[p["name"]] = str(v).lower() if isinstance(v, bool) else str(v)
            role = rng.choice(list(tokens))
            headers = {"Authorization": f"Bearer {tokens[role]}"} if tokens[role] else {}
            kwargs: dict[str, Any] = {"params": query, "headers": headers}
            if "application/json" in body_spec:
                schema = body_spec["application/json"].get("schema", {})
                roll = rng.random()
                if roll < 0.08:
                    kwargs["content"] = b'{"broken": '
                    headers["Content-Type"] = "application/json"
                elif roll < 0.12:
                    kwargs["json"] = []
                else:
                    kwargs["json"] = gen.value(schema, valid=valid)
            elif "multipart/form-data" in body_spec:
                schema = _resolve(spec, body_spec["multipart/form-data"].get("schema", {}))
                files, data = {}, {}
                for name, sub in schema.get("properties", {}).items():
                    sub = _resolve(spec, sub)
                    if sub.get("format") == "binary" or sub.get("contentMediaType") or "binary" in json.dumps(sub):
                        content = rng.choice([b"Jane Doe\nPython developer\n", b"%PDF-1.4 broken", b"\x89PNG\r\n",
                                              b"", b"name,email\nA B,a@example.test\n"])
                        files[name] = (rng.choice(["cv.txt", "cv.pdf", "list.csv", "x"]), content, "application/octet-stream")
                    elif rng.random() < 0.7:
                        v = gen.value(sub, name, valid=valid)
                        if v is not None and not isinstance(v, (dict, list)):
                            data[name] = str(v)
                if files:
                    kwargs["files"] = files
                kwargs["data"] = data
            response = client.request(method.upper(), url, **kwargs)
            report.requests += 1
            check_answer(spec, path, method, op, response, report)
    return report
