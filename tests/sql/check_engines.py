"""The rows of `tlsrpt rows`, loaded into real engines, give the viewer's figures.

For each data set (the real samples, a generated corpus), writes the rows with the `tlsrpt`
command (built with --features parquet), loads them into DuckDB (NDJSON, and Parquet) and chDB
(ClickHouse in-process, NDJSON) with the SQL files of sql/, and checks every view against `tlsrpt summarize` on the same inputs. The
BigQuery file is checked for what can be checked offline: the same views and columns.

usage: python tests/sql/check_engines.py TLSRPT_BINARY INPUT_DIR...
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SQL = os.path.join(ROOT, "sql")
VIEWS = {
    "tlsrpt_overview": ["reports", "successful_sessions", "failed_sessions"],
    "tlsrpt_per_result": ["policy_domain", "policy_type", "successful_sessions", "failed_sessions"],
    "tlsrpt_per_source": ["organization_name", "reports", "successful_sessions", "failed_sessions"],
    "tlsrpt_per_day": ["day", "successful_sessions", "failed_sessions"],
    "tlsrpt_failures_by_type": ["policy_domain", "result_type", "failed_sessions"],
    "tlsrpt_per_mx": ["receiving_mx_hostname", "result_type", "failed_sessions"],
}


def expected(summary):
    """Each view's rows, as sets of tuples, from summarize's JSON."""
    o = summary["overview"]
    by_type = {}
    for row in summary["per-result"]:
        for t in row["failures-by-type"]:
            key = (row["policy-domain"], t["result-type"])
            by_type[key] = by_type.get(key, 0) + t["sessions"]
    return {
        "tlsrpt_overview": {(o["reports"], o["successful-sessions"], o["failed-sessions"])},
        "tlsrpt_per_result": {
            (r["policy-domain"], r["policy-type"], r["successful-sessions"], r["failed-sessions"])
            for r in summary["per-result"]
        },
        "tlsrpt_per_source": {
            (s["organization"], s["report-count"], s["successful-sessions"], s["failed-sessions"])
            for s in summary["per-source"]
        },
        "tlsrpt_per_day": {
            (d["day"], d["successful-sessions"], d["failed-sessions"]) for d in summary["per-day"]
        },
        "tlsrpt_failures_by_type": {(d, t, n) for (d, t), n in by_type.items() if n},
        "tlsrpt_per_mx": {
            (m["mx-host"], t["result-type"], t["sessions"])
            for m in summary["per-mx"]
            for t in m["failures-by-type"]
        },
    }


def normalised(rows):
    return {tuple(str(v) if not isinstance(v, int) else v for v in row) for row in rows}


def statements(path):
    text = open(path, encoding="utf-8").read()
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def duckdb_views(rows_dir, parquet_dir=None):
    import duckdb

    con = duckdb.connect()
    for statement in statements(os.path.join(SQL, "duckdb.sql")):
        con.execute(statement)
    for table in ("tlsrpt_policy", "tlsrpt_failure"):
        if parquet_dir:
            path = os.path.join(parquet_dir, f"{table}.parquet")
            con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)", [path])
            continue
        path = os.path.join(rows_dir, f"{table}.ndjson")
        con.execute(
            f"INSERT INTO {table} SELECT * FROM read_json(?, format = 'newline_delimited', "
            f"columns = {table}_columns())",
            [path],
        )
    # Read as another connection in another time zone would: the days stay UTC days.
    con.execute("SET TimeZone = 'America/New_York'")
    out = {}
    for view, columns in VIEWS.items():
        out[view] = normalised(con.execute(f"SELECT {', '.join(columns)} FROM {view}").fetchall())
    return out


def chdb_views(rows_dir):
    from chdb import session

    with tempfile.TemporaryDirectory() as data:
        s = session.Session(data)
        for statement in statements(os.path.join(SQL, "clickhouse.sql")):
            s.query(statement)
        for table in ("tlsrpt_policy", "tlsrpt_failure"):
            path = os.path.join(rows_dir, f"{table}.ndjson")
            s.query(f"INSERT INTO {table} SELECT * FROM file('{path}', 'JSONEachRow') SETTINGS date_time_input_format = 'best_effort', use_structure_from_insertion_table_in_table_functions = 1")
        out = {}
        for view, columns in VIEWS.items():
            result = s.query(f"SELECT {', '.join(columns)} FROM {view}", "JSONCompact")
            data_rows = json.loads(result.bytes() or b'{"data": []}')["data"]
            out[view] = normalised(
                [[int(v) if isinstance(v, str) and v.isdigit() and c != "day" and not c.endswith("name") and not c.endswith("domain") else v
                  for v, c in zip(row, columns)] for row in data_rows]
            )
        s.close()
    return out


def bigquery_offline():
    """Every view and column of the other files is in bigquery.sql."""
    text = open(os.path.join(SQL, "bigquery.sql"), encoding="utf-8").read()
    missing = []
    for view, columns in VIEWS.items():
        if not re.search(rf"CREATE OR REPLACE VIEW\s+`?[\w.]*{view}`?", text):
            missing.append(view)
        for column in columns:
            if column not in text:
                missing.append(f"{view}.{column}")
    for table in ("tlsrpt_policy", "tlsrpt_failure"):
        if not re.search(rf"CREATE TABLE IF NOT EXISTS\s+`?[\w.]*{table}`?", text):
            missing.append(table)
    # BigQuery resolves no default dataset inside a view: every name carries its dataset.
    for name in re.findall(r"(?:FROM|VIEW|EXISTS)\s+`?([\w.]+)", text):
        if "." not in name:
            missing.append(f"the dataset of {name}")
    return missing


def main():
    binary, inputs = sys.argv[1], sys.argv[2:]
    failures = []
    for given in inputs:
        with tempfile.TemporaryDirectory() as rows_dir, tempfile.TemporaryDirectory() as parquet_dir:
            subprocess.run([binary, "rows", "--out", rows_dir, given], check=True, stderr=subprocess.DEVNULL)
            # The binary is built with --features parquet (scripts/test.sh).
            subprocess.run([binary, "rows", "--format", "parquet", "--out", parquet_dir, given], check=True, stderr=subprocess.DEVNULL)
            summary = json.loads(subprocess.run([binary, "summarize", given], check=True, capture_output=True).stdout)
            want = expected(summary)
            engines = (
                ("duckdb", duckdb_views(rows_dir)),
                ("duckdb parquet", duckdb_views(rows_dir, parquet_dir)),
                ("chdb", chdb_views(rows_dir)),
            )
            for engine, views in engines:
                for view, rows in views.items():
                    if rows != want[view]:
                        failures.append(f"{engine} {view} on {given}:\n  only in the engine: {sorted(rows - want[view])[:5]}\n  only in summarize: {sorted(want[view] - rows)[:5]}")
                    else:
                        print(f"# {engine} {view} on {os.path.basename(given)}: {len(rows)} rows equal summarize's")
    for missing in bigquery_offline():
        failures.append(f"bigquery.sql lacks {missing}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("# every view of DuckDB (NDJSON and Parquet) and chDB equals summarize; bigquery.sql has every view and column")


if __name__ == "__main__":
    main()
