-- TLS-RPT rows (schema v1, docs/rows.md) in ClickHouse: the two tables and the views that
-- give the viewer's figures. ReplacingMergeTree: the same report loaded twice (two shards that
-- overlap) is one row per policy and detail once merged; the views read FINAL. Load NDJSON:
--   clickhouse-client --multiquery < sql/clickhouse.sql
--   clickhouse-client --query "INSERT INTO tlsrpt_policy SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow" < rows/tlsrpt_policy.ndjson
-- Timestamps are UTC.

CREATE TABLE IF NOT EXISTS tlsrpt_policy
(
    schema_version           UInt16,
    report_key               String,
    organization_name        Nullable(String),
    contact_info             Nullable(String),
    report_id                Nullable(String),
    begin_date               Nullable(DateTime('UTC')),
    end_date                 Nullable(DateTime('UTC')),
    policy_index             Nullable(UInt32),
    policy_domain            Nullable(String),
    policy_type              LowCardinality(Nullable(String)),
    policy_strings           Array(String),
    mx_host_patterns         Array(String),
    sts_mode                 LowCardinality(Nullable(String)),
    successful_session_count UInt64,
    failed_session_count     UInt64,
    counted_in_totals        Bool,
    source_name              String,
    extra_json               String,
    report_extra_json        String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ifNull(begin_date, toDateTime(0, 'UTC')))
ORDER BY (ifNull(policy_domain, ''), toDate(ifNull(begin_date, toDateTime(0, 'UTC'))), report_key, ifNull(policy_index, 4294967295));

CREATE TABLE IF NOT EXISTS tlsrpt_failure
(
    schema_version        UInt16,
    report_key            String,
    organization_name     Nullable(String),
    report_id             Nullable(String),
    begin_date            Nullable(DateTime('UTC')),
    end_date              Nullable(DateTime('UTC')),
    policy_index          UInt32,
    policy_domain         Nullable(String),
    policy_type           LowCardinality(String),
    counted_in_totals     Bool,
    source_name           String,
    detail_index          UInt32,
    result_type           LowCardinality(String),
    failed_session_count  UInt64,
    sending_mta_ip        Nullable(String),
    receiving_ip          Nullable(String),
    receiving_mx_hostname Nullable(String),
    receiving_mx_helo     Nullable(String),
    additional_info_uri   Nullable(String),
    failure_reason_code   Nullable(String),
    extra_json            String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ifNull(begin_date, toDateTime(0, 'UTC')))
ORDER BY (ifNull(policy_domain, ''), toDate(ifNull(begin_date, toDateTime(0, 'UTC'))), report_key, policy_index, detail_index);

-- summarize's overview: reports, and the sessions counted once (the tlsa-and-sts rule).
CREATE VIEW IF NOT EXISTS tlsrpt_overview AS
SELECT
    uniqExact(report_key) AS reports,
    sumIf(successful_session_count, counted_in_totals) AS successful_sessions,
    sumIf(failed_session_count, counted_in_totals) AS failed_sessions
FROM tlsrpt_policy FINAL;

-- summarize's per-result: a row per policy domain and policy type, every policy counted.
CREATE VIEW IF NOT EXISTS tlsrpt_per_result AS
SELECT
    ifNull(policy_domain, '(no policy-domain)') AS policy_domain,
    assumeNotNull(policy_type) AS policy_type,
    sum(successful_session_count) AS successful_sessions,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_policy FINAL
WHERE policy_index IS NOT NULL
GROUP BY policy_domain, policy_type;

-- summarize's per-source: a row per reporting organisation.
CREATE VIEW IF NOT EXISTS tlsrpt_per_source AS
SELECT
    ifNull(organization_name, '(unnamed)') AS organization_name,
    uniqExact(report_key) AS reports,
    sumIf(successful_session_count, counted_in_totals) AS successful_sessions,
    sumIf(failed_session_count, counted_in_totals) AS failed_sessions
FROM tlsrpt_policy FINAL
GROUP BY organization_name;

-- summarize's per-day: the sessions counted once, by the UTC day each report starts.
CREATE VIEW IF NOT EXISTS tlsrpt_per_day AS
SELECT
    toDate(assumeNotNull(begin_date)) AS day,
    sumIf(successful_session_count, counted_in_totals) AS successful_sessions,
    sumIf(failed_session_count, counted_in_totals) AS failed_sessions
FROM tlsrpt_policy FINAL
WHERE begin_date IS NOT NULL
GROUP BY day;

-- The failures of each policy domain by result type (summarize's per-result failures by
-- type, over the domain's policy types).
CREATE VIEW IF NOT EXISTS tlsrpt_failures_by_type AS
SELECT
    ifNull(policy_domain, '(no policy-domain)') AS policy_domain,
    result_type,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_failure FINAL
GROUP BY policy_domain, result_type;

-- The failures each receiving MX host met, by result type (summarize's per-mx), counted once.
CREATE VIEW IF NOT EXISTS tlsrpt_per_mx AS
SELECT
    receiving_mx_hostname,
    result_type,
    sum(failed_session_count) AS failed_sessions
FROM tlsrpt_failure FINAL
WHERE counted_in_totals AND receiving_mx_hostname IS NOT NULL
GROUP BY receiving_mx_hostname, result_type;
