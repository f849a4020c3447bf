//! The diagnosis: for each rule, reports that trigger it and reports that must not; and the
//! findings for every real sample, checked by hand.

mod common;

use common::*;
use tlsrpt_viewer::analysis::{diagnose, Finding, Severity};
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

/// A report from `org` for the day `day` ("2026-11-01") with the given policies (JSON).
fn report(org: &str, id: &str, day: &str, policies: &str) -> String {
    format!(
        r#"{{"organization-name":"{org}","date-range":{{"start-datetime":"{day}T00:00:00Z","end-datetime":"{day}T23:59:59Z"}},"contact-info":"tls@{org}","report-id":"{id}","policies":[{policies}]}}"#
    )
}

/// An sts policy entry for example.com with the given policy lines, counts and details.
fn sts(lines: &[&str], ok: u64, failed: u64, details: &str) -> String {
    let lines: Vec<String> = lines.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        r#"{{"policy":{{"policy-type":"sts","policy-string":[{}],"policy-domain":"example.com","mx-host":["*.mail.example.com"]}},"summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}},"failure-details":[{details}]}}"#,
        lines.join(",")
    )
}

const ENFORCE: [&str; 4] = [
    "version: STSv1",
    "mode: enforce",
    "mx: *.mail.example.com",
    "max_age: 604800",
];

fn detail(result_type: &str, mx: &str, count: u64) -> String {
    format!(
        r#"{{"result-type":"{result_type}","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"{mx}","failed-session-count":{count}}}"#
    )
}

fn findings_of(reports: &[String]) -> Vec<Finding> {
    let mut set = ReportSet::new();
    for (index, text) in reports.iter().enumerate() {
        set.add(ingest_file(&format!("r{index}.json"), text.as_bytes()));
    }
    diagnose(&set).findings
}

fn rules(findings: &[Finding]) -> Vec<(&str, Severity)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect()
}

fn only<'f>(findings: &'f [Finding], rule: &str) -> &'f Finding {
    let matching: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(matching.len(), 1, "{rule} in {:?}", rules(findings));
    matching[0]
}

#[test]
fn a_clean_report_raises_nothing() {
    let clean = report("Google Inc.", "a", "2026-11-01", &sts(&ENFORCE, 500, 0, ""));
    assert!(findings_of(&[clean]).is_empty());
}

#[test]
fn each_registered_result_type_has_its_rule() {
    let types = [
        "starttls-not-supported",
        "certificate-host-mismatch",
        "certificate-expired",
        "certificate-not-trusted",
        "validation-failure",
        "tlsa-invalid",
        "dnssec-invalid",
        "dane-required",
        "sts-policy-fetch-error",
        "sts-policy-invalid",
        "sts-webpki-invalid",
    ];
    for result_type in types {
        let text = report(
            "Google Inc.",
            "a",
            "2026-11-01",
            &sts(
                &ENFORCE,
                90,
                10,
                &detail(result_type, "mx1.mail.example.com", 10),
            ),
        );
        let findings = findings_of(&[text]);
        let finding = only(&findings, &format!("result/{result_type}"));
        assert_eq!(finding.severity, Severity::Critical, "{result_type}");
        assert_eq!(finding.sessions, 10);
        assert_eq!(finding.domain_sessions, 100);
        assert_eq!(finding.reporters, ["Google Inc."]);
        assert_eq!(finding.sending_ips, ["192.0.2.1"]);
        assert_eq!(
            finding.first_seen.map(|day| day.to_string()).as_deref(),
            Some("2026-11-01")
        );
        assert!(!finding.fix.is_empty() && finding.reference.starts_with("RFC 8460 section 4.3"));
        assert_eq!(finding.evidence.len(), 1);
        assert_eq!(finding.evidence[0].detail_index, Some(0));
        let names_a_host =
            finding.title.contains("mx1.mail.example.com") || finding.title.contains("example.com");
        assert!(names_a_host, "{}", finding.title);
        if result_type.starts_with("sts-") {
            let url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
            assert!(
                finding.fix.iter().any(|step| step.contains(url))
                    || finding.explanation.contains(url)
            );
        } else {
            assert_eq!(finding.mx_hosts, ["mx1.mail.example.com"]);
            assert!(
                finding
                    .fix
                    .iter()
                    .any(|step| step.contains("mx1.mail.example.com")),
                "{result_type}"
            );
        }
    }
}

