"""Each defect class of DESIGN section 2 reaches its destination, and nothing is lost."""

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingestion.contract import get_table
from ingestion.loader import LoadError, load_table
from ingestion.warehouse import connect

LOADED_AT = dt.datetime(2026, 1, 10, 12, 0, 0)
OPP_HEADER = (
    "opportunity_id,account_id,stage,amount,currency,created_at,close_date,"
    "is_closed,is_won,updated_at,is_deleted"
)


def opp(oid, *, account="a1", stage="proposal", amount="100", currency="USD",
        created="2025-06-01T10:00:00Z", close="2025-09-30", closed="false", won="false",
        updated="2025-06-01T10:00:00Z", deleted="false") -> str:
    return ",".join([oid, account, stage, amount, currency, created, close, closed, won,
                     updated, deleted])


def write(landing: Path, source: str, day: str, name: str, text: str) -> Path:
    folder = landing / source / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "build.duckdb")
    yield c
    c.close()


def load(con, landing, source, table):
    return load_table(con, landing, get_table(source, table), LOADED_AT)


def quarantined(con, name):
    return con.execute(f"select * from quarantine.{name}").fetchdf()


def raw(con, relation, where="true"):
    return con.execute(f"select * from {relation} where {where}").fetchdf()


def load_opps(con, tmp_path, rows):
    landing = tmp_path / "landing"
    write(landing, "crm", "2026-01-09", "opportunities.csv", "\n".join([OPP_HEADER, *rows]) + "\n")
    return load(con, landing, "crm", "opportunities")


def reason_of(con, oid):
    q = quarantined(con, "crm__opportunities")
    return q.loc[q.opportunity_id == oid, "_reason"].item()


def test_duplicate_id_with_later_update_keeps_both_versions(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1"), opp("o1", stage="closed_won", closed="true", won="true",
                                             updated="2025-07-01T00:00:00Z")])
    df = raw(con, "raw_crm.opportunities")
    assert sorted(df.stage) == ["closed_won", "proposal"]


