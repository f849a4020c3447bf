-- TLS-RPT rows (schema v1, docs/rows.md) in DuckDB: the two tables and the views that give
-- the viewer's figures. Load the rows that `tlsrpt rows` wrote, then query the views:
--   duckdb tlsrpt.duckdb < sql/duckdb.sql
--   duckdb tlsrpt.duckdb "INSERT INTO tlsrpt_policy SELECT * FROM read_json('rows/tlsrpt_policy.ndjson', columns = tlsrpt_policy_columns());"
-- (or the Parquet files: INSERT INTO tlsrpt_policy SELECT * FROM 'rows/tlsrpt_policy.parquet').
-- Timestamps are UTC; the views take the UTC day whatever the connection's time zone.
SET TimeZone = 'UTC';

CREATE TABLE IF NOT EXISTS tlsrpt_policy (
    schema_version           INTEGER NOT NULL,
    report_key               VARCHAR NOT NULL,
    organization_name        VARCHAR,
    contact_info             VARCHAR,
    report_id                VARCHAR,
    begin_date               TIMESTAMPTZ,
    end_date                 TIMESTAMPTZ,
    policy_index             INTEGER,
    policy_domain            VARCHAR,
    policy_type              VARCHAR,
    policy_strings           VARCHAR[] NOT NULL,
    mx_host_patterns         VARCHAR[] NOT NULL,
    sts_mode                 VARCHAR,
    successful_session_count BIGINT NOT NULL,
    failed_session_count     BIGINT NOT NULL,
    counted_in_totals        BOOLEAN NOT NULL,
    source_name              VARCHAR NOT NULL,
    extra_json               VARCHAR NOT NULL,
    report_extra_json        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS tlsrpt_failure (
    schema_version        INTEGER NOT NULL,
    report_key            VARCHAR NOT NULL,
    organization_name     VARCHAR,
    report_id             VARCHAR,
    begin_date            TIMESTAMPTZ,
    end_date              TIMESTAMPTZ,
    policy_index          INTEGER NOT NULL,
    policy_domain         VARCHAR,
    policy_type           VARCHAR NOT NULL,
    counted_in_totals     BOOLEAN NOT NULL,
    source_name           VARCHAR NOT NULL,
    detail_index          INTEGER NOT NULL,
    result_type           VARCHAR NOT NULL,
    failed_session_count  BIGINT NOT NULL,
    sending_mta_ip        VARCHAR,
    receiving_ip          VARCHAR,
    receiving_mx_hostname VARCHAR,
    receiving_mx_helo     VARCHAR,
    additional_info_uri   VARCHAR,
    failure_reason_code   VARCHAR,
    extra_json            VARCHAR NOT NULL
);

-- The columns for read_json, so that NDJSON loads with the tables' own types.
CREATE OR REPLACE MACRO tlsrpt_policy_columns() AS {
    'schema_version': 'INTEGER', 'report_key': 'VARCHAR', 'organization_name': 'VARCHAR',
    'contact_info': 'VARCHAR', 'report_id': 'VARCHAR', 'begin_date': 'TIMESTAMPTZ',
    'end_date': 'TIMESTAMPTZ', 'policy_index': 'INTEGER', 'policy_domain': 'VARCHAR',
    'policy_type': 'VARCHAR', 'policy_strings': 'VARCHAR[]', 'mx_host_patterns': 'VARCHAR[]',
    'sts_mode': 'VARCHAR', 'successful_session_count': 'BIGINT',
    'failed_session_count': 'BIGINT', 'counted_in_totals': 'BOOLEAN', 'source_name': 'VARCHAR',
    'extra_json': 'VARCHAR', 'report_extra_json': 'VARCHAR'
};
CREATE OR REPLACE MACRO tlsrpt_failure_columns() AS {
    'schema_version': 'INTEGER', 'report_key': 'VARCHAR', 'organization_name': 'VARCHAR',
    'report_id': 'VARCHAR', 'begin_date': 'TIMESTAMPTZ', 'end_date': 'TIMESTAMPTZ',
    'policy_index': 'INTEGER', 'policy_domain': 'VARCHAR', 'policy_type': 'VARCHAR',
    'counted_in_totals': 'BOOLEAN', 'source_name': 'VARCHAR', 'detail_index': 'INTEGER',
    'result_type': 'VARCHAR', 'failed_session_count': 'BIGINT', 'sending_mta_ip': 'VARCHAR',
    'receiving_ip': 'VARCHAR', 'receiving_mx_hostname': 'VARCHAR',
    'receiving_mx_helo': 'VARCHAR', 'additional_info_uri': 'VARCHAR',
    'failure_reason_code': 'VARCHAR', 'extra_json': 'VARCHAR'
};

-- Each report once, however many shards loaded it (the rows of one report are the same in
-- each: the first source name is kept).
CREATE OR REPLACE VIEW tlsrpt_policy_once AS
SELECT DISTINCT ON (report_key, policy_index) *
FROM tlsrpt_policy
ORDER BY report_key, policy_index, source_name;

CREATE OR REPLACE VIEW tlsrpt_failure_once AS
SELECT DISTINCT ON (report_key, policy_index, detail_index) *
FROM tlsrpt_failure
ORDER BY report_key, policy_index, detail_index, source_name;

-- summarize's overview: reports, and the sessions counted once (the tlsa-and-sts rule).
CREATE OR REPLACE VIEW tlsrpt_overview AS
SELECT
    count(DISTINCT report_key) AS reports,
    coalesce(sum(successful_session_count) FILTER (WHERE counted_in_totals), 0) AS successful_sessions,
    coalesce(sum(failed_session_count) FILTER (WHERE counted_in_totals), 0) AS failed_sessions
FROM tlsrpt_policy_once;

-- summarize's per-result: a row per policy domain and policy type, every policy counted.
CREATE OR REPLACE VIEW tlsrpt_per_result AS
SELECT
    coalesce(policy_domain, '(no policy-domain)') AS policy_domain,
    policy_type,
    sum(successful_session_count) AS successful_sessions,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_policy_once
WHERE policy_index IS NOT NULL
GROUP BY ALL;

-- summarize's per-source: a row per reporting organisation.
CREATE OR REPLACE VIEW tlsrpt_per_source AS
SELECT
    coalesce(organization_name, '(unnamed)') AS organization_name,
    count(DISTINCT report_key) AS reports,
    coalesce(sum(successful_session_count) FILTER (WHERE counted_in_totals), 0) AS successful_sessions,
    coalesce(sum(failed_session_count) FILTER (WHERE counted_in_totals), 0) AS failed_sessions
FROM tlsrpt_policy_once
GROUP BY ALL;

-- summarize's per-day: the sessions counted once, by the UTC day each report starts.
CREATE OR REPLACE VIEW tlsrpt_per_day AS
SELECT
    CAST(timezone('UTC', begin_date) AS DATE) AS day,
    coalesce(sum(successful_session_count) FILTER (WHERE counted_in_totals), 0) AS successful_sessions,
    coalesce(sum(failed_session_count) FILTER (WHERE counted_in_totals), 0) AS failed_sessions
FROM tlsrpt_policy_once
WHERE begin_date IS NOT NULL
GROUP BY ALL;

-- The failures of each policy domain by result type (summarize's per-result failures by
-- type, over the domain's policy types).
CREATE OR REPLACE VIEW tlsrpt_failures_by_type AS
SELECT
    coalesce(policy_domain, '(no policy-domain)') AS policy_domain,
    result_type,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_failure_once
GROUP BY ALL;

-- The failures each receiving MX host met, by result type (summarize's per-mx), counted once.
CREATE OR REPLACE VIEW tlsrpt_per_mx AS
SELECT
    receiving_mx_hostname,
    result_type,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_failure_once
WHERE counted_in_totals AND receiving_mx_hostname IS NOT NULL
GROUP BY ALL;
