"""Pull HTTP API sources into file drops.

    python -m ingestion.pull --config sources.json --out landing [--date YYYY-MM-DD]
                             [--table prm.partners ...]

Writes `<out>/<source>/<date>/<table>.jsonl` per table (see ingestion/http_source.py and
ingestion/http_sources.example.json). Prints one line per table; exits 1 when any table
failed, 2 when the config or arguments are unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ingestion.http_source import HttpConfigError, TableOutcome, load_config, pull_all
from ingestion.settings import Settings


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingestion.pull",
        description="Pull tables from HTTP APIs into landing/<source>/<date>/<table>.jsonl.",
    )
    parser.add_argument("--config", type=Path, required=True, help="JSON source config")
    parser.add_argument("--out", type=Path, default=None,
                        help="landing folder (default: $PARTNER_PULSE_LANDING or landing)")
    parser.add_argument("--date", type=_date, default=None,
                        help="drop date YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--table", action="append", default=None, metavar="SOURCE.TABLE",
                        help="pull only this table (repeatable)")
    return parser.parse_args(argv)


def describe(outcome: TableOutcome) -> str:
    if outcome.status != "ok":
        error = outcome.error.removeprefix(f"{outcome.label}: ")
        return f"{outcome.label}: FAILED — {error}"
    written = str(outcome.path) if outcome.path else "no file (no new or changed records)"
    return (f"{outcome.label}: {outcome.pages} page(s), {outcome.records} record(s) → "
            f"{written}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    landing = args.out or Settings.from_env().landing
    drop_date = args.date or dt.datetime.now(dt.UTC).date()
    try:
        sources = load_config(args.config)
    except HttpConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    only = set(args.table) if args.table else None
    if only is not None:
        known = {f"{s.name}.{t.name}" for s in sources for t in s.tables}
        unknown = sorted(only - known)
        if unknown:
            print(f"error: --table {', '.join(unknown)} not in {args.config} "
                  f"(configured: {', '.join(sorted(known))})", file=sys.stderr)
            return 2
    outcomes = pull_all(sources, landing, drop_date, only=only)
    for outcome in outcomes:
        print(describe(outcome))
    failed = [o for o in outcomes if o.status != "ok"]
    print(f"{len(outcomes) - len(failed)} table(s) pulled, {len(failed)} failed "
          f"(drop date {drop_date.isoformat()}, landing {landing})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
