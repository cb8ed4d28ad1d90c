"""HTTP source connector against a local server the tests start (no other network)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from ingestion import pull as pull_cli
from ingestion.contract import get_table
from ingestion.drops import drop_fingerprint, table_drop_files
from ingestion.http_source import (
    HttpConfigError,
    load_config,
    parse_config,
    parse_retry_after,
    pull_all,
    read_state,
)
from ingestion.loader import load_table
from ingestion.warehouse import connect

REPO = Path(__file__).resolve().parents[2]
TOKEN = "tok-3f9a1c77e2b54d0aa1b2"  # a fake secret, set through a monkeypatched env var
DAY = dt.date(2026, 1, 10)
T1 = dt.datetime(2026, 1, 10, 6, 0, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 1, 11, 6, 0, 0, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- local server


@dataclass
class Req:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: str


Reply = tuple[int, dict[str, str], bytes]


def js(obj, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(
        obj).encode()


class LocalApi:
    """A ThreadingHTTPServer on 127.0.0.1 with per-path handlers and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Req], Reply]] = {}
        self.requests: list[Req] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                req = Req(parts.path, dict(parse_qsl(parts.query)), dict(self.headers),
                          self.path)
                api.requests.append(req)
                route = api.routes.get(parts.path)
                status, headers, body = route(req) if route else js({"error": "nope"}, 404)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def hits(self, path: str) -> list[Req]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def api():
    server = LocalApi()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def sleeps():
    return []


def source_cfg(api: LocalApi, tables: dict, **extra) -> dict:
    cfg = {"base_url": api.base_url, "max_attempts": 3, "backoff_base_seconds": 0.001,
           "timeout_seconds": 5, "tables": tables}
    cfg.update(extra)
    return cfg


def run(tmp_path, sleeps, sources: dict, *, clock=T1, day=DAY, environ=None):
    """Parse the config and pull everything into tmp_path/landing; sleeps are recorded."""
    specs = parse_config({"sources": sources}, environ or {})
    return pull_all(specs, tmp_path / "landing", day, environ=environ or {},
                    sleep=sleeps.append, clock=lambda: clock)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def partner(pid: str, tier: str = "gold", **extra) -> dict:
    rec = {
        "partner_id": pid, "name": f"Partner {pid}", "partner_type": "reseller", "tier": tier,
        "region": "EMEA", "country": "DE", "specializations": "cloud;security",
        "status": "active", "applied_at": "2024-01-05T10:00:00Z",
        "joined_at": "2024-02-01T00:00:00Z", "onboarded_at": "2024-03-01T00:00:00Z",
        "terminated_at": None, "parent_partner_id": None,
        "updated_at": "2025-12-01T08:30:00Z",
    }
    rec.update(extra)
    return rec


PARTNERS = [partner(f"p{i}") for i in range(1, 6)]


def paged(records: list[dict], key: str | None = "data") -> Callable[[Req], Reply]:
    def handler(req: Req) -> Reply:
        page, size = int(req.query["page"]), int(req.query["per_page"])
        chunk = records[(page - 1) * size: page * size]
        return js({key: chunk, "page": page} if key else chunk)
    return handler


PAGE = {"kind": "page", "page_param": "page", "page_size_param": "per_page", "page_size": 2}


def leftovers(landing: Path) -> list[Path]:
    return [p for p in landing.rglob("*") if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- pagination


def test_page_pagination_writes_every_record_as_it_came(api, tmp_path, sleeps):
    api.routes["/api/partners"] = paged(PARTNERS)
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data", "pagination": PAGE}})})
    assert (out.status, out.pages, out.records) == ("ok", 3, 5)
    assert out.path == tmp_path / "landing" / "prm" / "2026-01-10" / "partners.jsonl"
    assert lines(out.path) == PARTNERS  # exactly the records, null fields included
    assert [r.query["page"] for r in api.requests] == ["1", "2", "3"]
    assert {r.query["per_page"] for r in api.requests} == {"2"}
    assert leftovers(tmp_path / "landing") == []


def test_cursor_pagination_with_nested_next_cursor(api, tmp_path, sleeps):
    pages = {None: (PARTNERS[:2], "c2"), "c2": (PARTNERS[2:4], "c3"), "c3": (PARTNERS[4:], None)}

    def handler(req: Req) -> Reply:
        records, nxt = pages[req.query.get("cursor")]
        return js({"data": records, "meta": {"next_cursor": nxt}})

    api.routes["/api/partners"] = handler
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {"partners": {
        "path": "partners", "records_key": "data",
        "pagination": {"kind": "cursor", "cursor_param": "cursor",
                       "next_cursor_key": "meta.next_cursor",
                       "page_size_param": "limit", "page_size": 2}}})})
    assert (out.status, out.pages, out.records) == ("ok", 3, 5)
    assert lines(out.path) == PARTNERS
    assert [r.query.get("cursor") for r in api.requests] == [None, "c2", "c3"]
    assert {r.query["limit"] for r in api.requests} == {"2"}


