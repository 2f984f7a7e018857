"""Command line: ``python -m interviewer {run,migrate,seed,worker,reencrypt}``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="interviewer")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    seed = sub.add_parser("seed", help="load demo data")
    seed.add_argument("--demo", action="store_true", required=True)
    worker = sub.add_parser("worker", help="run an RQ worker")
    worker.add_argument("--queues", default="high,default,email")
    worker.add_argument("--burst", action="store_true")
    run = sub.add_parser("run", help="migrate, seed, start Redis (embedded if needed), a worker and the app")
    run.add_argument("--env", default="dev", choices=["dev", "prod"])
    run.add_argument("--no-seed", action="store_true")
    sub.add_parser("reencrypt", help="re-encrypt stored secrets under ENCRYPTION_KEY (after a key rotation)")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        from interviewer.manage import migrate

        migrate()
    elif args.command == "seed":
        from interviewer.seed import seed_demo

        print("demo data:", seed_demo())
    elif args.command == "worker":
        from interviewer.jobs.worker import run_worker

        run_worker(args.queues.split(","), burst=args.burst)
    elif args.command == "reencrypt":
        from interviewer.db import session_scope
        from interviewer.services.ai_config import reencrypt_company_secrets

        with session_scope() as session:
            counts = reencrypt_company_secrets(session)
        print("re-encrypted:", counts)
        return 1 if counts["unreadable"] else 0
    elif args.command == "run":
        from interviewer.manage import run_all

        return run_all(env=args.env, seed=not args.no_seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