#[test]
fn an_unknown_result_type_is_a_warning() {
    let text = report(
        "X",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            90,
            10,
            &detail("weird-failure", "mx1.mail.example.com", 10),
        ),
    );
    let findings = findings_of(&[text]);
    let finding = only(&findings, "result/unknown-type");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.title.contains("weird-failure"));
}

#[test]
fn a_small_share_of_failures_is_a_warning() {
    let text = report(
        "X",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            9990,
            10,
            &detail("certificate-expired", "mx1.mail.example.com", 10),
        ),
    );
    assert_eq!(
        only(&findings_of(&[text]), "result/certificate-expired").severity,
        Severity::Warning
    );
}

#[test]
fn every_field_of_a_failure_detail_is_used() {
    let rich = r#"{"result-type":"certificate-host-mismatch","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx2.mail.example.com","receiving-mx-helo":"mail.example.net","receiving-ip":"203.0.113.7","failed-session-count":312,"additional-information":"https://reports.example/info","failure-reason-code":"X509_V_ERR_HOSTNAME_MISMATCH"}"#;
    let text = report(
        "Google Inc.",
        "a",
        "2026-11-01",
        &sts(&ENFORCE, 1000, 312, rich),
    );
    let findings = findings_of(&[text]);
    let finding = only(&findings, "result/certificate-host-mismatch");
    assert_eq!(
        finding.title,
        "mx2.mail.example.com presents a certificate that does not name it"
    );
    for fact in [
        "X509_V_ERR_HOSTNAME_MISMATCH",
        "mail.example.net",
        "203.0.113.7",
        "https://reports.example/info",
    ] {
        assert!(
            finding.explanation.contains(fact),
            "{fact} in {}",
            finding.explanation
        );
    }
    assert!(finding
        .fix
        .iter()
        .any(|s| s.contains("subject alternative names")));
}

#[test]
fn where_the_fault_lies() {
    // Only one of two reporters sees STARTTLS missing: the sender's side or its path.
    let google = report(
        "Google Inc.",
        "g",
        "2026-11-01",
        &sts(
            &ENFORCE,
            100,
            5,
            &detail("starttls-not-supported", "mx1.mail.example.com", 5),
        ),
    );
    let microsoft = report(
        "Microsoft Corporation",
        "m",
        "2026-11-01",
        &sts(&ENFORCE, 100, 0, ""),
    );
    let findings = findings_of(&[google.clone(), microsoft]);
    let finding = only(&findings, "result/starttls-not-supported");
    assert!(
        finding
            .explanation
            .contains("Only Google Inc. reports this"),
        "{}",
        finding.explanation
    );
    assert!(finding.explanation.contains("STARTTLS downgrade"));
    // Both see it against one MX: the receiving side.
    let microsoft_too = report(
        "Microsoft Corporation",
        "m",
        "2026-11-01",
        &sts(
            &ENFORCE,
            100,
            5,
            &detail("starttls-not-supported", "mx1.mail.example.com", 5),
        )
        .replace("192.0.2.1", "198.51.100.9"),
    );
    let findings = findings_of(&[google, microsoft_too]);
    let finding = only(&findings, "result/starttls-not-supported");
    assert!(
        finding
            .explanation
            .contains("the problem is on the receiving side, at mx1.mail.example.com"),
        "{}",
        finding.explanation
    );
}

#[test]
fn sts_mode_none_and_ready_to_enforce() {
    let none = report(
        "G",
        "a",
        "2026-11-01",
        &sts(
            &["version: STSv1", "mode: none", "max_age: 604800"],
            10,
            0,
            "",
        ),
    );
    assert_eq!(
        rules(&findings_of(&[none])),
        [("sts/mode-none", Severity::Warning)]
    );
    let testing = [
        "version: STSv1",
        "mode: testing",
        "mx: *.mail.example.com",
        "max_age: 604800",
    ];
    // One clean report is not enough data for the verdict: no note.
    let clean = report("G", "a", "2026-11-01", &sts(&testing, 10, 0, ""));
    assert!(findings_of(&[clean])
        .iter()
        .all(|f| f.rule != "sts/ready-to-enforce"));
    // Two reporters over 14 days, nothing failed: the verdict is ready, and so is the note.
    let mut weeks = Vec::new();
    for day in 1..=14 {
        for org in ["G", "M"] {
            weeks.push(report(
                org,
                &format!("{org}{day}"),
                &format!("2026-11-{day:02}"),
                &sts(&testing, 10, 0, ""),
            ));
        }
    }
    let findings = findings_of(&weeks);
    let finding = only(&findings, "sts/ready-to-enforce");
    assert_eq!(finding.severity, Severity::Info);
    assert!(finding.fix.iter().any(|s| s.contains("mode: enforce")));
    let failing = report(
        "G",
        "a",
        "2026-11-01",
        &sts(
            &testing,
            10,
            1,
            &detail("certificate-expired", "mx1.mail.example.com", 1),
        ),
    );
    assert!(findings_of(&[failing])
        .iter()
        .all(|f| f.rule != "sts/ready-to-enforce"));
}

