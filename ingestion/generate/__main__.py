"""CLI: python -m ingestion.generate --scale demo|medium|large --seed 7 --out landing/"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from ingestion.generate.config import SCALES, RunConfig
from ingestion.generate.run import generate, summary


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _parse_rate(text: str) -> float:
    rate = float(text)
    if not 0.0 <= rate <= 0.5:
        raise argparse.ArgumentTypeError("--defect-rate must lie in [0, 0.5]")
    return rate


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingestion.generate",
        description="Write seeded synthetic CRM/PRM/LMS/survey drops (history + delta).",
    )
    p.add_argument("--scale", choices=sorted(SCALES), default="demo")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--end-date",
        type=_parse_date,
        default=None,
        help="last day of the timeline, exclusive instant (default: today, UTC)",
    )
    p.add_argument("--out", type=Path, default=Path("landing"))
    p.add_argument(
        "--defect-rate",
        type=_parse_rate,
        default=0.005,
        help="share of rows of each eligible table given one defect (default 0.005)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    end = args.end_date or datetime.now(UTC).date()
    cfg = RunConfig(
        scale=SCALES[args.scale],
        seed=args.seed,
        end_date=end,
        out=args.out,
        defect_rate=args.defect_rate,
    )

    def progress(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    result = generate(cfg, progress)
    print(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
