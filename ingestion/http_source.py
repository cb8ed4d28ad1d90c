"""HTTP API source connector: pull raw tables from a REST API into a normal file drop.

Each configured table is fetched page by page with `requests` and written as
`landing/<source>/<YYYY-MM-DD>/<table>.jsonl` — one JSON object per line, exactly the
records the API returned (no column is dropped, renamed or fixed: the loader validates,
records drift and quarantines like for any other drop).

Guarantees (DESIGN sections 2 and 7):

* atomic drop files: records stream into a temp file beside the dated folders (never inside
  one, so the landing sensor cannot see it) and are moved into place with `os.replace` only
  when the table's pull has completed;
* incremental pulls: with `since_param`, the watermark sent is the start time of the previous
  successful pull of that table, kept in `landing/<source>/_http_state.json` and advanced only
  after the table's drop file is in place — a failed pull writes nothing and keeps the state;
* secrets come from environment variables named in the config; their values are never
  stored in the config objects, logged, or put in an error message;
* 429 (honouring Retry-After), 5xx, connection errors and timeouts are retried with bounded
  exponential backoff; any other 4xx fails the table at once, naming source, table, URL
  path and status (never the query string).

No dagster import: the CLI is `python -m ingestion.pull`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import HTTPBasicAuth

from ingestion.contract import FILE_FORMATS, SOURCES, tables_for
from ingestion.settings import ConfigError

log = logging.getLogger(__name__)

PAGINATION_KINDS = ("none", "page", "cursor", "link")
STATE_FILE = "_http_state.json"
WATERMARK_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_BASE_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
MAX_RETRY_AFTER_SECONDS = 300.0
DEFAULT_MAX_PAGES = 100_000
USER_AGENT = "partner-pulse-http-source/0.1"

Sleep = Callable[[float], None]
Clock = Callable[[], dt.datetime]


class HttpConfigError(ConfigError):
    """An HTTP source config that cannot be used; the message names source, table and field."""


class PullError(RuntimeError):
    """One table's pull failed; nothing was written for it and its state was kept."""


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Auth:
    """Names of the environment variables holding credentials — never the values."""

    kind: str  # bearer | basic
    token_env: str | None = None
    user_env: str | None = None
    password_env: str | None = None

    @property
    def env_vars(self) -> tuple[str, ...]:
        names = (self.token_env, self.user_env, self.password_env)
        return tuple(n for n in names if n)


@dataclass(frozen=True)
class Pagination:
    kind: str = "none"  # none | page | cursor | link
    page_param: str = "page"
    page_size_param: str | None = None
    page_size: int | None = None
    first_page: int = 1
    cursor_param: str | None = None
    next_cursor_key: str | None = None
    next_key: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    path: str
    records_key: str | None = None
    pagination: Pagination = field(default_factory=Pagination)
    since_param: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    max_pages: int = DEFAULT_MAX_PAGES


@dataclass(frozen=True)
class SourceSpec:
    name: str
    base_url: str
    tables: tuple[TableSpec, ...]
    auth: Auth | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_base_seconds: float = DEFAULT_BACKOFF_BASE_SECONDS
    since_lookback_seconds: float = 0.0
    headers: Mapping[str, str] = field(default_factory=dict)


_SOURCE_KEYS = {"base_url", "auth", "timeout_seconds", "max_attempts", "backoff_base_seconds",
                "since_lookback_seconds", "headers", "tables"}
_AUTH_KEYS = {"bearer_token_env", "basic_user_env", "basic_password_env"}
_TABLE_KEYS = {"path", "records_key", "pagination", "since_param", "params", "max_pages"}
_PAGINATION_KEYS = {
    "none": {"kind"},
    "page": {"kind", "page_param", "page_size_param", "page_size", "first_page"},
    "cursor": {"kind", "cursor_param", "next_cursor_key", "page_size_param", "page_size"},
    "link": {"kind", "next_key", "page_size_param", "page_size"},
}
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key"}