#[test]
fn sts_max_age_bounds() {
    let with_age = |age: &str| {
        let lines = [
            "version: STSv1",
            "mode: enforce",
            "mx: *.mail.example.com",
            age,
        ];
        findings_of(&[report("G", "a", "2026-11-01", &sts(&lines, 10, 0, ""))])
    };
    assert_eq!(
        rules(&with_age("max_age: 3600")),
        [("sts/max-age-short", Severity::Warning)]
    );
    assert_eq!(
        rules(&with_age("max_age: 40000000")),
        [("sts/max-age-too-long", Severity::Warning)]
    );
    assert!(with_age("max_age: 86400").is_empty());
    assert!(with_age("max_age: 31557600").is_empty());
}

#[test]
fn receiving_hosts_outside_the_policy() {
    let text = report(
        "G",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            100,
            4,
            &detail("certificate-expired", "backup.example.net", 4),
        ),
    );
    let findings = findings_of(&[text]);
    let finding = only(&findings, "sts/mx-not-in-policy");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(
        finding.title,
        "backup.example.net is not covered by the MTA-STS policy of example.com"
    );
    assert!(finding.fix[0].contains("mx: backup.example.net"));
    let inside = report(
        "G",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            100,
            4,
            &detail("certificate-expired", "mx1.mail.example.com", 4),
        ),
    );
    assert!(findings_of(&[inside])
        .iter()
        .all(|f| f.rule != "sts/mx-not-in-policy"));
}

#[test]
fn senders_that_saw_different_policies() {
    let old = [
        "version: STSv1",
        "mode: testing",
        "mx: *.mail.example.com",
        "max_age: 604800",
    ];
    let a = report("Google Inc.", "a", "2026-11-01", &sts(&old, 10, 0, ""));
    let b = report(
        "Microsoft Corporation",
        "b",
        "2026-11-01",
        &sts(&ENFORCE, 10, 0, ""),
    );
    let findings = findings_of(&[a.clone(), b]);
    let finding = only(&findings, "sts/policy-differs");
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.evidence.len(), 2);
    let same = report(
        "Microsoft Corporation",
        "b",
        "2026-11-01",
        &sts(&old, 10, 0, ""),
    );
    assert!(findings_of(&[a, same])
        .iter()
        .all(|f| f.rule != "sts/policy-differs"));
}

fn tlsa(records: &str, ok: u64, failed: u64, details: &str) -> String {
    format!(
        r#"{{"policy":{{"policy-type":"tlsa","policy-string":{records},"policy-domain":"example.com"}},"summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}},"failure-details":[{details}]}}"#
    )
}

#[test]
fn tlsa_records_are_read_and_tied_to_dane_failures() {
    // Microsoft's form: one string holding a JSON list.
    let good =
        r#"["[\"3 1 1 6007EEE553E85D8DF007A845D19EC343283D4E416E9A33F9EF3040C8B7C285BC\"]"]"#;
    let text = report(
        "Microsoft Corporation",
        "a",
        "2026-11-01",
        &tlsa(
            good,
            10,
            3,
            &detail("tlsa-invalid", "mx1.mail.example.com", 3),
        ),
    );
    let findings = findings_of(&[text]);
    let finding = only(&findings, "result/tlsa-invalid");
    assert!(
        finding.explanation.contains("3 1 1 6007EEE5"),
        "{}",
        finding.explanation
    );
    assert!(finding
        .explanation
        .contains("DANE-EE (3), public key (1), SHA-256 (1)"));
    assert!(findings.iter().all(|f| f.rule != "tlsa/record-malformed"));
    let short = r#"["3 1 1 ABCD"]"#;
    let text = report(
        "Microsoft Corporation",
        "a",
        "2026-11-01",
        &tlsa(short, 10, 0, ""),
    );
    assert_eq!(
        rules(&findings_of(&[text])),
        [("tlsa/record-malformed", Severity::Warning)]
    );
}

