//! Every real sample is read (the emails through their attachments), and the
//! figures for several of them match totals worked out by hand from the files.

mod common;

use common::*;
use tlsrpt_viewer::analysis::{analyze, format_rate};
use tlsrpt_viewer::ingest::{NodeContent, Outcome};
use tlsrpt_viewer::report::PolicyType;

#[test]
fn every_real_json_sample_parses() {
    let files = sample_files("real", ".json");
    assert_eq!(files.len(), 19, "{files:#?}");
    for file in files {
        let report = report(&file);
        assert!(!report.policies.is_empty(), "{file}: no policies read");
        assert!(report.report_id.is_some(), "{file}: no report-id");
        assert!(
            report.start.as_ref().and_then(|t| t.utc).is_some(),
            "{file}"
        );
    }
}

#[test]
fn every_email_attachment_parses_from_gzip() {
    let files = sample_files("attachments", ".json.gz");
    assert_eq!(files.len(), 6, "{files:#?}");
    for file in files {
        let ingest = ingest_sample(&file);
        assert_eq!(ingest.format, "gzip → JSON", "{file}");
        assert!(
            matches!(ingest.content, NodeContent::Report { .. }),
            "{file}"
        );
    }
}

#[test]
fn every_real_email_gives_the_report_its_attachment_holds() {
    let files = sample_files("real", ".eml");
    assert_eq!(files.len(), 6);
    for file in files {
        let email = ingest_sample(&file);
        assert_eq!(email.format, "email", "{file}");
        let info = email.email.as_ref().expect("email headers kept");
        assert!(info.report_domain.is_some(), "{file}: {info:?}");
        assert!(info.report_submitter.is_some(), "{file}: {info:?}");
        assert!(
            info.subject
                .as_deref()
                .unwrap()
                .starts_with("Report Domain: "),
            "{file}"
        );
        assert!(info.date.is_some(), "{file}");
        // The text or HTML body is listed as not read, so every part is accounted for.
        assert_eq!(email.not_read.len(), 1, "{file}: {:?}", email.not_read);
        let attachment = only_child(&email);
        assert_eq!(
            attachment.format, "application/tlsrpt+gzip → gzip → JSON",
            "{file}"
        );
        let extracted = file
            .replacen("real/", "attachments/", 1)
            .replace(".eml", ".json.gz");
        assert_eq!(reports_in(&email), vec![report(&extracted)], "{file}");
    }
}

#[test]
fn google_report_totals() {
    // phi-ag google.json: one sts policy, 53 successful sessions, nothing failed.
    let set = set_of(&["real/phi-ag-mta-sts-exporter/google.json"]);
    let analysis = analyze(&set);
    let overview = &analysis.overview;
    assert_eq!(overview.reports, 1);
    assert_eq!(overview.organizations, ["Google Inc."]);
    assert_eq!(overview.policy_domains, ["example.com"]);
    assert_eq!(
        (overview.successful_sessions, overview.failed_sessions),
        (53, 0)
    );
    assert_eq!(format_rate(53, 0), "100.0%");
    let row = &analysis.per_result[0];
    assert_eq!(
        (row.policy_type.as_str(), row.successful_sessions),
        ("sts", 53)
    );
    assert!(row.failures_by_type.is_empty());
    let report = report("real/phi-ag-mta-sts-exporter/google.json");
    assert_eq!(report.policies[0].mx_hosts, ["example.com"]);
    assert_eq!(report.policies[0].policy_strings[1], "mode: enforce");
}