def test_soft_delete_goes_to_raw(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", deleted="true")])
    assert raw(con, "raw_crm.opportunities").is_deleted.tolist() == [True]


def test_null_required_foreign_key_is_quarantined(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", account="")])
    assert reason_of(con, "o1") == "account_id: required value missing"
    assert raw(con, "raw_crm.opportunities").empty


def test_unknown_foreign_key_goes_to_raw(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", account="acct-does-not-exist")])
    assert raw(con, "raw_crm.opportunities").account_id.tolist() == ["acct-does-not-exist"]


def test_negative_amount_is_quarantined_with_original_value(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", amount="-250.5"), opp("o2")])
    assert reason_of(con, "o1").startswith("amount: out of range, must be >= 0")
    q = quarantined(con, "crm__opportunities")
    assert q.amount.tolist() == ["-250.5"]  # the original text, not a cast value
    assert raw(con, "raw_crm.opportunities").opportunity_id.tolist() == ["o2"]


def test_unknown_currency_is_quarantined(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", currency="XYZ")])
    assert reason_of(con, "o1") == "currency: not an allowed value ('XYZ')"


def test_future_event_timestamp_is_quarantined_but_planned_date_is_not(con, tmp_path):
    load_opps(con, tmp_path, [
        opp("late", created="2026-03-01T00:00:00Z"),
        opp("ok", created="2026-01-11T11:00:00Z", close="2027-12-31"),  # within +1 day
    ])
    assert reason_of(con, "late").startswith("created_at: timestamp in the future")
    assert raw(con, "raw_crm.opportunities").opportunity_id.tolist() == ["ok"]


def test_messy_categorical_values_are_normalized(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", stage=" Closed_WON ", currency=" usd",
                                  closed="true", won="true")])
    df = raw(con, "raw_crm.opportunities")
    assert (df.stage.item(), df.currency.item()) == ("closed_won", "USD")


def test_second_timestamp_format_is_parsed_and_garbage_is_quarantined(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", created="03/04/2025 14:05"),
                              opp("o2", created="yesterday-ish")])
    created = raw(con, "raw_crm.opportunities").created_at.item()
    assert created == dt.datetime(2025, 3, 4, 14, 5)
    assert reason_of(con, "o2") == "created_at: cannot parse as ts ('yesterday-ish')"


def test_text_in_numeric_column_quarantines_that_row_only(con, tmp_path):
    rows = [opp("o1", amount='"12,500.00 USD"'), opp("o2"), opp("o3")]
    results = load_opps(con, tmp_path, rows)
    assert reason_of(con, "o1") == "amount: cannot parse as float ('12,500.00 USD')"
    assert sorted(raw(con, "raw_crm.opportunities").opportunity_id) == ["o2", "o3"]
    assert (results[0].rows_in, results[0].rows_loaded, results[0].rows_quarantined) == (3, 2, 1)


def test_several_failures_on_one_row_are_all_named(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", amount="-1", currency="ZZZ")])
    reason = reason_of(con, "o1")
    assert "amount: out of range" in reason and "currency: not an allowed value" in reason


def test_empty_file_loads_zero_rows_with_a_warning_in_the_ledger(con, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "lms", "2026-01-09", "courses.csv", "")
    [result] = load(con, landing, "lms", "courses")
    assert (result.status, result.rows_in) == ("empty", 0)
    status, message = con.execute(
        "select status, message from meta.load_ledger where table_name = 'courses'"
    ).fetchone()
    assert status == "empty" and "empty file" in message


@pytest.mark.parametrize("name,text", [("surveys.json", "[]\n"), ("invitations.json", "  ")])
def test_empty_json_export_loads_zero_rows(con, tmp_path, name, text):
    landing = tmp_path / "landing"
    write(landing, "survey", "2026-01-09", name, text)
    [result] = load(con, landing, "survey", name.split(".")[0])
    assert (result.status, result.rows_in) == ("empty", 0)


def test_extra_column_is_recorded_as_drift_and_loaded(con, tmp_path):
    landing = tmp_path / "landing"
    header = "account_id,name,industry,region,country,employee_band,created_at,updated_at," \
             "is_deleted,segment_code"
    row = "a1,Acme,software,emea,DE,51-200,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z,false,S7"
    write(landing, "crm", "2026-01-09", "accounts.csv", f"{header}\n{row}\n")
    [result] = load(con, landing, "crm", "accounts")
    assert result.drift_columns == ("segment_code",)
    assert raw(con, "raw_crm.accounts").segment_code.tolist() == ["S7"]
    drift = con.execute("select drift_columns from meta.load_ledger").fetchone()[0]
    assert drift == "segment_code"


def test_missing_required_column_fails_that_table_and_keeps_earlier_loads(con, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "crm", "2026-01-08", "opportunities.csv", f"{OPP_HEADER}\n{opp('o1')}\n")
    load(con, landing, "crm", "opportunities")
    bad_header = OPP_HEADER.replace(",currency", "")
    bad_row = opp("o2").replace(",USD", "")
    path = write(landing, "crm", "2026-01-09", "opportunities.csv", f"{bad_header}\n{bad_row}\n")
    with pytest.raises(LoadError) as err:
        load(con, landing, "crm", "opportunities")
    assert str(path) in str(err.value) and "currency" in str(err.value)
    assert raw(con, "raw_crm.opportunities").opportunity_id.tolist() == ["o1"]
    status = con.execute(
        "select status from meta.load_ledger where drop_date = '2026-01-09'"
    ).fetchone()[0]
    assert status == "failed"


def test_truncated_file_fails_with_the_file_named(con, tmp_path):
    landing = tmp_path / "landing"
    path = write(landing, "prm", "2026-01-09", "partners.jsonl",
                 '{"partner_id": "p1", "name": "A"}\n{"partner_id": "p2", "na')
    with pytest.raises(LoadError) as err:
        load(con, landing, "prm", "partners")
    assert str(path) in str(err.value)


def test_reloading_the_same_drop_is_a_no_op(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1"), opp("o2", amount="-1")])
    again = load(con, tmp_path / "landing", "crm", "opportunities")
    assert [r.status for r in again] == ["skipped"]
    assert len(raw(con, "raw_crm.opportunities")) == 1
    assert len(quarantined(con, "crm__opportunities")) == 1


def test_rows_in_equal_raw_plus_quarantine(con, tmp_path):
    rows = [opp(f"o{i}", amount=str(i - 3)) for i in range(10)]  # 3 negative amounts
    [result] = load_opps(con, tmp_path, rows)
    n_raw = len(raw(con, "raw_crm.opportunities"))
    n_bad = len(quarantined(con, "crm__opportunities"))
    assert (n_raw, n_bad, result.rows_in) == (7, 3, 10)


def _answer_fixture(landing: Path, answers: list[dict]) -> None:
    questions = [
        {"question_id": "q_nps", "survey_id": "s1", "text": "Recommend?",
         "question_type": "nps", "pillar": None, "touchpoint": None},
        {"question_id": "q_csat", "survey_id": "s1", "text": "Satisfied?",
         "question_type": "CSAT", "pillar": None, "touchpoint": "Support "},
    ]
    write(landing, "survey", "2026-01-09", "questions.json", json.dumps(questions))
    write(landing, "survey", "2026-01-09", "answers.json", json.dumps(answers))


def test_answers_outside_their_question_scale_are_quarantined(con, tmp_path):
    landing = tmp_path / "landing"
    answers = [
        {"response_id": "r1", "question_id": "q_nps", "numeric_value": 0, "text_value": None},
        {"response_id": "r2", "question_id": "q_nps", "numeric_value": 11, "text_value": None},
        {"response_id": "r3", "question_id": "q_csat", "numeric_value": 5, "text_value": None},
        {"response_id": "r4", "question_id": "q_csat", "numeric_value": 6, "text_value": None},
        {"response_id": "r5", "question_id": "q_csat", "numeric_value": 0, "text_value": None},
        {"response_id": "r6", "question_id": "q_unknown", "numeric_value": 3, "text_value": None},
    ]
    _answer_fixture(landing, answers)
    load(con, landing, "survey", "questions")
    load(con, landing, "survey", "answers")
    q = quarantined(con, "survey__answers").set_index("response_id")._reason.to_dict()
    assert set(q) == {"r2", "r4", "r5"}
    assert "answer outside its question's scale" in q["r4"]
    assert sorted(raw(con, "raw_survey.answers").response_id) == ["r1", "r3", "r6"]
    tp = raw(con, "raw_survey.questions", "question_id = 'q_csat'")
    assert (tp.question_type.item(), tp.touchpoint.item()) == ("csat", "support")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "parquet"])
def test_every_file_format_loads_the_same_rows(con, tmp_path, fmt):
    records = [
        {"event_id": "e1", "partner_id": "p1", "contact_id": "c1", "event_type": "Login",
         "occurred_at": "2025-05-01T08:00:00Z"},
        {"event_id": "e2", "partner_id": "p1", "contact_id": None, "event_type": "content_view",
         "occurred_at": "2025-05-01T09:30:00Z"},
    ]
    landing = tmp_path / "landing"
    folder = landing / "prm" / "2026-01-09"
    folder.mkdir(parents=True)
    path = folder / f"portal_events.{fmt}"
    if fmt == "csv":
        cols = list(records[0])
        lines = [",".join(cols)] + [",".join(r[c] or "" for c in cols) for r in records]
        path.write_text("\n".join(lines) + "\n")
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
    elif fmt == "json":
        path.write_text(json.dumps(records))
    else:
        table = pa.Table.from_pylist([
            {**r, "occurred_at": dt.datetime.fromisoformat(r["occurred_at"])} for r in records
        ])
        pq.write_table(table, path)
    load(con, landing, "prm", "portal_events")
    rows = con.execute(
        "select event_id, contact_id, event_type, occurred_at from raw_prm.portal_events "
        "order by event_id"
    ).fetchall()
    assert rows == [
        ("e1", "c1", "login", dt.datetime(2025, 5, 1, 8, 0)),
        ("e2", None, "content_view", dt.datetime(2025, 5, 1, 9, 30)),
    ]


def test_lineage_columns_are_set(con, tmp_path):
    [result] = load_opps(con, tmp_path, [opp("o1")])
    load_id, loaded_at, source = con.execute(
        "select _load_id, _loaded_at, _source from raw_crm.opportunities"
    ).fetchone()
    assert load_id == result.load_id and loaded_at == LOADED_AT
    assert source.endswith("crm/2026-01-09/opportunities.csv")


def test_read_only_reader_sees_committed_loads(tmp_path):
    path = tmp_path / "build.duckdb"
    writer = connect(path)
    load_opps(writer, tmp_path, [opp("o1")])
    writer.close()
    reader = duckdb.connect(str(path), read_only=True)
    assert reader.execute("select count(*) from raw_crm.opportunities").fetchone()[0] == 1
    reader.close()


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2025-06-01T10:00:00+02:00", dt.datetime(2025, 6, 1, 8, 0)),
        ("2025-06-01 10:00:00-0500", dt.datetime(2025, 6, 1, 15, 0)),
        ("2025-06-01T23:30:00.250-01:00", dt.datetime(2025, 6, 2, 0, 30, 0, 250000)),
        ("2025-06-01T10:00:00Z", dt.datetime(2025, 6, 1, 10, 0)),
    ],
)
def test_timestamp_with_utc_offset_is_converted_to_utc_and_kept(con, tmp_path, text, utc):
    (result,) = load_opps(con, tmp_path, [opp("o1", created=text, updated=text)])
    assert result.rows_quarantined == 0
    row = raw(con, "raw_crm.opportunities").iloc[0]
    assert row.created_at.to_pydatetime() == utc
    assert row.updated_at.to_pydatetime() == utc


