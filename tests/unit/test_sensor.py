"""The landing sensor launches ingestion for new files only, without opening the warehouse."""

import dagster as dg

from orchestration.resources import LandingResource
from orchestration.sensors import landing_drop_sensor, new_files


def test_new_files_compares_path_and_mtime():
    seen = {"crm/2026-01-01/accounts.csv": 1.0}
    current = {"crm/2026-01-01/accounts.csv": 2.0, "prm/2026-01-01/partners.jsonl": 1.0}
    assert new_files(current, seen) == ["crm/2026-01-01/accounts.csv",
                                        "prm/2026-01-01/partners.jsonl"]
    assert new_files(seen, seen) == []


def test_sensor_requests_the_raw_assets_of_new_drops_then_skips(tmp_path):
    drop = tmp_path / "crm" / "2026-01-01"
    drop.mkdir(parents=True)
    (drop / "accounts.csv").write_text("account_id\n")
    (drop / "opportunities.csv").write_text("opportunity_id\n")
    (tmp_path / "crm" / "not-a-date").mkdir()
    (tmp_path / "crm" / "not-a-date" / "x.csv").write_text("ignored")
    landing = LandingResource(path=str(tmp_path))

    with dg.build_sensor_context(resources={"landing": landing}) as ctx:
        request = landing_drop_sensor(ctx)
        assert isinstance(request, dg.RunRequest)
        assert set(request.asset_selection) == {
            dg.AssetKey(["raw", "crm", "accounts"]),
            dg.AssetKey(["raw", "crm", "opportunities"]),
        }
        cursor = ctx.cursor

    with dg.build_sensor_context(cursor=cursor, resources={"landing": landing}) as ctx:
        assert isinstance(landing_drop_sensor(ctx), dg.SkipReason)

    later = tmp_path / "prm" / "2026-01-02"
    later.mkdir(parents=True)
    (later / "partners.jsonl").write_text("")
    with dg.build_sensor_context(cursor=cursor, resources={"landing": landing}) as ctx:
        request = landing_drop_sensor(ctx)
        assert list(request.asset_selection) == [dg.AssetKey(["raw", "prm", "partners"])]