#[test]
fn some_senders_find_no_policy() {
    let none = r#"{"policy":{"policy-type":"no-policy-found","policy-domain":"example.com"},"summary":{"total-successful-session-count":7,"total-failure-session-count":0}}"#;
    let a = report("Mail.ru", "a", "2026-11-01", none);
    let b = report("Google Inc.", "b", "2026-11-01", &sts(&ENFORCE, 10, 0, ""));
    let findings = findings_of(&[a.clone(), b]);
    let finding = only(&findings, "policy/not-found-by-some");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.reporters, ["Mail.ru"]);
    assert_eq!(finding.sessions, 7);
    assert!(
        findings_of(&[a]).is_empty(),
        "no policy seen by anyone is not this rule"
    );
}

/// One report per day from `org`, with (successful, failed, result type) per day.
fn days(org: &str, per_day: &[(u64, u64, &str)]) -> Vec<String> {
    per_day
        .iter()
        .enumerate()
        .map(|(index, (ok, failed, result_type))| {
            let details = if *failed > 0 {
                detail(result_type, "mx1.mail.example.com", *failed)
            } else {
                String::new()
            };
            report(
                org,
                &format!("{org}-{index}"),
                &format!("2026-11-{:02}", index + 1),
                &sts(&ENFORCE, *ok, *failed, &details),
            )
        })
        .collect()
}

#[test]
fn a_day_well_above_the_baseline() {
    let spike = days(
        "G",
        &[
            (100, 1, "certificate-expired"),
            (100, 1, "certificate-expired"),
            (60, 40, "certificate-expired"),
            (100, 1, "certificate-expired"),
        ],
    );
    let findings = findings_of(&spike);
    let finding = only(&findings, "time/failure-spike");
    assert_eq!(
        finding.title,
        "Failures jumped on 2026-11-03 for example.com"
    );
    assert_eq!(finding.sessions, 40);
    let flat = days(
        "G",
        &[
            (100, 2, "certificate-expired"),
            (100, 3, "certificate-expired"),
            (100, 2, "certificate-expired"),
        ],
    );
    assert!(findings_of(&flat)
        .iter()
        .all(|f| f.rule != "time/failure-spike"));
}

#[test]
fn a_result_type_that_appears_partway() {
    let reports = days(
        "G",
        &[(100, 0, ""), (100, 0, ""), (99, 1, "certificate-expired")],
    );
    let findings = findings_of(&reports);
    let finding = only(&findings, "time/new-result-type");
    assert_eq!(
        finding.title,
        "certificate-expired failures began on 2026-11-03 for example.com"
    );
    let from_the_start = days(
        "G",
        &[
            (99, 1, "certificate-expired"),
            (99, 1, "certificate-expired"),
        ],
    );
    assert!(findings_of(&from_the_start)
        .iter()
        .all(|f| f.rule != "time/new-result-type"));
}

#[test]
fn a_reporter_that_stops() {
    let mut reports = days("Google Inc.", &[(10, 0, ""); 8]);
    reports.extend(days("Microsoft Corporation", &[(10, 0, ""); 3]));
    let findings = findings_of(&reports);
    let finding = only(&findings, "time/reporter-stopped");
    assert_eq!(
        finding.title,
        "Microsoft Corporation stopped reporting for example.com after 2026-11-03"
    );
    assert_eq!(finding.severity, Severity::Info);
    let mut both = days("Google Inc.", &[(10, 0, ""); 8]);
    both.extend(days("Microsoft Corporation", &[(10, 0, ""); 7]));
    assert!(findings_of(&both)
        .iter()
        .all(|f| f.rule != "time/reporter-stopped"));
}