def test_an_impossible_utc_offset_is_quarantined_with_the_column_named(con, tmp_path):
    # The text has the offset shape but +99:99 is no offset: it must not load as some time.
    load_opps(con, tmp_path, [opp("o1", created="2025-06-01 10:00 +99:99")])
    assert "created_at" in reason_of(con, "o1")


def test_open_opportunity_without_amount_or_close_date_is_loaded(con, tmp_path):
    # Real exports leave amount and close date blank on open deals: keep them (pipeline counts).
    load_opps(con, tmp_path, [opp("o1", amount="", close=""), opp("o2", amount="", close="",
                                                                  stage="closed_lost",
                                                                  closed="true")])
    df = raw(con, "raw_crm.opportunities")
    assert df.opportunity_id.tolist() == ["o1"]
    assert df.amount.isna().all() and df.close_date.isna().all()
    assert "close_date: required on a won (amount) or closed (close_date) deal" in reason_of(
        con, "o2")


def test_won_opportunity_without_amount_is_quarantined(con, tmp_path):
    load_opps(con, tmp_path, [opp("o1", amount="", stage="closed_won", closed="true",
                                  won="true")])
    assert raw(con, "raw_crm.opportunities").empty
    assert reason_of(con, "o1").startswith("amount / close_date: required on a won")


