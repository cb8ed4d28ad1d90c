"""A deployment with only CRM and survey drops (no PRM, no LMS) publishes through
`partner-pulse-run` with PARTNER_PULSE_SOURCES=crm,survey: freshness is not judged for the
missing sources and the marts built only from them may be empty. (Its own file, so that pytest-xdist
runs it beside the other end-to-end run.)"""

import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO
from tests.integration.test_run_exports import AS_OF, _clean_env


@pytest.mark.integration
def test_a_crm_and_survey_deployment_publishes_and_names_what_is_missing(tmp_path):
    landing = tmp_path / "exports"
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--scale", "tiny", "--seed", "5",
         "--end-date", AS_OF.isoformat(), "--out", str(landing), "--quiet"],
        cwd=REPO, check=True, capture_output=True,
    )
    for missing in ("prm", "lms"):
        shutil.rmtree(landing / missing)
    env = _clean_env() | {"PARTNER_PULSE_SOURCES": "crm,survey"}
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.run_exports", "--landing", str(landing),
         "--as-of", AS_OF.isoformat()],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(tmp_path / "warehouse" / "serving.duckdb"), read_only=True)
    try:
        credits = con.execute("select count(*) from fct_opportunity_partner_credit").fetchone()[0]
        assert credits > 0
    finally:
        con.close()