def test_link_pagination_follows_absolute_and_relative_next_urls(api, tmp_path, sleeps):
    host = api.base_url.rsplit("/api", 1)[0]

    def handler(req: Req) -> Reply:
        after = req.query.get("after")
        if after is None:
            return js({"items": PARTNERS[:2], "links": {"next": f"{host}/api/partners?after=2"}})
        if after == "2":
            return js({"items": PARTNERS[2:4], "links": {"next": "partners?after=4"}})
        return js({"items": PARTNERS[4:], "links": {"next": None}})

    api.routes["/api/partners"] = handler
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {"partners": {
        "path": "/partners", "records_key": "items",
        "pagination": {"kind": "link", "next_key": "links.next"}}})})
    assert (out.status, out.pages, out.records) == ("ok", 3, 5)
    assert lines(out.path) == PARTNERS
    assert [r.query.get("after") for r in api.requests] == [None, "2", "4"]


def test_link_to_another_host_is_refused(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js(
        {"items": PARTNERS[:1], "next": "http://elsewhere.invalid/steal"})
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {"partners": {
        "path": "/partners", "records_key": "items", "pagination": {"kind": "link"}}})})
    assert out.status == "failed" and "another host" in out.error
    assert len(api.requests) == 1
    assert not (tmp_path / "landing" / "prm" / "2026-01-10").exists()


def test_records_key_null_means_the_body_is_the_list(api, tmp_path, sleeps):
    courses = [{"course_id": "c1", "title": "Intro", "pillar": "Onboard",
                "is_certification": False, "certification_valid_days": None}]
    api.routes["/api/courses"] = lambda req: js(courses)
    [out] = run(tmp_path, sleeps, {"lms": source_cfg(api, {
        "courses": {"path": "/courses", "records_key": None}})})
    assert (out.status, out.pages, out.records) == ("ok", 1, 1)
    assert lines(out.path) == courses


def test_records_with_other_keys_are_written_untouched(api, tmp_path, sleeps):
    odd = [{"partner_id": "p1", "Tier": " GOLD ", "extra": {"nested": [1, 2]}}, {"x": 1}]
    api.routes["/api/partners"] = lambda req: js({"data": odd})
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert lines(out.path) == odd


# --------------------------------------------------------------------------- auth, secrets


def test_bearer_token_from_env_is_sent_and_never_written_or_logged(
        api, tmp_path, sleeps, monkeypatch, caplog, capsys):
    monkeypatch.setenv("PP_TEST_PRM_TOKEN", TOKEN)

    def handler(req: Req) -> Reply:
        if req.headers.get("Authorization") != f"Bearer {TOKEN}":
            return js({"error": "unauthorized"}, 401)
        return js({"data": PARTNERS[:2]})

    api.routes["/api/partners"] = handler
    api.routes["/api/partner_contacts"] = lambda req: js({"oops": "server echoes " + TOKEN}, 500)
    api.routes["/api/support_cases"] = lambda req: (200, {}, f"<html>{TOKEN}</html>".encode())
    config = tmp_path / "sources.json"
    config.write_text(json.dumps({"sources": {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data", "since_param": "since"},
        "partner_contacts": {"path": "/partner_contacts", "records_key": "data"},
        "support_cases": {"path": "/support_cases", "records_key": "data"},
    }, auth={"bearer_token_env": "PP_TEST_PRM_TOKEN"})}}))
    assert TOKEN not in config.read_text()
    landing = tmp_path / "landing"
    with caplog.at_level(logging.DEBUG):
        code = pull_cli.main(["--config", str(config), "--out", str(landing),
                              "--date", "2026-01-10"])
        # A wrong token: a 401 names the env var, not its value.
        monkeypatch.setenv("PP_TEST_PRM_TOKEN", TOKEN[::-1])
        code_wrong = pull_cli.main(["--config", str(config), "--out", str(landing),
                                    "--date", "2026-01-11", "--table", "prm.partners"])
    printed = capsys.readouterr()
    assert code == 1 and code_wrong == 1  # the failing tables make the run fail
    assert "prm.partners: 1 page(s), 2 record(s)" in printed.out
    assert "prm.partner_contacts: FAILED" in printed.out
    assert "prm.support_cases: FAILED" in printed.out and "not JSON" in printed.out
    assert "HTTP 401" in printed.out and "PP_TEST_PRM_TOKEN" in printed.out
    assert {r.headers.get("Authorization") for r in api.requests[:1]} == {f"Bearer {TOKEN}"}
    everything = printed.out + printed.err + caplog.text + "".join(
        p.read_text() for p in landing.rglob("*") if p.is_file())
    assert TOKEN not in everything and TOKEN[::-1] not in everything
    assert lines(landing / "prm" / "2026-01-10" / "partners.jsonl") == PARTNERS[:2]


