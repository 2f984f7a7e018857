#!/bin/sh
# Wait for the database, then apply migrations (idempotent). Used by the container and `make`.
set -eu
python - <<'PY'
import sys, time
import sqlalchemy as sa
from interviewer.core.config import get_settings
url = get_settings().sqlalchemy_url
for attempt in range(60):
    try:
        with sa.create_engine(url).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        break
    except Exception as exc:  # noqa: BLE001
        print(f"waiting for the database ({exc.__class__.__name__})", file=sys.stderr)
        time.sleep(1)
else:
    sys.exit("database not reachable")
PY
python -m interviewer migrate
