"""Session fixtures for the dbt project tests (data and helpers in dbt_fixture_data.py)."""

from __future__ import annotations

import pytest
from dbt_fixture_data import AS_OF, RAW, DbtRunner, make_runner


@pytest.fixture(scope="session")
def dbt_runner(tmp_path_factory: pytest.TempPathFactory) -> DbtRunner:
    """A temporary warehouse holding the raw tables and the hand-made dataset RAW."""
    return make_runner(tmp_path_factory.mktemp("dbt_warehouse"), RAW)


@pytest.fixture(scope="session")
def built(dbt_runner: DbtRunner) -> DbtRunner:
    """The whole project built on the fixture: seeds, models, snapshot and data tests."""
    vars_ = f"{{as_of_date: '{AS_OF}'}}"
    dbt_runner("build", "--exclude", "test_type:unit", "--vars", vars_)
    return dbt_runner