class _Errors:
    """Collects every problem of a config, so one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def raise_if_any(self, origin: str) -> None:
        if self.items:
            lines = "\n  - ".join(self.items)
            raise HttpConfigError(f"invalid HTTP source config {origin}:\n  - {lines}")


def _unknown_keys(obj: Mapping[str, Any], allowed: set[str], where: str, errors: _Errors):
    for key in sorted(set(obj) - allowed):
        errors.add(where, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")


def _str(obj: Mapping[str, Any], key: str, where: str, errors: _Errors, *,
         required: bool = False, default: str | None = None) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            errors.add(where, f"missing required field {key!r}")
        return default
    if not isinstance(value, str) or not value.strip():
        errors.add(where, f"{key!r} must be a non-empty string, got {value!r}")
        return default
    return value


def _number(obj: Mapping[str, Any], key: str, where: str, errors: _Errors, default: float, *,
            integer: bool = False, minimum: float = 0.0, exclusive: bool = True) -> Any:
    value = obj.get(key)
    if value is None:
        return default
    ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
    ok_type = ok_type and not isinstance(value, bool)
    if not ok_type or (value <= minimum if exclusive else value < minimum):
        kind = "an integer" if integer else "a number"
        bound = f"> {minimum:g}" if exclusive else f">= {minimum:g}"
        errors.add(where, f"{key!r} must be {kind} {bound}, got {value!r}")
        return default
    return value


def _string_map(obj: Mapping[str, Any], key: str, where: str, errors: _Errors) -> dict[str, str]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        errors.add(where, f"{key!r} must be an object of string/number values")
        return {}
    return {k: str(v) for k, v in value.items()}


def _parse_auth(raw: Any, where: str, errors: _Errors, environ: Mapping[str, str]) -> Auth | None:
    if raw is None:
        return None
    where = f"{where}.auth"
    if not isinstance(raw, dict):
        errors.add(where, "must be an object with bearer_token_env or basic_user_env + "
                          "basic_password_env (names of environment variables)")
        return None
    _unknown_keys(raw, _AUTH_KEYS, where, errors)
    token = _str(raw, "bearer_token_env", where, errors)
    user = _str(raw, "basic_user_env", where, errors)
    password = _str(raw, "basic_password_env", where, errors)
    if token and (user or password):
        errors.add(where, "use either bearer_token_env or basic_user_env/basic_password_env")
        return None
    if bool(user) != bool(password):
        errors.add(where, "basic auth needs both basic_user_env and basic_password_env")
        return None
    if not (token or user):
        errors.add(where, "names no credential variable (bearer_token_env or basic_*_env)")
        return None
    auth = Auth("bearer", token_env=token) if token else Auth(
        "basic", user_env=user, password_env=password)
    for fld, name in (("bearer_token_env", token), ("basic_user_env", user),
                      ("basic_password_env", password)):
        if name and not environ.get(name):
            errors.add(where, f"{fld} names environment variable {name}, which is not set")
    return auth


def _parse_pagination(raw: Any, where: str, errors: _Errors) -> Pagination:
    if raw is None:
        return Pagination()
    where = f"{where}.pagination"
    if isinstance(raw, str):
        raw = {"kind": raw}
    if not isinstance(raw, dict):
        errors.add(where, f"must be an object with a 'kind' ({', '.join(PAGINATION_KINDS)})")
        return Pagination()
    kind = raw.get("kind", "none")
    if kind not in PAGINATION_KINDS:
        errors.add(where, f"unknown kind {kind!r}; expected one of {', '.join(PAGINATION_KINDS)}")
        return Pagination()
    _unknown_keys(raw, _PAGINATION_KEYS[kind], where, errors)
    size_param = _str(raw, "page_size_param", where, errors)
    size = _number(raw, "page_size", where, errors, None, integer=True)
    if kind == "page":
        page_param = _str(raw, "page_param", where, errors, default="page") or "page"
        if size is None:
            errors.add(where, "page pagination needs 'page_size' (a short page ends the pull)")
        first = _number(raw, "first_page", where, errors, 1, integer=True, exclusive=False)
        return Pagination("page", page_param=page_param, page_size_param=size_param,
                          page_size=size, first_page=first)
    if size is not None and size_param is None:
        errors.add(where, "'page_size' needs 'page_size_param' (the query parameter to send)")
    if kind == "cursor":
        return Pagination(
            "cursor", page_size_param=size_param, page_size=size,
            cursor_param=_str(raw, "cursor_param", where, errors, required=True),
            next_cursor_key=_str(raw, "next_cursor_key", where, errors, required=True),
        )
    if kind == "link":
        return Pagination("link", page_size_param=size_param, page_size=size,
                          next_key=_str(raw, "next_key", where, errors, default="next"))
    return Pagination("none")


def _parse_table(name: str, raw: Any, where: str, errors: _Errors) -> TableSpec | None:
    if not isinstance(raw, dict):
        errors.add(where, "must be an object with at least 'path'")
        return None
    _unknown_keys(raw, _TABLE_KEYS, where, errors)
    path = _str(raw, "path", where, errors, required=True) or "/"
    records_key = raw.get("records_key")
    if records_key is not None and (not isinstance(records_key, str) or not records_key):
        errors.add(where, f"'records_key' must be a string or null, got {records_key!r}")
        records_key = None
    if urlsplit(path).query or urlsplit(path).scheme:
        errors.add(where, f"'path' must be a path without query string or host, got {path!r}; "
                          "put fixed query parameters in 'params'")
    return TableSpec(
        name=name,
        path=path,
        records_key=records_key,
        pagination=_parse_pagination(raw.get("pagination"), where, errors),
        since_param=_str(raw, "since_param", where, errors),
        params=_string_map(raw, "params", where, errors),
        max_pages=_number(raw, "max_pages", where, errors, DEFAULT_MAX_PAGES, integer=True),
    )


def _check_base_url(url: str | None, where: str, errors: _Errors) -> None:
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors.add(where, f"'base_url' must be an http(s) URL with a host, got {url!r}")
    elif parts.username or parts.password:
        errors.add(where, "'base_url' must not embed credentials; name environment variables "
                          "in 'auth' instead")
    elif parts.query or parts.fragment:
        errors.add(where, "'base_url' must not carry a query string or fragment; use a "
                          "table's 'params'")


def _parse_source(name: str, raw: Any, errors: _Errors,
                  environ: Mapping[str, str]) -> SourceSpec | None:
    where = f"source {name!r}"
    if name not in SOURCES:
        errors.add(where, f"unknown source; known sources: {', '.join(SOURCES)}")
        return None
    if not isinstance(raw, dict):
        errors.add(where, "must be an object with 'base_url' and 'tables'")
        return None
    _unknown_keys(raw, _SOURCE_KEYS, where, errors)
    base_url = _str(raw, "base_url", where, errors, required=True)
    _check_base_url(base_url, where, errors)
    headers = _string_map(raw, "headers", where, errors)
    for header in headers:
        if header.lower() in _SECRET_HEADERS:
            errors.add(where, f"header {header!r} looks like a credential; name an environment "
                              "variable in 'auth' instead of putting secrets in the config")
    known = [t.name for t in tables_for(name)]
    tables_raw = raw.get("tables")
    tables: list[TableSpec] = []
    if not isinstance(tables_raw, dict) or not tables_raw:
        errors.add(where, "'tables' must be a non-empty object {table: {path: ...}}")
    else:
        for table_name, table_raw in tables_raw.items():
            t_where = f"source {name!r} table {table_name!r}"
            if table_name not in known:
                errors.add(t_where, f"unknown table of source {name}; known: {', '.join(known)}")
                continue
            spec = _parse_table(table_name, table_raw, t_where, errors)
            if spec is not None:
                tables.append(spec)
    return SourceSpec(
        name=name,
        base_url=base_url or "",
        tables=tuple(tables),
        auth=_parse_auth(raw.get("auth"), where, errors, environ),
        timeout_seconds=_number(raw, "timeout_seconds", where, errors, DEFAULT_TIMEOUT_SECONDS),
        max_attempts=_number(raw, "max_attempts", where, errors, DEFAULT_MAX_ATTEMPTS,
                             integer=True),
        backoff_base_seconds=_number(raw, "backoff_base_seconds", where, errors,
                                     DEFAULT_BACKOFF_BASE_SECONDS, exclusive=False),
        since_lookback_seconds=_number(raw, "since_lookback_seconds", where, errors, 0.0,
                                       exclusive=False),
        headers=headers,
    )


def parse_config(data: Any, environ: Mapping[str, str] | None = None,
                 origin: str = "") -> tuple[SourceSpec, ...]:
    """Validate a config document; raises HttpConfigError listing every problem found."""
    env = os.environ if environ is None else environ
    errors = _Errors()
    sources: list[SourceSpec] = []
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        errors.add("config", "top level must be an object {\"sources\": {<source>: {...}}}")
    else:
        _unknown_keys(data, {"sources", "$comment"}, "config", errors)
        if not data["sources"]:
            errors.add("config", "'sources' is empty")
        for name, raw in data["sources"].items():
            spec = _parse_source(name, raw, errors, env)
            if spec is not None:
                sources.append(spec)
    errors.raise_if_any(origin or "(in memory)")
    return tuple(sources)


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> tuple[SourceSpec, ...]:
    """Read and validate a JSON config file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HttpConfigError(f"cannot read HTTP source config {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HttpConfigError(
            f"HTTP source config {path} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from None
    return parse_config(data, environ, str(path))


# --------------------------------------------------------------------------- small helpers


def table_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def url_path(url: str) -> str:
    """The path of a URL — what error messages show (never the query string)."""
    return urlsplit(url).path or "/"


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def dig(body: Any, dotted_key: str) -> tuple[bool, Any]:
    """(found, value) of `a.b.c` inside nested objects."""
    value = body
    for part in dotted_key.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, base: float, retry_after: float | None = None) -> float:
    """Wait before retry `attempt` (1 = first retry): Retry-After if given, else base·2^(n−1)."""
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER_SECONDS)
    return min(base * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)