#[test]
fn data_quality_notes() {
    // Failures without details, details beyond the summary, no time zone, a reused id.
    let no_details = report("Example Inc.", "a", "2026-11-01", &sts(&ENFORCE, 10, 5, ""));
    assert_eq!(
        rules(&findings_of(&[no_details])),
        [("result/without-details", Severity::Warning)]
    );
    let beyond = report(
        "Mail.ru",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            10,
            1,
            &[
                detail("certificate-expired", "mx1.mail.example.com", 1),
                detail("certificate-expired", "mx1.mail.example.com", 1),
            ]
            .join(","),
        ),
    );
    assert!(
        rules(&findings_of(&[beyond])).contains(&("data/details-exceed-summary", Severity::Info))
    );
    // At the cap: a summary of exactly 2^53 - 1 failed sessions, details one more.
    let max = tlsrpt_viewer::text::MAX_COUNT;
    let at_cap = report(
        "Mail.ru",
        "a",
        "2026-11-01",
        &sts(
            &ENFORCE,
            10,
            max,
            &[
                detail("certificate-expired", "mx1.mail.example.com", max),
                detail("certificate-expired", "mx1.mail.example.com", 1),
            ]
            .join(","),
        ),
    );
    assert!(
        rules(&findings_of(&[at_cap])).contains(&("data/details-exceed-summary", Severity::Info)),
        "the note survives the cap"
    );
    let zoneless = report(
        "Microsoft Corporation",
        "a",
        "2026-11-01",
        &sts(&ENFORCE, 10, 0, ""),
    )
    .replace("T00:00:00Z", "T00:00:00");
    assert_eq!(
        rules(&findings_of(&[zoneless])),
        [("data/timestamps-without-zone", Severity::Info)]
    );
    let first = report("G", "same", "2026-11-01", &sts(&ENFORCE, 10, 0, ""));
    let second = report("G", "same", "2026-11-01", &sts(&ENFORCE, 11, 0, ""));
    let findings = findings_of(&[first.clone(), second.clone()]);
    assert_eq!(
        only(&findings, "data/report-id-reused").title,
        "Report-id same was given twice with different content"
    );
    // Five copies of it are one finding, with one row that names every copy.
    let mut copies = vec![first.clone()];
    copies.extend((12..16).map(|ok| report("G", "same", "2026-11-01", &sts(&ENFORCE, ok, 0, ""))));
    let findings = findings_of(&copies);
    let reused = only(&findings, "data/report-id-reused");
    assert_eq!(
        reused.title,
        "Report-id same was given 5 times with different content"
    );
    assert_eq!(reused.evidence.len(), 1);
    assert!(reused.evidence[0]
        .text
        .contains("given again with other content in "));
    assert!(
        findings_of(&[first.clone(), first]).is_empty(),
        "a true duplicate is no finding"
    );
}

#[test]
fn findings_are_ranked_by_severity_then_sessions() {
    let details = [
        detail("certificate-expired", "mx1.mail.example.com", 30),
        detail("starttls-not-supported", "mx2.mail.example.com", 60),
        r#"{"result-type":"odd-type","failed-session-count":5}"#.to_string(),
    ]
    .join(",");
    let text = report("G", "a", "2026-11-01", &sts(&ENFORCE, 900, 95, &details));
    let findings = findings_of(&[text]);
    assert_eq!(
        rules(&findings),
        [
            ("result/starttls-not-supported", Severity::Critical),
            ("result/certificate-expired", Severity::Critical),
            ("result/unknown-type", Severity::Warning),
        ]
    );
}

#[test]
fn the_healthy_google_samples_raise_nothing() {
    let google = [
        "real/phi-ag-mta-sts-exporter/google.json",
        "real/cry-inc-dmarc-report-viewer/google.json",
        "real/cry-inc-dmarc-report-viewer/history-bbd2196/google.json",
        "attachments/isseis-tlsrpt-digest/tlsrpt_success_google_1.json.gz",
        "attachments/isseis-tlsrpt-digest/tlsrpt_success_google_2.json.gz",
        "attachments/parsedmarc/google.com_smtp_tls_report.json.gz",
    ];
    for file in google {
        let findings = diagnose(&set_of(&[file])).findings;
        assert!(findings.is_empty(), "{file}: {:?}", rules(&findings));
    }
    let findings = diagnose(&set_of(&google)).findings;
    assert!(
        findings.iter().all(|f| f.severity == Severity::Info),
        "{:?}",
        rules(&findings)
    );
}