def test_stage_spellings_of_real_exports_map_to_the_contract(con, tmp_path):
    # "Closed Won" (Salesforce), "closed-won", "Won" (a synonym of category_synonyms.csv) and
    # "Engaging" all load; a value no rule maps is quarantined with its original text.
    rows = [
        opp("o1", stage="Closed Won", closed="true", won="true"),
        opp("o2", stage="closed-won", closed="true", won="true"),
        opp("o3", stage="Won", closed="true", won="true"),
        opp("o4", stage="  Engaging "),
        opp("o5", stage="Maybe Later"),
    ]
    load_opps(con, tmp_path, rows)
    df = raw(con, "raw_crm.opportunities").sort_values("opportunity_id")
    assert df.stage.tolist() == ["closed_won", "closed_won", "closed_won", "qualification"]
    q = quarantined(con, "crm__opportunities")
    assert q.stage.tolist() == ["Maybe Later"]
    assert reason_of(con, "o5").startswith("stage: not an allowed value")


def test_hyphenated_allowed_values_still_match():
    from ingestion.categories import normalize

    assert normalize("1 - 50") == normalize("1-50") == "1_50"
    assert normalize(" Co-Sell ") == "co_sell"


def test_a_synonym_to_an_unknown_value_is_a_clear_error(tmp_path, monkeypatch):
    from ingestion import categories

    bad = tmp_path / "synonyms.csv"
    bad.write_text("table,column,synonym,value\ncrm.opportunities,stage,done,finished\n")
    monkeypatch.setenv("PARTNER_PULSE_CATEGORY_SYNONYMS", str(bad))
    with pytest.raises(ValueError, match=r"synonyms.csv:2: 'finished' is not an allowed value"):
        categories.synonyms("crm.opportunities", "stage")