def format_watermark(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime(WATERMARK_FORMAT)


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if len(secret) >= 4:  # scrubbing a 1-3 character value would mangle every message
            text = text.replace(secret, "***")
    return text


# --------------------------------------------------------------------------- state


def state_path(landing: Path, source: str) -> Path:
    return landing / source / STATE_FILE


def read_state(landing: Path, source: str) -> dict[str, Any]:
    """{table: {watermark, ...}} of a source; {} before the first pull."""
    path = state_path(landing, source)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PullError(f"{path}: cannot read the HTTP pull state ({exc}); fix or remove it "
                        "(removing it makes the next pull fetch full history)") from None
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        raise PullError(f"{path}: HTTP pull state has no 'tables' object; fix or remove it")
    return tables


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_table_state(landing: Path, source: str, table: str, entry: dict[str, Any]) -> None:
    """Record one table's successful pull (atomic; other tables' entries are kept)."""
    tables = read_state(landing, source)
    tables[table] = entry
    body = json.dumps({"version": 1, "tables": tables}, indent=2, sort_keys=True) + "\n"
    _atomic_write_text(state_path(landing, source), body)


# --------------------------------------------------------------------------- fetching


@dataclass
class _Context:
    """What one table's requests share; `secrets` are only used to scrub messages."""

    source: SourceSpec
    table: TableSpec
    session: requests.Session
    sleep: Sleep
    secrets: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.source.name}.{self.table.name}"

    def fail(self, message: str) -> PullError:
        return PullError(_redact(f"{self.label}: {message}", self.secrets))