/// The findings of every real sample, worked out by hand from the files: (rule, severity,
/// sessions, domain sessions, MX hosts).
#[test]
fn findings_of_every_real_sample() {
    type Expected = (&'static str, Severity, u64, u64, &'static [&'static str]);
    let rfc: &[Expected] = &[
        // The RFC example: 200 starttls-not-supported at mx2, 100 certificate-expired at mx1,
        // 3 validation-failure at mx-backup (under 1% of 5,629: a warning).
        (
            "result/starttls-not-supported",
            Severity::Critical,
            200,
            5629,
            &["mx2.mail.company-y.example"],
        ),
        (
            "result/certificate-expired",
            Severity::Critical,
            100,
            5629,
            &["mx1.mail.company-y.example"],
        ),
        (
            "result/validation-failure",
            Severity::Warning,
            3,
            5629,
            &["mx-backup.mail.company-y.example"],
        ),
    ];
    let cases: &[(&str, &[Expected])] = &[
        ("real/parsedmarc/rfc8460.json", rfc),
        ("real/phi-ag-mta-sts-exporter/rfc.json", rfc),
        ("real/phi-ag-mta-sts-exporter/rfc-errata-6241.json", rfc),
        ("real/cry-inc-dmarc-report-viewer/rfc-example.json", rfc),
        (
            "real/cry-inc-dmarc-report-viewer/history-bbd2196/full-example.json",
            rfc,
        ),
        ("real/robalexdev-tlsrpt-be/testing.json", rfc),
        ("real/robalexdev-tlsrpt-be/test.eml", rfc),
        // Mail.ru: two failure details (404 and 500) for one failed session in the summary.
        (
            "real/parsedmarc/mail.ru.json",
            &[
                (
                    "result/sts-policy-fetch-error",
                    Severity::Critical,
                    2,
                    1,
                    &[],
                ),
                ("data/details-exceed-summary", Severity::Info, 0, 1, &[]),
            ],
        ),
        (
            "real/parsedmarc/empty_failure_detail_fields.json",
            &[(
                "result/sts-policy-fetch-error",
                Severity::Critical,
                1,
                1,
                &[],
            )],
        ),
        (
            "real/parsedmarc/smtp_tls.json",
            &[(
                "result/validation-failure",
                Severity::Critical,
                3,
                3,
                &["example.com"],
            )],
        ),
        (
            "real/cry-inc-dmarc-report-viewer/no_ip_and_mx.json",
            &[(
                "result/sts-policy-fetch-error",
                Severity::Critical,
                3,
                3,
                &[],
            )],
        ),
        (
            "real/robalexdev-tlsrpt-be/report.json",
            &[("result/without-details", Severity::Warning, 102, 201, &[])],
        ),
        (
            "real/phi-ag-mta-sts-exporter/microsoft-2.json",
            &[("data/timestamps-without-zone", Severity::Info, 0, 7, &[])],
        ),
        (
            "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
            &[(
                "result/certificate-expired",
                Severity::Warning,
                2,
                4525,
                &["mail.example.com"],
            )],
        ),
        ("real/phi-ag-mta-sts-exporter/google.json", &[]),
        ("real/phi-ag-mta-sts-exporter/microsoft.json", &[]),
        ("real/cry-inc-dmarc-report-viewer/google.json", &[]),
        ("real/cry-inc-dmarc-report-viewer/microsoft.json", &[]),
        ("real/cry-inc-dmarc-report-viewer/no-contact.json", &[]),
        ("real/cry-inc-dmarc-report-viewer/no-policy.json", &[]),
        (
            "real/cry-inc-dmarc-report-viewer/history-bbd2196/google.json",
            &[],
        ),
        ("real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml", &[]),
        ("real/isseis-tlsrpt-digest/tlsrpt_success_google_2.eml", &[]),
        (
            "real/isseis-tlsrpt-digest/tlsrpt_success_microsoft.eml",
            &[],
        ),
        ("real/parsedmarc/google.com_smtp_tls_report.eml", &[]),
    ];
    assert_eq!(cases.len(), 25, "every real sample");
    for (file, expected) in cases {
        let findings = diagnose(&set_of(&[file])).findings;
        let got: Vec<(&str, Severity, u64, u64, Vec<&str>)> = findings
            .iter()
            .map(|f| {
                (
                    f.rule.as_str(),
                    f.severity,
                    f.sessions,
                    f.domain_sessions,
                    f.mx_hosts.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        let want: Vec<(&str, Severity, u64, u64, Vec<&str>)> = expected
            .iter()
            .map(|(rule, severity, sessions, total, hosts)| {
                (*rule, *severity, *sessions, *total, hosts.to_vec())
            })
            .collect();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn the_mail_ru_finding_reads_on_its_own() {
    let diagnosis = diagnose(&set_of(&["real/parsedmarc/mail.ru.json"]));
    assert_eq!(
        diagnosis.domains[0].line,
        "example.com: 0.0% of 1 session over TLS; 1 problem, 1 note"
    );
    let finding = &diagnosis.findings[0];
    assert_eq!(
        finding.title,
        "Senders could not fetch the MTA-STS policy of example.com"
    );
    let url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
    assert!(finding.explanation.contains(url));
    assert!(finding
        .explanation
        .contains("\"bad https response code: 404\""));
    assert!(finding.explanation.contains("A 404 means the web server behind mta-sts.example.com has no file at /.well-known/mta-sts.txt"));
    assert!(finding.explanation.contains("A 5xx code means"));
    assert!(finding.fix[0].starts_with(&format!("Open {url} in a browser: it must answer 200 OK")));
    assert_eq!(
        finding.reference,
        "RFC 8460 section 4.3.3; RFC 8461 section 3.3"
    );
}

/// A failure whose reports name no MX host: the title says "Each MX host of", and the
/// commands of the fix name a placeholder to fill in, never that phrase as a host.
#[test]
fn a_command_without_a_named_host_has_a_placeholder_to_fill_in() {
    let details = r#"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","failed-session-count":4}"#;
    let findings = findings_of(&[report(
        "Example Inc.",
        "no-host",
        "2026-03-01",
        &sts(&ENFORCE, 100, 4, details),
    )]);
    let expired = only(&findings, "result/certificate-expired");
    assert!(
        expired.title.starts_with("Each MX host of example.com"),
        "{}",
        expired.title
    );
    let commands: Vec<&String> = expired
        .fix
        .iter()
        .filter(|s| s.contains("openssl"))
        .collect();
    assert!(!commands.is_empty(), "{:?}", expired.fix);
    for step in commands {
        assert!(step.contains("-connect <mx-host>:25"), "{step}");
        assert!(!step.contains("`openssl s_client -connect each"), "{step}");
    }
}

/// Policy entries that name no policy domain are the reporter's fault: a data note with
/// advice for the reporter's side, and none of the rules that tell a domain to publish or
/// change a policy (they once said "publish MTA-STS for (no policy-domain)" and "check the
/// _smtp._tls.(no policy-domain) TXT record").
#[test]
fn entries_without_a_policy_domain_get_advice_for_the_reporter_not_the_domain() {
    let testing = ["version: STSv1", "mode: testing", "max_age: 604800"];
    let mut reports = Vec::new();
    for (reporter, days) in [("Google Inc.", 1..=20), ("Microsoft", 1..=5)] {
        for day in days {
            let failures = format!(
                "{},{}",
                detail("starttls-not-supported", "mx1.example.net", 1),
                r#"{"result-type":"sts-policy-fetch-error","failed-session-count":1}"#
            );
            let entry =
                sts(&testing, 100, 2, &failures).replace(r#""policy-domain":"example.com","#, "");
            let none_found = r#"{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":3,"total-failure-session-count":0}}"#;
            reports.push(report(
                reporter,
                &format!("{reporter}-{day}"),
                &format!("2026-03-{day:02}"),
                &format!("{entry},{none_found}"),
            ));
        }
    }
    let findings = findings_of(&reports);
    let ours: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.policy_domain == "(no policy-domain)")
        .collect();
    // The MX host's own failure has its fix; the policy's, and the rules over time, none.
    let mut ids: Vec<&str> = ours.iter().map(|f| f.rule.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["data/no-policy-domain", "result/starttls-not-supported"],
        "{:?}",
        rules(&findings)
    );
    for finding in &ours {
        for step in &finding.fix {
            assert!(!step.contains("(no policy-domain)"), "{step}");
        }
    }
    let note = only(&findings, "data/no-policy-domain");
    assert_eq!(note.severity, Severity::Info);
    assert_eq!(note.title, "50 policy entries name no policy domain");
    assert_eq!(note.evidence_total, 25, "a row per report");
    assert!(note
        .fix
        .iter()
        .all(|step| !step.contains("_smtp._tls") && !step.contains("MTA-STS")));
    assert!(
        note.fix[1].starts_with("Tell the reporter"),
        "{:?}",
        note.fix
    );
    assert!(
        note.fix[2].contains("Google Inc. (tls@Google Inc.)"),
        "{:?}",
        note.fix
    );
}
