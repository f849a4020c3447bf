-- TLS-RPT rows (schema v1, docs/rows.md) in BigQuery: the two tables and the views that give
-- the viewer's figures, in the dataset `tlsrpt` (BigQuery wants the dataset named in a view's
-- body, so every name here carries it: for another dataset, replace "tlsrpt." throughout,
-- e.g. sed 's/\btlsrpt\.tlsrpt_/mydataset.tlsrpt_/g'). Load NDJSON straight from Cloud Storage:
--   bq mk --dataset tlsrpt
--   bq query --use_legacy_sql=false < sql/bigquery.sql
--   bq load --source_format=NEWLINE_DELIMITED_JSON tlsrpt.tlsrpt_policy gs://bucket/rows/*/tlsrpt_policy.ndjson
-- Partitioned by the day each report starts, clustered by domain (and result type).

CREATE TABLE IF NOT EXISTS tlsrpt.tlsrpt_policy (
    schema_version           INT64 NOT NULL,
    report_key               STRING NOT NULL,
    organization_name        STRING,
    contact_info             STRING,
    report_id                STRING,
    begin_date               TIMESTAMP,
    end_date                 TIMESTAMP,
    policy_index             INT64,
    policy_domain            STRING,
    policy_type              STRING,
    policy_strings           ARRAY<STRING>,
    mx_host_patterns         ARRAY<STRING>,
    sts_mode                 STRING,
    successful_session_count INT64 NOT NULL,
    failed_session_count     INT64 NOT NULL,
    counted_in_totals        BOOL NOT NULL,
    source_name              STRING NOT NULL,
    extra_json               STRING NOT NULL,
    report_extra_json        STRING NOT NULL
)
PARTITION BY DATE(begin_date)
CLUSTER BY policy_domain, policy_type;

CREATE TABLE IF NOT EXISTS tlsrpt.tlsrpt_failure (
    schema_version        INT64 NOT NULL,
    report_key            STRING NOT NULL,
    organization_name     STRING,
    report_id             STRING,
    begin_date            TIMESTAMP,
    end_date              TIMESTAMP,
    policy_index          INT64 NOT NULL,
    policy_domain         STRING,
    policy_type           STRING NOT NULL,
    counted_in_totals     BOOL NOT NULL,
    source_name           STRING NOT NULL,
    detail_index          INT64 NOT NULL,
    result_type           STRING NOT NULL,
    failed_session_count  INT64 NOT NULL,
    sending_mta_ip        STRING,
    receiving_ip          STRING,
    receiving_mx_hostname STRING,
    receiving_mx_helo     STRING,
    additional_info_uri   STRING,
    failure_reason_code   STRING,
    extra_json            STRING NOT NULL
)
PARTITION BY DATE(begin_date)
CLUSTER BY policy_domain, result_type;

-- Each report once, however many shards loaded it.
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_policy_once AS
SELECT * FROM tlsrpt.tlsrpt_policy
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY report_key, policy_index ORDER BY source_name) = 1;

CREATE OR REPLACE VIEW tlsrpt.tlsrpt_failure_once AS
SELECT * FROM tlsrpt.tlsrpt_failure
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY report_key, policy_index, detail_index ORDER BY source_name) = 1;

-- summarize's overview: reports, and the sessions counted once (the tlsa-and-sts rule).
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_overview AS
SELECT
    COUNT(DISTINCT report_key) AS reports,
    COALESCE(SUM(IF(counted_in_totals, successful_session_count, 0)), 0) AS successful_sessions,
    COALESCE(SUM(IF(counted_in_totals, failed_session_count, 0)), 0) AS failed_sessions
FROM tlsrpt.tlsrpt_policy_once;

-- summarize's per-result: a row per policy domain and policy type, every policy counted.
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_per_result AS
SELECT
    COALESCE(policy_domain, '(no policy-domain)') AS policy_domain,
    policy_type,
    SUM(successful_session_count) AS successful_sessions,
    SUM(failed_session_count) AS failed_sessions
FROM tlsrpt.tlsrpt_policy_once
WHERE policy_index IS NOT NULL
GROUP BY 1, 2;

-- summarize's per-source: a row per reporting organisation.
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_per_source AS
SELECT
    COALESCE(organization_name, '(unnamed)') AS organization_name,
    COUNT(DISTINCT report_key) AS reports,
    SUM(IF(counted_in_totals, successful_session_count, 0)) AS successful_sessions,
    SUM(IF(counted_in_totals, failed_session_count, 0)) AS failed_sessions
FROM tlsrpt.tlsrpt_policy_once
GROUP BY 1;

-- summarize's per-day: the sessions counted once, by the UTC day each report starts.
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_per_day AS
SELECT
    DATE(begin_date) AS day,
    SUM(IF(counted_in_totals, successful_session_count, 0)) AS successful_sessions,
    SUM(IF(counted_in_totals, failed_session_count, 0)) AS failed_sessions
FROM tlsrpt.tlsrpt_policy_once
WHERE begin_date IS NOT NULL
GROUP BY 1;

-- The failures of each policy domain by result type (summarize's per-result failures by
-- type, over the domain's policy types).
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_failures_by_type AS
SELECT
    COALESCE(policy_domain, '(no policy-domain)') AS policy_domain,
    result_type,
    SUM(failed_session_count) AS failed_sessions
FROM tlsrpt.tlsrpt_failure_once
GROUP BY 1, 2;

-- The failures each receiving MX host met, by result type (summarize's per-mx), counted once.
CREATE OR REPLACE VIEW tlsrpt.tlsrpt_per_mx AS
SELECT
    receiving_mx_hostname,
    result_type,
    SUM(failed_session_count) AS failed_sessions
FROM tlsrpt.tlsrpt_failure_once
WHERE counted_in_totals AND receiving_mx_hostname IS NOT NULL
GROUP BY 1, 2;