#[test]
fn microsoft_tlsa_and_sts_are_counted_once() {
    // cry-inc microsoft.json: random.net under sts (2 ok) and tlsa (2 ok): the same 2 sessions.
    let set = set_of(&["real/cry-inc-dmarc-report-viewer/microsoft.json"]);
    let analysis = analyze(&set);
    assert_eq!(analysis.overview.successful_sessions, 2);
    assert_eq!(analysis.overview.failed_sessions, 0);
    assert_eq!(analysis.overview.sessions_counted_once, 2);
    let rows: Vec<_> = analysis
        .per_result
        .iter()
        .map(|r| {
            (
                r.policy_type.as_str(),
                r.successful_sessions,
                r.sessions_counted_elsewhere,
            )
        })
        .collect();
    assert_eq!(rows, [("sts", 2, 2), ("tlsa", 2, 0)]);
    assert_eq!(analysis.per_source[0].successful_sessions, 2);
    // The TLSA records come out of Microsoft's JSON-in-a-string.
    let tlsa = &set.reports[0].report.policies[1];
    assert_eq!(tlsa.policy_type, PolicyType::Tlsa);
    assert_eq!(tlsa.policy_strings.len(), 2);
    assert!(tlsa.policy_strings[0].starts_with("3 1 1 6007EEE5"));
}

#[test]
fn microsoft_timestamps_without_zone_are_read_as_utc() {
    let report = report("real/phi-ag-mta-sts-exporter/microsoft-2.json");
    let start = report.start.unwrap();
    assert!(start.zone_assumed);
    assert_eq!(start.utc.unwrap().to_rfc3339(), "2024-03-26T00:00:00+00:00");
    assert!(
        report.notes.iter().any(|n| n.contains("no time zone")),
        "{:?}",
        report.notes
    );
    let set = set_of(&["real/phi-ag-mta-sts-exporter/microsoft-2.json"]);
    assert_eq!(analyze(&set).overview.reports_with_zone_assumed, 1);
}

#[test]
fn microsoft_fetch_error_without_ip_or_mx() {
    let set = set_of(&["real/cry-inc-dmarc-report-viewer/no_ip_and_mx.json"]);
    let analysis = analyze(&set);
    assert_eq!(analysis.overview.failed_sessions, 3);
    let source = &analysis.per_source[0].sources[0];
    assert_eq!(source.sending_ip, None);
    assert_eq!(source.failed_sessions, 3);
    assert!(source.receiving_mx_hosts.is_empty());
    assert_eq!(
        source.failures_by_type[0].result_type.as_str(),
        "sts-policy-fetch-error"
    );
}

#[test]
fn mail_ru_counts_that_do_not_add_up_are_kept_and_flagged() {
    // Two failure details of 1 session each, but the summary counts 1 failure, 0 successes.
    let set = set_of(&["real/parsedmarc/mail.ru.json"]);
    let analysis = analyze(&set);
    assert_eq!(analysis.overview.organizations, ["Mail.ru"]);
    assert_eq!(
        (
            analysis.overview.successful_sessions,
            analysis.overview.failed_sessions
        ),
        (0, 1)
    );
    let row = &analysis.per_result[0];
    assert_eq!(row.failed_sessions, 1);
    assert_eq!(row.failures_by_type[0].sessions, 2);
    assert_eq!(row.excess_itemised_failures, 1);
    let report = &set.reports[0].report;
    let reasons: Vec<_> = report.policies[0]
        .failure_details
        .iter()
        .map(|d| d.failure_reason_code.as_deref().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "bad https response code: 404",
            "bad https response code: 500"
        ]
    );
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("add up to 2 sessions, the summary says 1")));
    assert_eq!(
        analysis.overview.last_end.unwrap().to_rfc3339(),
        "2024-02-23T00:00:00+00:00"
    );
}

