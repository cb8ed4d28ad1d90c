"""Orchestrates a generator run: build the world, stream every table into two drops, inject
defects, write the manifest."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ingestion.contract import TABLES, Table
from ingestion.generate import defects as dfx
from ingestion.generate.activity import IdCounter, World, generate_month, make_world, portal_events
from ingestion.generate.config import RunConfig, Timeline, rng_for
from ingestion.generate.drops import DELTA, DROPS, HISTORY, Split, split_immutable
from ingestion.generate.entities import (
    accounts_split,
    build_accounts,
    build_contacts,
    build_courses,
    build_fx,
    contacts_split,
    courses_split,
    fx_split,
    partners_split,
)
from ingestion.generate.latent import build_population
from ingestion.generate.surveys import build_waves, surveys_and_questions, wave_activity
from ingestion.generate.writers import EXTENSIONS, TableWriter

MANIFEST = "_generator_manifest.json"
_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


@dataclass
class RunResult:
    manifest: dict
    rows: dict[tuple[str, str], int]  # (table key, drop) -> rows written
    defects: dict[tuple[str, str], int]  # (table key, class) -> count
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)


class _Sink:
    """Routes generated splits through defect injection into the open writers."""

    def __init__(self, cfg: RunConfig, timeline: Timeline) -> None:
        self.cfg = cfg
        self.timeline = timeline
        self.dates = {
            HISTORY: timeline.history_date.isoformat(),
            DELTA: timeline.end_date.isoformat(),
        }
        self.limits = {HISTORY: timeline.cutoff, DELTA: timeline.now}
        self.writers: dict[tuple[str, str], TableWriter] = {}
        self.chunks: dict[tuple[str, str], int] = {}
        self.defects: dict[tuple[str, str, str], int] = {}
        inject_files = cfg.defect_rate > 0
        for ti, t in enumerate(TABLES):
            for drop in DROPS:
                path = self.path(t, drop)
                empty = inject_files and (t.source, t.name, drop) == dfx.EMPTY_FILE_TARGET
                self.writers[(t.key, drop)] = TableWriter(path, t, t.file_format, empty=empty)
                self.chunks[(t.key, drop)] = ti * 1_000_000
                if empty:
                    self._count(t, drop, dfx.EMPTY_FILE, 1)

    def path(self, t: Table, drop: str) -> Path:
        return self.cfg.out / t.source / self.dates[drop] / f"{t.name}.{EXTENSIONS[t.file_format]}"

    def _count(self, t: Table, drop: str, cls: str, k: int) -> None:
        key = (t.key, drop, cls)
        self.defects[key] = self.defects.get(key, 0) + k

    def emit(self, name: str, split: Split) -> None:
        t = _BY_NAME[name]
        for di, drop in enumerate(DROPS):
            df = split.get(drop)
            if df.height == 0:
                continue
            wkey = (t.key, drop)
            self.chunks[wkey] += 1
            rng = rng_for(self.cfg.seed, 900, di, self.chunks[wkey])
            ctx = dfx.DropContext(now=self.timeline.now, limit=self.limits[drop], fmt=t.file_format)
            out, counts = dfx.inject(df, t, rng, self.cfg.defect_rate, ctx)
            for cls, k in counts.items():
                self._count(t, drop, cls, k)
            src, tbl, d, col = dfx.EXTRA_COLUMN_TARGET
            if self.cfg.defect_rate > 0 and (t.source, t.name, drop) == (src, tbl, d):
                codes = np.array(["SEG-A", "SEG-B", "SEG-C", "SEG-D"], dtype=object)
                out = out.with_columns(
                    pl.Series(
                        col, codes[rng.integers(0, codes.size, out.height)].tolist(), dtype=pl.Utf8
                    )
                )
                if self.writers[wkey].rows == 0:
                    self._count(t, drop, dfx.EXTRA_COLUMN, 1)
            self.writers[wkey].write(out)

    def close(self) -> dict[tuple[str, str], int]:
        return {k: w.close() for k, w in self.writers.items()}


def _clean_previous(out: Path) -> None:
    """Remove the drop folders a previous run recorded in its manifest (only those)."""
    manifest = out / MANIFEST
    if not manifest.exists():
        return
    try:
        old = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return
    for f in old.get("files", []):
        p = out / f["path"]
        if p.is_file():
            p.unlink()
    for f in old.get("files", []):
        d = (out / f["path"]).parent
        if d.is_dir() and not any(d.iterdir()):
            shutil.rmtree(d)


def generate(cfg: RunConfig, progress: Callable[[str], None] = lambda _: None) -> RunResult:
    """Generate both drops of every table under ``cfg.out``."""
    t0 = time.perf_counter()
    scale, seed = cfg.scale, cfg.seed
    tl = Timeline.build(cfg.end_date, scale.months)
    cfg.out.mkdir(parents=True, exist_ok=True)
    _clean_previous(cfg.out)
    progress(
        f"partner pulse generator: scale={scale.name} seed={seed} end={cfg.end_date} "
        f"months={tl.months} {tl.month_firsts[0]}..{cfg.end_date}"
    )
    pop = build_population(seed, scale.partners, tl)
    contacts = build_contacts(seed, pop, tl)
    accounts = build_accounts(seed, pop.n, scale.accounts_per_partner, tl)
    courses = build_courses()
    fx = build_fx(seed, tl)
    world = make_world(seed, scale, tl, pop, contacts, accounts, courses, fx)
    sink = _Sink(cfg, tl)
    sink.emit("partners", partners_split(pop, tl))
    sink.emit("partner_contacts", contacts_split(seed, contacts, pop, tl))
    sink.emit("accounts", accounts_split(seed, accounts, tl))
    sink.emit("courses", courses_split(courses))
    sink.emit("fx_rates", fx_split(fx, tl))
    waves = build_waves(tl)
    for name, split in surveys_and_questions(waves, tl).items():
        sink.emit(name, split)
    progress(
        f"  entities: {pop.n:,} partners, {contacts.partner.size:,} contacts, "
        f"{accounts.region.size:,} accounts, {len(waves)} survey waves"
    )

    counter = IdCounter()
    wave_month = tl.month_index(np.array([w.opened for w in waves], dtype=np.int64))
    for m in range(tl.months):
        tm = time.perf_counter()
        splits = generate_month(world, m, counter)
        for name in sorted(splits):
            sink.emit(name, splits[name])
        lo, hi = tl.window(m)
        a, b = pop.alive_window(lo, hi)
        n_ev = 0
        for chunk in portal_events(world, m, counter, a, b):
            n_ev += chunk.height
            occurred = chunk["occurred_at"].dt.epoch("s").to_numpy()
            sink.emit("portal_events", split_immutable(chunk, occurred, tl))
        for wi in np.flatnonzero(wave_month == m):
            for name, split in wave_activity(world, waves[wi], int(wi), counter).items():
                sink.emit(name, split)
        active = int((b > a).sum())
        progress(
            f"  [{m + 1:>2}/{tl.months}] {tl.month_firsts[m]:%Y-%m}  active partners "
            f"{active:>6,}  portal events {n_ev:>10,}  ({time.perf_counter() - tm:.1f}s)"
        )

    rows = sink.close()
    manifest = _manifest(cfg, sink, rows)
    (cfg.out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    defects: dict[tuple[str, str], int] = {}
    for (key, _drop, cls), k in sink.defects.items():
        defects[(key, cls)] = defects.get((key, cls), 0) + k
    return RunResult(
        manifest=manifest,
        rows=rows,
        defects=defects,
        seconds=time.perf_counter() - t0,
        files=[w.path for w in sink.writers.values()],
    )


def _manifest(cfg: RunConfig, sink: _Sink, rows: dict[tuple[str, str], int]) -> dict:
    files = []
    for t in TABLES:
        for drop in DROPS:
            w = sink.writers[(t.key, drop)]
            file_defects = {
                cls: sink.defects[(t.key, drop, cls)]
                for cls in dfx.ALL_CLASSES
                if (t.key, drop, cls) in sink.defects
            }
            quarantine = sum(
                k for cls, k in file_defects.items() if dfx.DESTINATION[cls] == dfx.QUARANTINE
            )
            files.append(
                {
                    "source": t.source,
                    "table": t.name,
                    "drop": drop,
                    "drop_date": sink.dates[drop],
                    "path": w.path.relative_to(cfg.out).as_posix(),
                    "format": t.file_format,
                    "rows": rows[(t.key, drop)],
                    "expected_quarantine_rows": quarantine,
                    "defects": file_defects,
                }
            )
    defects = []
    for t in TABLES:
        for cls in dfx.ALL_CLASSES:
            k = sum(sink.defects.get((t.key, drop, cls), 0) for drop in DROPS)
            if k:
                unit = "file" if cls in dfx.FILE_CLASSES else "row"
                defects.append(
                    {
                        "source": t.source,
                        "table": t.name,
                        "defect": cls,
                        "count": k,
                        "unit": unit,
                        "destination": dfx.DESTINATION[cls],
                    }
                )
    return {
        "generator": "partner-pulse synthetic sources",
        "scale": cfg.scale.name,
        "seed": cfg.seed,
        "end_date": cfg.end_date.isoformat(),
        "defect_rate": cfg.defect_rate,
        "drops": [{"drop": d, "date": sink.dates[d]} for d in DROPS],
        "empty_file": "/".join(dfx.EMPTY_FILE_TARGET) if cfg.defect_rate > 0 else None,
        "extra_column": "/".join(dfx.EXTRA_COLUMN_TARGET) if cfg.defect_rate > 0 else None,
        "destinations": dict(dfx.DESTINATION),
        "files": files,
        "defects": defects,
    }


def summary(result: RunResult) -> str:
    """A one-screen text summary: rows per table per drop, defects per class, wall time."""
    m = result.manifest
    lines = [
        f"Partner Pulse synthetic drops — scale {m['scale']}, seed {m['seed']}, "
        f"end date {m['end_date']}, defect rate {m['defect_rate']}",
        f"{'table':<28}{m['drops'][0]['date']:>14}{m['drops'][1]['date']:>14}",
    ]
    total = 0
    for t in TABLES:
        h, d = result.rows[(t.key, HISTORY)], result.rows[(t.key, DELTA)]
        total += h + d
        lines.append(f"{t.key:<28}{h:>14,}{d:>14,}")
    lines.append(f"{'total rows':<28}{total:>28,}")
    by_cls: dict[str, int] = {}
    for (_key, cls), k in result.defects.items():
        by_cls[cls] = by_cls.get(cls, 0) + k
    parts = [
        f"{cls}={by_cls[cls]:,} ({dfx.DESTINATION[cls]})"
        for cls in dfx.ALL_CLASSES
        if cls in by_cls
    ]
    lines.append("defects: " + (", ".join(parts) if parts else "none"))
    lines.append(f"wall time {result.seconds:.1f}s")
    return "\n".join(lines)


__all__ = ["MANIFEST", "RunResult", "World", "generate", "summary"]
