"""Bounded fuzz run over the whole REST API, driven by its OpenAPI document (issue 12).

Usage (from the repo root, PostgreSQL and Redis as for the test suite):
    .venv/bin/python bench/bench_fuzz_api.py [--cases 25] [--seed 12]

It runs tests/api/test_openapi_contract.py::test_bounded_fuzz_finds_no_5xx_and_no_contract_violation
with ``--cases`` generated requests per operation (the suite runs 3): the test's own database and
Redis index, seeded with two companies, staff of each role, candidates, a job and an interview;
rate limits off. Each request is a mix of valid-looking and broken path/query values and bodies
(NUL characters, wrong types, invalid JSON, odd files) with a random role's token, a garbage token
or none. Printed: operations, requests sent, 5xx count (must be 0), contract violations (must be
0: undocumented status, error body not in the project's format, success body not matching its
schema) and the statuses seen. Exit status is the test's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=25, help="generated requests per operation")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    env = {**os.environ, "FUZZ_CASES": str(args.cases), "FUZZ_SEED": str(args.seed),
           "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s",
                           "tests/api/test_openapi_contract.py::test_bounded_fuzz_finds_no_5xx_and_no_contract_violation"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if not line.startswith('{"timestamp"')]
    print("\n".join(line for line in lines if line.startswith("fuzz:") or "passed" in line or "failed" in line
                    or line.startswith("E ")))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
