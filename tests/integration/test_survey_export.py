"""A survey platform's NPS export, shaped by hand (one instrument reused over three monthly
waves, Qualtrics-style CSV files), goes through the file loader and dbt: every wave is kept, an
out-of-scale answer is quarantined, and the published overall NPS of each wave equals a direct
computation over the answers of the export."""

import datetime as dt
import json
import os
import subprocess

import duckdb
import pytest

from ingestion.contract import TABLES
from ingestion.loader import load_table
from ingestion.warehouse import connect
from tests.conftest import REPO, venv_bin

DROP = "2026-04-05"
#: NPS answers per wave (one respondent each, partners P1..P8 in turn); 11 is off the scale.
WAVES = {
    "2026-01": [10, 9, 9, 8, 7, 6, 5, 10, 3, 9, 0, 8],
    "2026-02": [9, 9, 10, 10, 8, 7, 6, 2, 11, 10, 9],
    "2026-03": [6, 6, 7, 8, 9, 10, 4, 5],
}


def _csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n")


def _export(landing):
    survey = landing / "survey" / DROP
    partners = [(f"P{i}", f"Partner {i}", "reseller", "silver" if i % 2 else "gold", "EMEA", "DE",
                 "", "active", "2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z",
                 "2025-02-01T00:00:00Z", "", "", "2025-02-01T00:00:00Z") for i in range(1, 9)]
    _csv(landing / "prm" / DROP / "partners.csv",
         [c.name for c in next(t for t in TABLES if t.key == "prm.partners").columns], partners)
    surveys, invitations, responses, answers = [], [], [], []
    for month, values in WAVES.items():
        wave = f"NPS-{month}"
        surveys.append(("S-NPS", wave, "relationship", "false", f"{month}-01T00:00:00Z",
                        f"{month}-20T00:00:00Z"))
        for n, value in enumerate(values):
            partner, contact = f"P{n % 8 + 1}", f"C{n}"
            inv, resp = f"{wave}-I{n}", f"{wave}-R{n}"
            invitations.append((inv, wave, partner, contact, f"{month}-01T09:00:00Z"))
            responses.append((resp, inv, wave, partner, contact, f"{month}-05T10:30:00+02:00"))
            answers.append((resp, "Q-NPS", value, ""))
            answers.append((resp, "Q-WHY", "", "Great support"))
    _csv(survey / "surveys.csv", ["survey_id", "wave_id", "kind", "is_anonymous", "opened_at",
                                  "closed_at"], surveys)
    _csv(survey / "questions.csv", ["question_id", "survey_id", "text", "question_type", "pillar",
                                    "touchpoint"],
         [("Q-NPS", "S-NPS", "How likely are you to recommend us?", "NPS", "", ""),
          ("Q-WHY", "S-NPS", "Why?", "Text", "", "")])
    _csv(survey / "invitations.csv", ["invitation_id", "wave_id", "partner_id", "contact_id",
                                      "sent_at"], invitations)
    _csv(survey / "responses.csv", ["response_id", "invitation_id", "wave_id", "partner_id",
                                    "contact_id", "submitted_at"], responses)
    _csv(survey / "answers.csv", ["response_id", "question_id", "numeric_value", "text_value"],
         answers)


def _nps(values):
    valid = [v for v in values if 0 <= v <= 10]
    return 100.0 * (sum(v >= 9 for v in valid) - sum(v <= 6 for v in valid)) / len(valid)


@pytest.mark.integration
def test_published_nps_of_a_hand_shaped_export_equals_a_direct_computation(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "build.duckdb"
    _export(landing)
    con = connect(warehouse)
    try:
        for table in TABLES:
            load_table(con, landing, table, dt.datetime(2026, 4, 5, 12))
        assert con.execute("select count(*) from raw_survey.surveys").fetchone()[0] == 3
        quarantined = con.execute(
            "select numeric_value, _reason from quarantine.survey__answers").fetchall()
    finally:
        con.close()
    assert [q[0] for q in quarantined] == ["11"]
    env = {**os.environ, "PARTNER_PULSE_WAREHOUSE": str(warehouse)}
    proc = subprocess.run(
        [venv_bin("dbt"), "build", "--select", "+partner_pulse_results", "--indirect-selection",
         "cautious", "--exclude",
         "test_type:unit", "--profiles-dir", ".", "--project-dir", ".", "--target-path",
         str(tmp_path / "target"), "--vars", json.dumps({"as_of_date": "2026-04-05"})],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    ro = duckdb.connect(str(warehouse), read_only=True)
    try:
        published = dict(ro.execute(
            "select wave_id, value from marts.partner_pulse_results "
            "where segment_type = 'overall' and metric = 'nps' and not is_suppressed"
        ).fetchall())
    finally:
        ro.close()
    expected = {f"NPS-{m}": _nps(v) for m, v in WAVES.items()}
    assert published.keys() == expected.keys()
    for wave, value in expected.items():
        assert float(published[wave]) == pytest.approx(value, abs=0.05), wave