def test_latin1_csv_from_excel_loads_with_accents_intact(con, tmp_path):
    landing = tmp_path / "landing"
    header = (
        "account_id,name,industry,region,country,employee_band,created_at,updated_at,is_deleted"
    )
    text = header + "\na1,Société Générale Müller,software,EMEA,FR,51-200," + (
        "2025-01-01T00:00:00Z,2025-01-01T00:00:00Z,false\n")
    folder = landing / "crm" / "2026-01-09"
    folder.mkdir(parents=True)
    (folder / "accounts.csv").write_bytes(text.encode("latin-1"))
    (result,) = load(con, landing, "crm", "accounts")
    assert result.rows_loaded == 1
    assert raw(con, "raw_crm.accounts").name.tolist() == ["Société Générale Müller"]


SALESFORCE_REPORT = """\
"Opportunity ID","Account ID","Stage","Amount","Opportunity Currency","Created Date",\
"Close Date","Closed","Won","Last Modified Date","Deleted"
"006A1","a1","Closed Won","12500","USD","2025-05-02 09:15:00","2025-06-30","TRUE","TRUE",\
"2025-06-30 17:02:11","FALSE"
"006A2","a1","Closed Lost","4000","EUR","2025-05-03 10:00:00","2025-06-12","TRUE","FALSE",\
"2025-06-12 08:00:00","FALSE"
"006A3","a1","Prospecting","","USD","2025-06-20 11:00:00","","FALSE","FALSE",\
"2025-06-20 11:00:00","FALSE"
"006A4","a1","Negotiation/Review","800","USD","2025-06-01 12:00:00","2025-09-30","FALSE","FALSE",\
"2025-06-25 12:00:00","FALSE"
"006A5","a1","Closed Won","-500","USD","2025-05-05 09:00:00","2025-06-15","TRUE","TRUE",\
"2025-06-15 09:00:00","FALSE"
"""


def test_a_salesforce_report_export_loads_through_a_column_map(con, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "crm", "2026-01-09", "opportunities.csv", SALESFORCE_REPORT)
    (landing / "crm" / "column_map.csv").write_text(
        "table,export_column,column\n"
        "opportunities,Opportunity ID,opportunity_id\n"
        "opportunities,Opportunity Currency,currency\n"
        "opportunities,Created Date,created_at\n"
        "opportunities,Closed,is_closed\n"
        "opportunities,Won,is_won\n"
        "opportunities,Last Modified Date,updated_at\n"
        "opportunities,Deleted,is_deleted\n"
    )  # "Account ID", "Stage", "Amount", "Close Date" need no entry: their names normalize
    (result,) = load(con, landing, "crm", "opportunities")
    assert result.rows_in == 5 == result.rows_loaded + result.rows_quarantined
    df = raw(con, "raw_crm.opportunities").sort_values("opportunity_id")
    assert df.stage.tolist() == ["closed_won", "closed_lost", "prospecting", "negotiation"]
    assert df.amount.isna().tolist() == [False, False, True, False]
    # The one row a person would also reject: a negative amount on a won deal.
    assert quarantined(con, "crm__opportunities").opportunity_id.tolist() == ["006A5"]
    assert reason_of(con, "006A5").startswith("amount: out of range")


def test_a_column_map_naming_an_unknown_column_fails_naming_file_and_line(con, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "crm", "2026-01-09", "opportunities.csv", SALESFORCE_REPORT)
    (landing / "crm" / "column_map.csv").write_text(
        "table,export_column,column\nopportunities,Opportunity ID,opp_id\n")
    with pytest.raises(LoadError, match=r"column_map.csv:2: 'opp_id' is not a column"):
        load(con, landing, "crm", "opportunities")
