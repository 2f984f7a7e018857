"""Benchmark resume extraction + offline ATS analysis on a folder of PDFs.

Usage (from the repo root):  .venv/bin/python bench/bench_ats.py --pdfs ../shared/data/resume_pdfs

For every ``*.pdf`` under ``--pdfs`` (recursively) it times ``extract_text`` and
``analyze_resume_offline`` separately over ``--repeat`` runs (best run kept per file), prints each
file's score, then p50/p95 of the end-to-end time and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewer.services.ai.ats_offline import analyze_resume_offline  # noqa: E402
from interviewer.services.ai.extract import ExtractionError, extract_text  # noqa: E402


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", required=True, type=Path, help="folder searched recursively for *.pdf")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the fastest is kept")
    args = parser.parse_args()
    files = sorted(args.pdfs.rglob("*.pdf"))
    if not files:
        print(f"no PDFs under {args.pdfs}", file=sys.stderr)
        return 1
    totals: list[float] = []
    print(f"{'file':<40} {'pages':>5} {'chars':>6} {'extract':>9} {'analyze':>9} {'score':>5}  ats_friendly")
    for path in files:
        data = path.read_bytes()
        best_extract = best_analyze = float("inf")
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            try:
                doc = extract_text(data, path.name, "application/pdf")
            except ExtractionError as exc:
                print(f"{path.name:<40} rejected: {exc.code} {exc.message}")
                break
            t1 = time.perf_counter()
            result = analyze_resume_offline(doc.text, None, today=date.today())
            t2 = time.perf_counter()
            best_extract, best_analyze = min(best_extract, t1 - t0), min(best_analyze, t2 - t1)
        else:
            totals.append((best_extract + best_analyze) * 1000)
            name = str(path.relative_to(args.pdfs))
            print(f"{name:<40} {doc.page_count:>5} {len(doc.text):>6} {best_extract * 1000:>7.0f}ms "
                  f"{best_analyze * 1000:>7.1f}ms {result.score:>5}  {result.ats_friendly}")
    if totals:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is KiB on Linux
        print(f"\n{len(totals)} files  p50 {statistics.median(totals):.0f} ms  p95 {_percentile(totals, 95):.0f} ms  "
              f"max {max(totals):.0f} ms  peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
