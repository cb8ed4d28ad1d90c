"""dbt models as Dagster assets (staging, intermediate, core, marts).

The manifest is prepared at build time (`dbt parse`: Makefile and the test session), never
at import. Partitioned models (tag `partitioned_monthly`) are built per month range with the
vars min_date/max_date (half-open); a backfill of any range is one dbt run. Everything else
is one unpartitioned `@dbt_assets` rebuilt from the partitioned tables. dbt unit tests run in
`make test`, not here (`--exclude test_type:unit`).
"""

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.partitions import monthly
from orchestration.publishing import MartRef
from orchestration.quality.mart_rules import keys_from_manifest
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
PARTITIONED_TAG = "partitioned_monthly"
DBT_BUILD_EXCLUDE = "test_type:unit"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_GROUP_BY_FOLDER = {
    "staging": "staging",
    "intermediate": "staging",
    "core": "core",
    "restricted": "core",
    "marts": "marts",
}


class PartnerPulseTranslator(DagsterDbtTranslator):
    """dbt sources map onto the raw assets; models are grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            source = dbt_resource_props["source_name"].removeprefix("raw_")
            return dg.AssetKey(["raw", source, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        for part in fqn[1:]:
            if part in _GROUP_BY_FOLDER:
                return _GROUP_BY_FOLDER[part]
        if dbt_resource_props["resource_type"] in ("seed", "snapshot"):
            return "core"
        return super().get_group_name(dbt_resource_props)


def manifest_path() -> Path:
    path = dbt_project.manifest_path
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: prepare the dbt manifest at build time with `make manifest` "
            "(runs `dbt parse`)."
        )
    return path


def month_window_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """Half-open [min_date, max_date) of the partitions in this run (one or many months)."""
    window = context.partition_time_window
    return {"min_date": window.start.date().isoformat(), "max_date": window.end.date().isoformat()}


AS_OF_TAG = "partner_pulse/as_of"


def as_of_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """`as_of_date` from the run tag (schedules set it) or PARTNER_PULSE_AS_OF_DATE; none →
    dbt uses today. Pinning it makes a rerun reproduce the same provisional month."""
    as_of = context.run.tags.get(AS_OF_TAG) or os.environ.get("PARTNER_PULSE_AS_OF_DATE")
    return {"as_of_date": as_of} if as_of else {}


def _build_args(extra_vars: dict[str, str] | None = None) -> list[str]:
    # `buildable`: a test runs in the step that builds the last of its parents (a singular
    # test reading a seed and a monthly model runs with the monthly model, not the seed).
    args = ["build", "--exclude", DBT_BUILD_EXCLUDE, "--indirect-selection", "buildable"]
    if extra_vars:
        args += ["--vars", json.dumps(extra_vars)]
    return args


def build_dbt_assets() -> list[dg.AssetsDefinition]:
    manifest = manifest_path()
    translator = PartnerPulseTranslator()

    @dbt_assets(
        manifest=manifest,
        project=dbt_project,
        exclude=f"tag:{PARTITIONED_TAG}",
        dagster_dbt_translator=translator,
        name="dbt_unpartitioned",
        pool=WAREHOUSE_POOL,
    )
    def dbt_unpartitioned(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        warehouse.ensure_folder()  # seeds may run before any raw asset created the file
        yield from dbt.cli(_build_args(as_of_vars(context)), context=context).stream()

    @dbt_assets(
        manifest=manifest,
        project=dbt_project,
        select=f"tag:{PARTITIONED_TAG}",
        dagster_dbt_translator=translator,
        name="dbt_monthly",
        partitions_def=monthly,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=WAREHOUSE_POOL,
    )
    def dbt_monthly(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        warehouse.ensure_folder()
        run_vars = {**as_of_vars(context), **month_window_vars(context)}
        yield from dbt.cli(_build_args(run_vars), context=context).stream()

    return [dbt_unpartitioned, dbt_monthly]


#: Core facts published next to the marts (DESIGN section 3, "Key columns").
PUBLISHED_CORE_MODELS = ("fct_partner_month", "fct_opportunity_partner_credit")


def published_marts() -> list[MartRef]:
    """Relations published to BI: every model under models/marts (not int_* helpers,
    not tagged `restricted`) plus the published core facts."""
    manifest = json.loads(manifest_path().read_text())
    marts = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        name, fqn, tags = node["name"], node["fqn"], node.get("tags", [])
        in_marts = "marts" in fqn[1:-1] and not name.startswith("int_")
        if (in_marts or name in PUBLISHED_CORE_MODELS) and "restricted" not in tags:
            marts.append(MartRef(node["schema"], name))
    return sorted(marts, key=lambda m: m.name)


def mart_asset_key(mart: MartRef) -> dg.AssetKey:
    """dbt models are keyed [schema, model] (e.g. marts/partner_health_score)."""
    return dg.AssetKey([mart.schema, mart.name])


def mart_primary_keys() -> dict[str, tuple[str, ...]]:
    """Primary keys the dbt project declares through its uniqueness tests."""
    return keys_from_manifest(json.loads(manifest_path().read_text()))


def dbt_executable() -> str:
    """The dbt installed next to this interpreter (the venv), so PATH need not hold it."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=dbt_executable(),
    )