#[test]
fn rfc_example_totals_with_mx_host_as_a_string() {
    // RFC 8460 appendix B: 5326 ok, 303 failed = 100 expired + 200 starttls + 3 validation.
    let set = set_of(&["real/parsedmarc/rfc8460.json"]);
    let analysis = analyze(&set);
    let overview = &analysis.overview;
    assert_eq!(
        (overview.successful_sessions, overview.failed_sessions),
        (5326, 303)
    );
    assert_eq!(format_rate(5326, 303), "94.6%");
    let by_type: Vec<_> = analysis.per_result[0]
        .failures_by_type
        .iter()
        .map(|t| (t.result_type.as_str(), t.sessions))
        .collect();
    assert_eq!(
        by_type,
        [
            ("starttls-not-supported", 200),
            ("certificate-expired", 100),
            ("validation-failure", 3)
        ]
    );
    let sources = &analysis.per_source[0].sources;
    let ips: Vec<_> = sources
        .iter()
        .map(|s| s.sending_ip.as_deref().unwrap())
        .collect();
    // Each address in its own text (RFC 5952): the RFC's example writes "2001:db8:abcd:0013::1".
    assert_eq!(
        ips,
        [
            "2001:db8:abcd:13::1",
            "2001:db8:abcd:12::1",
            "198.51.100.62"
        ]
    );
    assert_eq!(
        sources[0].receiving_mx_hosts,
        ["mx2.mail.company-y.example"]
    );
    let report = &set.reports[0].report;
    assert_eq!(report.policies[0].mx_hosts, ["*.mail.company-y.example"]);
    assert!(report.notes.iter().any(|n| n.contains("erratum 6241")));
}

#[test]
fn gzipped_google_attachment_totals() {
    // isseis tlsrpt_failure: 4523 ok, 2 certificate-expired from 192.0.2.1 to mail.example.com.
    let set = set_of(&["attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz"]);
    let analysis = analyze(&set);
    assert_eq!(
        (
            analysis.overview.successful_sessions,
            analysis.overview.failed_sessions
        ),
        (4523, 2)
    );
    let source = &analysis.per_source[0].sources[0];
    assert_eq!(source.sending_ip.as_deref(), Some("192.0.2.1"));
    assert_eq!(source.receiving_mx_hosts, ["mail.example.com"]);
}

#[test]
fn small_sender_quirks() {
    // contact-info null and failure-details [].
    let no_contact = report("real/cry-inc-dmarc-report-viewer/no-contact.json");
    assert_eq!(no_contact.contact_info, None);
    assert!(no_contact.policies[0].failure_details.is_empty());
    // Empty strings read as absent.
    let empty_fields = report("real/parsedmarc/empty_failure_detail_fields.json");
    let detail = &empty_fields.policies[0].failure_details[0];
    assert_eq!(detail.sending_mta_ip, None);
    assert_eq!(detail.receiving_mx_hostname, None);
    assert_eq!(
        detail.failure_reason_code.as_deref(),
        Some("no-policy-served")
    );
    // 102 failures without any details: all unitemised.
    let set = set_of(&["real/robalexdev-tlsrpt-be/report.json"]);
    let row = &analyze(&set).per_result[0];
    assert_eq!(
        (
            row.policy_type.as_str(),
            row.failed_sessions,
            row.unitemised_failures
        ),
        ("no-policy-found", 102, 102)
    );
}

#[test]
fn all_samples_together() {
    let mut files = sample_files("real", ".json");
    files.extend(sample_files("attachments", ".json.gz"));
    files.extend(sample_files("real", ".eml"));
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let set = set_of(&refs);
    let counts = set.counts();
    assert_eq!(counts.files, 31);
    assert_eq!(counts.messages, 6);
    assert_eq!(counts.rejected, 0);
    assert_eq!(counts.loaded + counts.duplicates, 31);
    // The RFC example appears six times (five JSON copies and one attachment), kept once;
    // "testing.json" reuses its content with another report-id and domain, so it is new.
    let rfc_copies = set
        .inputs
        .iter()
        .filter(|i| {
            i.describe()
                .contains("5065427c-23d3-47ca-b6e0-946ea0e8c4be")
        })
        .count();
    assert_eq!(rfc_copies, 5);
    // The six emails carry the six attachments already loaded from samples/attachments/.
    assert_eq!(counts.duplicates, 5 + 6);
    for email in &set.inputs[31 - 6..] {
        let attachment = &email.children[0];
        assert!(
            matches!(attachment.outcome, Outcome::Duplicate { .. }),
            "{}: {}",
            email.name,
            attachment.describe()
        );
    }
}