def make_session(source: SourceSpec, environ: Mapping[str, str] | None = None
                 ) -> tuple[requests.Session, tuple[str, ...]]:
    """A session carrying the source's headers and credentials (read from the environment
    now), plus the secret values — used only to scrub messages."""
    env = os.environ if environ is None else environ
    session = requests.Session()
    session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
    session.headers.update(dict(source.headers))
    auth = source.auth
    if auth is None:
        return session, ()
    missing = [name for name in auth.env_vars if not env.get(name)]
    if missing:
        session.close()
        raise PullError(f"source {source.name}: environment variable(s) {', '.join(missing)} "
                        "named in auth are not set")
    if auth.kind == "bearer":
        token = env[auth.token_env or ""]
        session.headers["Authorization"] = f"Bearer {token}"
        return session, (token,)
    password = env[auth.password_env or ""]
    session.auth = HTTPBasicAuth(env[auth.user_env or ""], password)
    return session, (password,)


def _get_json(ctx: _Context, url: str, params: Mapping[str, str] | None, page: int) -> Any:
    """GET with bounded retries; returns the decoded JSON body."""
    path = url_path(url)
    attempts = ctx.source.max_attempts
    last = ""
    for attempt in range(1, attempts + 1):
        retry_after: float | None = None
        try:
            resp = ctx.session.get(url, params=params, timeout=ctx.source.timeout_seconds)
        except requests.Timeout:
            last = f"timed out after {ctx.source.timeout_seconds:g} s"
        except requests.ConnectionError as exc:
            host = urlsplit(url).netloc
            last = f"cannot connect to {host} ({_connection_reason(exc)})"
        except requests.RequestException as exc:
            raise ctx.fail(f"GET {path} page {page}: request failed ({type(exc).__name__})"
                           ) from None
        else:
            status = resp.status_code
            if 200 <= status < 300:
                try:
                    return resp.json()
                except ValueError:
                    ctype = resp.headers.get("Content-Type", "unknown")
                    raise ctx.fail(f"GET {path} page {page}: response body is not JSON "
                                   f"(HTTP {status}, Content-Type {ctype})") from None
            if status == 429 or status >= 500:
                last = f"HTTP {status} {resp.reason or ''}".strip()
                if status == 429:
                    retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            else:
                hint = ""
                if status in (401, 403) and ctx.source.auth is not None:
                    hint = (f" (check the credentials in environment variable(s) "
                            f"{', '.join(ctx.source.auth.env_vars)})")
                raise ctx.fail(f"GET {path} page {page} failed: HTTP {status} "
                               f"{resp.reason or ''}".rstrip() + hint)
            resp.close()
        if attempt < attempts:
            delay = backoff_delay(attempt, ctx.source.backoff_base_seconds, retry_after)
            log.warning("%s", _redact(
                f"{ctx.label}: GET {path} page {page}: {last}; retry {attempt}/{attempts - 1} "
                f"in {delay:g} s", ctx.secrets))
            ctx.sleep(delay)
    raise ctx.fail(f"GET {path} page {page} failed after {attempts} attempts: {last}")


