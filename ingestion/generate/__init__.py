"""Seeded synthetic source generator: realistic CRM, PRM, LMS and survey file drops.

``python -m ingestion.generate --scale demo --seed 7 --out landing/`` writes a history drop
(end date - 7 days) and a delta drop (end date) of all raw-contract tables, with a configurable
rate of realistic defects and a manifest of what was injected (``_generator_manifest.json``).
"""

from ingestion.generate.config import SCALES, RunConfig, Scale, Timeline
from ingestion.generate.run import MANIFEST, RunResult, generate, summary

__all__ = [
    "MANIFEST",
    "SCALES",
    "RunConfig",
    "RunResult",
    "Scale",
    "Timeline",
    "generate",
    "summary",
]
