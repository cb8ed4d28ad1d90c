"""Scale benchmark: generate a scale, load it into a fresh warehouse, report JSON.

    python -m benchmarks.scale_benchmark --scale medium [--out benchmarks/results]

Measures generation wall time and peak memory (the generator runs in a child process, sampled
with psutil), load wall time and rows per second per table. Performance lives here, not in
timed tests.
"""

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from ingestion.contract import TABLES
from ingestion.loader import load_table
from ingestion.warehouse import connect


def _peak_rss(proc: psutil.Process, stop: threading.Event, out: list[int]) -> None:
    peak = 0
    while not stop.is_set():
        try:
            rss = proc.memory_info().rss
            rss += sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.Error:
            break
        peak = max(peak, rss)
        time.sleep(0.2)
    out.append(peak)


def generate(scale: str, seed: int, landing: Path) -> dict[str, float]:
    cmd = [sys.executable, "-m", "ingestion.generate", "--scale", scale, "--seed", str(seed),
           "--out", str(landing)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    stop, peak = threading.Event(), []
    sampler = threading.Thread(target=_peak_rss, args=(psutil.Process(proc.pid), stop, peak))
    sampler.start()
    code = proc.wait()
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"generator failed with exit code {code}")
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak[0] / 2**20}


def load_all(landing: Path, warehouse: Path) -> dict[str, dict[str, float]]:
    con = connect(warehouse)
    per_table = {}
    try:
        for table in TABLES:
            started = time.perf_counter()
            results = load_table(con, landing, table)
            seconds = time.perf_counter() - started
            rows = sum(r.rows_in for r in results)
            per_table[table.key] = {
                "rows_in": rows,
                "rows_quarantined": sum(r.rows_quarantined for r in results),
                "seconds": round(seconds, 3),
                "rows_per_second": round(rows / seconds) if seconds else None,
            }
            print(f"  loaded {table.key:<28} {rows:>12,} rows in {seconds:7.1f} s",
                  file=sys.stderr)
    finally:
        con.close()
    return per_table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="demo", choices=["tiny", "demo", "medium", "large"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pp-bench-") as tmp:
        landing, warehouse = Path(tmp) / "landing", Path(tmp) / "build.duckdb"
        gen = generate(args.scale, args.seed, landing)
        started = time.perf_counter()
        tables = load_all(landing, warehouse)
        load_seconds = time.perf_counter() - started
        size_mb = warehouse.stat().st_size / 2**20
    total_rows = sum(t["rows_in"] for t in tables.values())
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": psutil.cpu_count(),
        "generate": gen,
        "load": {"seconds": round(load_seconds, 2), "rows": total_rows,
                 "rows_per_second": round(total_rows / load_seconds),
                 "warehouse_mb": round(size_mb, 1)},
        "tables": tables,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.scale}-{report['measured_at'].replace(':', '')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"generate: {gen['seconds']:.1f} s, peak {gen['peak_rss_mb']:.0f} MB; "
          f"load: {load_seconds:.1f} s, {total_rows:,} rows "
          f"({total_rows / load_seconds:,.0f} rows/s); report: {path}")


if __name__ == "__main__":
    main()