def _connection_reason(exc: requests.ConnectionError) -> str:
    """A short reason without the URL (requests' message embeds the query string)."""
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", None)
    if reason is not None:
        text = str(reason)
        # urllib3: "<NewConnectionError object at 0x..>: Failed to establish ... : [Errno 111] ..."
        return text.split(": ", 1)[-1] if ": " in text else type(reason).__name__
    return type(exc).__name__


def _records(ctx: _Context, body: Any, page: int) -> list[dict[str, Any]]:
    key = ctx.table.records_key
    if key is None:
        records = body
        where = "the response body"
    else:
        found, records = dig(body, key)
        if not found:
            keys = sorted(body) if isinstance(body, dict) else type(body).__name__
            raise ctx.fail(f"page {page}: response has no records_key {key!r} "
                           f"(top-level keys: {keys})")
        where = f"records_key {key!r}"
    if not isinstance(records, list):
        raise ctx.fail(f"page {page}: {where} is a {type(records).__name__}, expected a list "
                       "of records")
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise ctx.fail(f"page {page}: record {i} under {where} is a "
                           f"{type(rec).__name__}, expected a JSON object")
    return records


def iter_pages(ctx: _Context, since: str | None) -> Iterator[list[dict[str, Any]]]:
    """Yield each page's records, following the table's pagination."""
    table, pag = ctx.table, ctx.table.pagination
    url = table_url(ctx.source.base_url, table.path)
    params: dict[str, str] = dict(table.params)
    if since is not None and table.since_param:
        params[table.since_param] = since
    if pag.page_size is not None and pag.page_size_param:
        params[pag.page_size_param] = str(pag.page_size)
    seen: set[str] = set()
    next_url: str | None = url
    page = 0
    while True:
        page += 1
        if page > table.max_pages:
            raise ctx.fail(f"more than max_pages={table.max_pages} pages; is pagination "
                           "configured right?")
        if pag.kind == "page":
            params[pag.page_param] = str(pag.first_page + page - 1)
        if pag.kind == "link" and page > 1:
            assert next_url is not None
            body = _get_json(ctx, next_url, None, page)
        else:
            body = _get_json(ctx, url, params, page)
        records = _records(ctx, body, page)
        yield records
        if pag.kind == "none":
            return
        if pag.kind == "page":
            if len(records) < (pag.page_size or 1):
                return
            continue
        key = pag.next_cursor_key if pag.kind == "cursor" else pag.next_key
        _, nxt = dig(body, key or "")
        if nxt in (None, ""):
            return
        if not isinstance(nxt, str | int):
            raise ctx.fail(f"page {page}: {key!r} is a {type(nxt).__name__}, expected a "
                           "string")
        nxt = str(nxt)
        if nxt in seen:
            raise ctx.fail(f"page {page}: {key!r} repeats an earlier value; stopping to avoid "
                           "an endless loop")
        seen.add(nxt)
        if pag.kind == "cursor":
            params[pag.cursor_param or ""] = nxt
        else:
            next_url = urljoin(next_url or url, nxt)
            if not same_origin(next_url, url):
                raise ctx.fail(f"page {page}: next link points to another host "
                               f"({urlsplit(next_url).netloc}); refusing to send credentials "
                               "there")


# --------------------------------------------------------------------------- one table


@dataclass
class TableOutcome:
    source: str
    table: str
    status: str  # ok | failed
    pages: int = 0
    records: int = 0
    path: Path | None = None
    watermark: str | None = None
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.source}.{self.table}"