def test_basic_auth_from_env(api, tmp_path, sleeps):
    expected = "Basic " + base64.b64encode(b"svc:pw-9911aa").decode()
    api.routes["/api/courses"] = lambda req: (
        js([{"course_id": "c1"}]) if req.headers.get("Authorization") == expected
        else js({}, 401))
    env = {"LMS_U": "svc", "LMS_P": "pw-9911aa"}
    [out] = run(tmp_path, sleeps, {"lms": source_cfg(api, {"courses": {"path": "/courses"}},
                                                     auth={"basic_user_env": "LMS_U",
                                                           "basic_password_env": "LMS_P"})},
                environ=env)
    assert (out.status, out.records) == ("ok", 1)


# --------------------------------------------------------------------------- robustness


def test_429_honours_retry_after_then_succeeds(api, tmp_path, sleeps):
    calls = []

    def handler(req: Req) -> Reply:
        calls.append(1)
        if len(calls) == 1:
            return js({"error": "slow down"}, 429, {"Retry-After": "7"})
        return js({"data": PARTNERS[:1]})

    api.routes["/api/partners"] = handler
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert (out.status, out.records) == ("ok", 1)
    assert sleeps == [7.0]  # the server's Retry-After, not the (tiny) backoff base


def test_retry_after_http_date():
    now = dt.datetime(2026, 1, 10, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Sat, 10 Jan 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("garbage", now) is None


def test_persistent_500_fails_after_bounded_backoff_and_writes_nothing(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js({"error": "boom"}, 503)
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data", "since_param": "since",
                     "pagination": PAGE}})})
    assert out.status == "failed"
    assert "prm.partners" in out.error and "/api/partners" in out.error
    assert "HTTP 503" in out.error and "after 3 attempts" in out.error
    assert "?" not in out.error and "per_page" not in out.error  # no query string
    assert len(api.requests) == 3 and sleeps == [0.001, 0.002]  # exponential
    landing = tmp_path / "landing"
    assert not (landing / "prm" / "2026-01-10").exists()
    assert read_state(landing, "prm") == {} and leftovers(landing) == []


def test_backoff_base_is_really_slept(api, tmp_path):
    calls = []

    def handler(req: Req) -> Reply:
        calls.append(1)
        return js({"e": 1}, 500) if len(calls) < 3 else js({"data": []})

    api.routes["/api/partners"] = handler
    specs = parse_config({"sources": {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})}}, {})
    started = time.monotonic()
    [out] = pull_all(specs, tmp_path / "landing", DAY, environ={})
    assert out.status == "ok" and len(calls) == 3
    assert time.monotonic() - started < 2


def test_404_fails_at_once_naming_table_path_and_status(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js({"error": "no such endpoint"}, 404)
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data", "pagination": PAGE,
                     "params": {"api_key_hint": "abc123"}}})})
    assert out.status == "failed"
    assert out.error.startswith("prm.partners: GET /api/partners page 1 failed: HTTP 404")
    assert "abc123" not in out.error and "?" not in out.error
    assert len(api.requests) == 1 and sleeps == []


def test_unreachable_source_is_a_clear_error(tmp_path, sleeps):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    specs = parse_config({"sources": {"crm": {
        "base_url": f"http://127.0.0.1:{port}", "max_attempts": 2, "backoff_base_seconds": 0,
        "tables": {"accounts": {"path": "/accounts", "since_param": "since"}}}}}, {})
    [out] = pull_all(specs, tmp_path / "landing", DAY, environ={}, sleep=sleeps.append)
    assert out.status == "failed"
    assert f"cannot connect to 127.0.0.1:{port}" in out.error and "after 2 attempts" in out.error
    assert sleeps == [0]


def test_timeout_is_retried(api, tmp_path, sleeps):
    calls = []

    def handler(req: Req) -> Reply:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.6)
        return js({"data": PARTNERS[:1]})

    api.routes["/api/partners"] = handler
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}}, timeout_seconds=0.2)})
    assert (out.status, out.records) == ("ok", 1) and len(sleeps) == 1


def test_non_json_page_fails_naming_table_and_page(api, tmp_path, sleeps):
    def handler(req: Req) -> Reply:
        if req.query["page"] == "1":
            return js({"data": PARTNERS[:2]})
        return 200, {"Content-Type": "text/html"}, b"<html>maintenance</html>"

    api.routes["/api/partners"] = handler
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data", "pagination": PAGE}})})
    assert out.status == "failed"
    assert "prm.partners" in out.error and "page 2" in out.error and "not JSON" in out.error
    landing = tmp_path / "landing"
    assert not (landing / "prm" / "2026-01-10").exists() and leftovers(landing) == []


def test_missing_records_key_fails_naming_key_and_page(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js({"results": PARTNERS})
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert out.status == "failed"
    assert "prm.partners: page 1: response has no records_key 'data'" in out.error
    assert "results" in out.error


def test_one_failing_table_does_not_stop_the_others(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js({"data": PARTNERS})
    [bad, good] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "support_cases": {"path": "/missing"},
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert (bad.table, bad.status) == ("support_cases", "failed") and "HTTP 404" in bad.error
    assert (good.table, good.status, good.records) == ("partners", "ok", 5)


def test_existing_drop_file_is_never_overwritten(api, tmp_path, sleeps):
    folder = tmp_path / "landing" / "prm" / "2026-01-10"
    folder.mkdir(parents=True)
    (folder / "partners.csv").write_text("partner_id\np9\n")
    api.routes["/api/partners"] = lambda req: js({"data": PARTNERS})
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert out.status == "failed" and "already exists" in out.error
    assert sorted(p.name for p in folder.iterdir()) == ["partners.csv"]
    assert api.requests == []


# --------------------------------------------------------------------------- incremental


def test_since_watermark_is_sent_next_time_and_advances_only_on_success(api, tmp_path, sleeps):
    fail = {"on": False}

    def handler(req: Req) -> Reply:
        if fail["on"]:
            return js({"error": "down"}, 500)
        since = req.query.get("updated_since")
        return js({"data": PARTNERS if since is None else PARTNERS[:1]})

    api.routes["/api/partners"] = handler
    sources = {"prm": source_cfg(api, {"partners": {
        "path": "/partners", "records_key": "data", "since_param": "updated_since"}})}
    landing = tmp_path / "landing"

    [first] = run(tmp_path, sleeps, sources, clock=T1, day=DAY)
    assert "updated_since" not in api.requests[0].query  # first pull carries history
    assert first.records == 5
    assert read_state(landing, "prm")["partners"]["watermark"] == "2026-01-10T06:00:00Z"

    [second] = run(tmp_path, sleeps, sources, clock=T2, day=DAY + dt.timedelta(days=1))
    assert api.requests[-1].query["updated_since"] == "2026-01-10T06:00:00Z"
    assert second.records == 1
    assert read_state(landing, "prm")["partners"]["watermark"] == "2026-01-11T06:00:00Z"

    fail["on"] = True
    [third] = run(tmp_path, sleeps, sources, clock=T2 + dt.timedelta(days=1),
                  day=DAY + dt.timedelta(days=2))
    assert third.status == "failed"
    assert api.requests[-1].query["updated_since"] == "2026-01-11T06:00:00Z"
    assert read_state(landing, "prm")["partners"]["watermark"] == "2026-01-11T06:00:00Z"
    assert not (landing / "prm" / "2026-01-12").exists()
    # The state file and temp files are invisible to the landing sensor and the loader.
    assert sorted(drop_fingerprint(landing)) == [
        "prm/2026-01-10/partners.jsonl", "prm/2026-01-11/partners.jsonl"]


def test_no_changes_writes_no_file_but_advances_the_watermark(api, tmp_path, sleeps):
    api.routes["/api/partners"] = lambda req: js({"data": []})
    sources = {"prm": source_cfg(api, {"partners": {
        "path": "/partners", "records_key": "data", "since_param": "updated_since"}})}
    [out] = run(tmp_path, sleeps, sources)
    assert (out.status, out.records, out.path) == ("ok", 0, None)
    assert read_state(tmp_path / "landing", "prm")["partners"]["watermark"] == (
        "2026-01-10T06:00:00Z")
    assert not (tmp_path / "landing" / "prm" / "2026-01-10").exists()


# --------------------------------------------------------------------------- config


def _config_error(sources, environ=None) -> str:
    with pytest.raises(HttpConfigError) as info:
        parse_config({"sources": sources}, environ or {})
    return str(info.value)


def test_config_errors_name_source_table_and_field():
    msg = _config_error({
        "erp": {"base_url": "http://x", "tables": {"a": {"path": "/a"}}},
        "prm": {"tables": {
            "partnerz": {"path": "/p"},
            "partners": {"path": "/p", "pagination": {"kind": "offset"}},
            "support_cases": {"path": "/s", "pagination": {"kind": "page"}},
            "mdf_requests": {"path": "/m", "pagination": {"kind": "cursor"}},
            "deal_registrations": {"path": "/d", "record_key": "data"},
        }, "auth": {"bearer_token_env": "PP_UNSET_TOKEN_VAR"}},
    })
    assert "source 'erp': unknown source" in msg
    assert "source 'prm': missing required field 'base_url'" in msg
    assert "source 'prm' table 'partnerz': unknown table of source prm" in msg
    assert "source 'prm' table 'partners'.pagination: unknown kind 'offset'" in msg
    assert "table 'support_cases'.pagination: page pagination needs 'page_size'" in msg
    assert "table 'mdf_requests'.pagination: missing required field 'cursor_param'" in msg
    assert "table 'deal_registrations': unknown field 'record_key'" in msg
    assert ("source 'prm'.auth: bearer_token_env names environment variable "
            "PP_UNSET_TOKEN_VAR, which is not set") in msg


def test_config_rejects_secrets_in_the_config_itself():
    msg = _config_error({"prm": {
        "base_url": "https://user:pw@prm.example.com", "headers": {"Authorization": "x"},
        "tables": {"partners": {"path": "/p?token=abc"}}}})
    assert "must not embed credentials" in msg
    assert "header 'Authorization' looks like a credential" in msg
    assert "without query string" in msg


def test_config_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(HttpConfigError, match="bad.json is not valid JSON"):
        load_config(bad)
    with pytest.raises(HttpConfigError, match="cannot read"):
        load_config(tmp_path / "missing.json")


def test_example_config_is_valid():
    env = {"PARTNER_PULSE_PRM_TOKEN": "t", "PARTNER_PULSE_LMS_USER": "u",
           "PARTNER_PULSE_LMS_PASSWORD": "p"}
    sources = load_config(REPO / "ingestion" / "http_sources.example.json", env)
    assert {f"{s.name}.{t.name}" for s in sources for t in s.tables} == {
        "prm.partners", "prm.deal_registrations", "prm.portal_events", "lms.courses"}
    with pytest.raises(HttpConfigError, match="PARTNER_PULSE_PRM_TOKEN"):
        load_config(REPO / "ingestion" / "http_sources.example.json", {})


def test_cli_config_error_exits_2(tmp_path, capsys):
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"sources": {"prm": {"tables": {}}}}))
    assert pull_cli.main(["--config", str(config), "--out", str(tmp_path)]) == 2
    assert "base_url" in capsys.readouterr().err