def drop_file_path(landing: Path, source: str, table: str, drop_date: dt.date) -> Path:
    return landing / source / drop_date.isoformat() / f"{table}.jsonl"


def _check_target_free(ctx: _Context, target: Path) -> None:
    """Refuse to replace a drop file: an unloaded earlier drop would lose its records."""
    taken = [target.with_name(f"{ctx.table.name}.{ext}") for ext in FILE_FORMATS]
    present = [p for p in taken if p.exists()]
    if present:
        raise ctx.fail(f"{present[0]} already exists; refusing to overwrite a drop (its "
                       "records may not be loaded yet) — pull into another --date")


def pull_table(
    source: SourceSpec,
    table: TableSpec,
    landing: Path,
    drop_date: dt.date,
    session: requests.Session,
    *,
    secrets: tuple[str, ...] = (),
    sleep: Sleep = time.sleep,
    clock: Clock | None = None,
) -> TableOutcome:
    """Pull one table into its drop file; raises PullError (and writes nothing) on failure."""
    ctx = _Context(source, table, session, sleep, secrets)
    target = drop_file_path(landing, source.name, table.name, drop_date)
    _check_target_free(ctx, target)
    state = read_state(landing, source.name).get(table.name) or {}
    since = None
    if table.since_param and state.get("watermark"):
        since = state["watermark"]
        if source.since_lookback_seconds:
            try:
                at = dt.datetime.strptime(since, WATERMARK_FORMAT)
            except ValueError:
                raise ctx.fail(f"{state_path(landing, source.name)}: watermark {since!r} is "
                               f"not {WATERMARK_FORMAT}; fix or remove it") from None
            since = format_watermark(at - dt.timedelta(seconds=source.since_lookback_seconds))
    started = (clock or (lambda: dt.datetime.now(dt.UTC)))()
    outcome = TableOutcome(source.name, table.name, "ok", watermark=format_watermark(started))
    # The temp file lives in landing/<source>/, outside every dated folder: invisible to the
    # landing sensor and the loader, and on the same filesystem for an atomic os.replace.
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent.parent / f".{table.name}.{drop_date.isoformat()}.{os.getpid()}.tmp"
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for records in iter_pages(ctx, since):
                outcome.pages += 1
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
                    fh.write("\n")
                outcome.records += len(records)
            fh.flush()
            os.fsync(fh.fileno())
        if outcome.records:
            target.parent.mkdir(parents=True, exist_ok=True)
            _check_target_free(ctx, target)
            os.replace(tmp, target)
            outcome.path = target
    except OSError as exc:
        raise ctx.fail(f"cannot write the drop file {target}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    write_table_state(landing, source.name, table.name, {
        "watermark": outcome.watermark,
        "since_sent": since,
        "drop_date": drop_date.isoformat(),
        "file": str(target.relative_to(landing)) if outcome.path else None,
        "pages": outcome.pages,
        "records": outcome.records,
    })
    return outcome


def pull_source(
    source: SourceSpec,
    landing: Path,
    drop_date: dt.date,
    *,
    tables: set[str] | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock | None = None,
) -> list[TableOutcome]:
    """Pull every table of a source; one table's failure does not stop the others."""
    chosen = [t for t in source.tables if tables is None or t.name in tables]
    try:
        session, secrets = make_session(source, environ)
    except PullError as exc:
        return [TableOutcome(source.name, t.name, "failed", error=str(exc)) for t in chosen]
    outcomes = []
    with session:
        for table in chosen:
            try:
                outcome = pull_table(source, table, landing, drop_date, session,
                                     secrets=secrets, sleep=sleep, clock=clock)
            except PullError as exc:
                outcome = TableOutcome(source.name, table.name, "failed",
                                       error=_redact(str(exc), secrets))
            outcomes.append(outcome)
    return outcomes


def pull_all(
    sources: tuple[SourceSpec, ...],
    landing: Path,
    drop_date: dt.date,
    *,
    only: set[str] | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock | None = None,
) -> list[TableOutcome]:
    """Pull every configured table (or only `source.table` keys in `only`)."""
    outcomes: list[TableOutcome] = []
    for source in sources:
        tables = None
        if only is not None:
            tables = {t.name for t in source.tables if f"{source.name}.{t.name}" in only}
            if not tables:
                continue
        outcomes += pull_source(source, landing, drop_date, tables=tables, environ=environ,
                                sleep=sleep, clock=clock)
    return outcomes