# --------------------------------------------------------------------------- end to end


def test_pulled_drop_loads_into_raw_and_quarantine(api, tmp_path, sleeps):
    records = [partner("p1"), partner("p2", tier=" Silver ", partner_code="X-2"),
               partner("p3", tier="diamond")]
    api.routes["/api/partners"] = lambda req: js({"data": records})
    [out] = run(tmp_path, sleeps, {"prm": source_cfg(api, {
        "partners": {"path": "/partners", "records_key": "data"}})})
    assert out.status == "ok"
    table = get_table("prm", "partners")
    landing = tmp_path / "landing"
    assert [f.path for f in table_drop_files(landing, table)] == [out.path]
    con = connect(tmp_path / "w.duckdb")
    try:
        [result] = load_table(con, landing, table, dt.datetime(2026, 1, 10, 12, 0, 0))
        assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == (
            "loaded", 3, 2, 1)
        assert result.drift_columns == ("partner_code",)  # recorded as drift, not dropped
        raw = con.execute("select partner_id, tier, partner_code from raw_prm.partners "
                          "order by partner_id").fetchall()
        assert raw == [("p1", "gold", None), ("p2", "silver", "X-2")]
        [(pid, tier, reason)] = con.execute(
            "select partner_id, tier, _reason from quarantine.prm__partners").fetchall()
        assert (pid, tier) == ("p3", "diamond") and "tier" in reason
    finally:
        con.close()
