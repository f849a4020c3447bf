//! Grouped findings: one per domain and rule, the rules over time as one per domain, and one
//! for MX hosts that fail the same way for several domains; and nothing lost in grouping, on
//! the real samples and on the benchmarks' generated corpus.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use tlsrpt_viewer::analysis::diagnosis::group::by_rule;
use tlsrpt_viewer::analysis::diagnosis::{ungrouped_findings, FindingPart, TIME_CHANGES};
use tlsrpt_viewer::analysis::{diagnose, Filter, Finding};
use tlsrpt_viewer::engine::model::ViewRequest;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

/// Failures as (result type, MX, sessions).
type Failures<'a> = &'a [(&'a str, &'a str, u64)];

/// A day's report from `org` with, per domain, its failures.
fn report(org: &str, day: u32, domains: &[(&str, Failures<'_>)]) -> String {
    let policies: Vec<serde_json::Value> = domains
        .iter()
        .map(|(domain, failures)| {
            let failed: u64 = failures.iter().map(|f| f.2).sum();
            let details: Vec<serde_json::Value> = failures
                .iter()
                .map(|(kind, mx, count)| {
                    serde_json::json!({"result-type": kind, "sending-mta-ip": "192.0.2.1",
                        "receiving-mx-hostname": mx, "failed-session-count": count})
                })
                .collect();
            serde_json::json!({
                "policy": {"policy-type": "sts", "policy-domain": domain,
                    "policy-string": ["version: STSv1", "mode: testing", "mx: *.hoster.example", "max_age: 86400"]},
                "summary": {"total-successful-session-count": 100, "total-failure-session-count": failed},
                "failure-details": details
            })
        })
        .collect();
    serde_json::json!({
        "organization-name": org,
        "report-id": format!("{org}-{day}"),
        "date-range": {"start-datetime": format!("2026-03-{day:02}T00:00:00Z"),
                       "end-datetime": format!("2026-03-{day:02}T23:59:59Z")},
        "policies": policies
    })
    .to_string()
}

fn set_of(texts: &[String]) -> ReportSet {
    let mut set = ReportSet::new();
    for (index, text) in texts.iter().enumerate() {
        set.add(ingest_file(&format!("r{index}.json"), text.as_bytes()));
    }
    set
}

/// Every evidence row of the findings, as (report, policy, detail, text), counted.
fn rows(findings: &[Finding]) -> BTreeMap<(usize, usize, Option<usize>, String), usize> {
    let mut rows = BTreeMap::new();
    for finding in findings {
        assert_eq!(
            finding.evidence.len(),
            finding.evidence_total,
            "{}",
            finding.title
        );
        for row in &finding.evidence {
            let key = (
                row.report_index,
                row.policy_index,
                row.detail_index,
                row.text.clone(),
            );
            *rows.entry(key).or_default() += 1;
        }
    }
    rows
}

/// What names a finding, before grouping or as a part of a group: rule, domain, title, sessions.
type Cited = (String, String, String, u64);

fn cite(part: &FindingPart) -> Cited {
    (
        part.rule.to_string(),
        part.policy_domain.clone(),
        part.title.clone(),
        part.sessions,
    )
}

/// Grouping keeps every evidence row, every session and every finding (as itself or as one
/// part of one group); returns (findings before, findings after).
fn assert_nothing_lost(set: &ReportSet, what: &str) -> (usize, usize) {
    let before = ungrouped_findings(set);
    let after = diagnose(set).findings;
    assert_eq!(rows(&before), rows(&after), "{what}: the evidence rows");
    let sessions = |f: &[Finding]| f.iter().map(|f| u128::from(f.sessions)).sum::<u128>();
    assert_eq!(sessions(&before), sessions(&after), "{what}: the sessions");
    // Each finding before is a finding after or a part of one, once.
    let mut cited: BTreeMap<Cited, usize> = BTreeMap::new();
    for finding in &after {
        if finding.parts.is_empty() {
            *cited.entry(cite(&FindingPart::of(finding))).or_default() += 1;
        } else {
            assert!(finding.parts.len() >= 2, "{what}: a group of one");
            let in_parts: usize = finding.parts.iter().map(|p| p.evidence_rows).sum();
            assert_eq!(
                in_parts, finding.evidence_total,
                "{what}: {}",
                finding.title
            );
            for part in &finding.parts {
                *cited.entry(cite(part)).or_default() += 1;
            }
        }
    }
    let mut expected: BTreeMap<Cited, usize> = BTreeMap::new();
    for finding in &before {
        *expected.entry(cite(&FindingPart::of(finding))).or_default() += 1;
    }
    assert_eq!(cited, expected, "{what}: every finding is cited once");
    (before.len(), after.len())
}

#[test]
fn one_finding_per_domain_and_rule_with_a_row_per_host() {
    let texts: Vec<String> = (1..=3)
        .map(|day| {
            report(
                "Google LLC",
                day,
                &[(
                    "a.example",
                    &[
                        ("certificate-expired", "mx1.a.example", 5),
                        ("certificate-expired", "mx2.a.example", 3),
                        ("certificate-expired", "mx3.a.example", 1),
                    ],
                )],
            )
        })
        .collect();
    let set = set_of(&texts);
    let findings = diagnose(&set).findings;
    let expired: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "result/certificate-expired")
        .collect();
    assert_eq!(expired.len(), 1, "{findings:#?}");
    let group = expired[0];
    assert_eq!(group.parts.len(), 3);
    assert_eq!(group.sessions, 27);
    assert_eq!(
        group.mx_hosts,
        ["mx1.a.example", "mx2.a.example", "mx3.a.example"]
    );
    assert_eq!(
        group.title,
        "mx1.a.example presents an expired certificate, and 2 more MX hosts"
    );
    assert_eq!(group.parts[0].sessions, 15, "the largest leads");
    assert_eq!(group.evidence.len(), 9);
    assert_eq!(
        (
            group.first_seen.map(|day| day.to_string()).as_deref(),
            group.last_seen.map(|day| day.to_string()).as_deref()
        ),
        (Some("2026-03-01"), Some("2026-03-03"))
    );
    // The health line counts the grouped finding once, as the Problems view lists it.
    let health = &diagnose(&set).domains[0];
    let problems = findings
        .iter()
        .filter(|f| f.severity != tlsrpt_viewer::analysis::Severity::Info)
        .count();
    assert_eq!(health.problems, problems);
    assert!(problems < 4, "{findings:#?}");
    assert_nothing_lost(&set, "three hosts");
}

#[test]
fn one_host_alone_is_not_a_group() {
    let texts = vec![report(
        "Google LLC",
        1,
        &[("a.example", &[("certificate-expired", "mx1.a.example", 5)])],
    )];
    let findings = diagnose(&set_of(&texts)).findings;
    assert!(findings
        .iter()
        .all(|f| f.parts.is_empty() && f.domains.is_empty()));
}

#[test]
fn the_rules_over_time_are_one_finding_per_domain_with_a_row_per_change() {
    // Two reporters for 10 days; Microsoft stops after day 4 and a spike on day 8 with a
    // result type that is new for Google.
    let mut texts = Vec::new();
    for day in 1..=10 {
        let failures: Failures<'_> = if day == 8 {
            &[("starttls-not-supported", "mx1.a.example", 60)]
        } else {
            &[]
        };
        texts.push(report("Google LLC", day, &[("a.example", failures)]));
        if day <= 4 {
            texts.push(report("Microsoft Corporation", day, &[("a.example", &[])]));
        }
    }
    let set = set_of(&texts);
    let before = ungrouped_findings(&set);
    let time_before: Vec<&str> = before
        .iter()
        .filter(|f| f.rule.as_str().starts_with("time/"))
        .map(|f| f.rule.as_str())
        .collect();
    assert!(time_before.len() >= 2, "{time_before:?}");
    let findings = diagnose(&set).findings;
    let time: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule.as_str().starts_with("time/"))
        .collect();
    assert_eq!(time.len(), 1);
    assert_eq!(time[0].rule, TIME_CHANGES);
    assert_eq!(time[0].parts.len(), time_before.len());
    assert!(
        time[0]
            .title
            .starts_with("Changes over time for a.example: "),
        "{}",
        time[0].title
    );
    assert!(
        time[0].title.contains("1 reporter stopped"),
        "{}",
        time[0].title
    );
    assert!(time[0]
        .reporters
        .contains(&"Microsoft Corporation".to_string()));
    assert_nothing_lost(&set, "time");
}

#[test]
fn a_shared_mx_failing_for_several_domains_is_one_finding_naming_them_all() {
    let shared: Failures<'_> = &[("certificate-expired", "mx.hoster.example", 4)];
    let own: Failures<'_> = &[("certificate-expired", "mx.c.example", 2)];
    let texts = vec![report(
        "Google LLC",
        1,
        &[
            ("a.example", shared),
            ("b.example", shared),
            ("c.example", own),
        ],
    )];
    let set = set_of(&texts);
    let findings = diagnose(&set).findings;
    let expired: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "result/certificate-expired")
        .collect();
    assert_eq!(expired.len(), 2, "{expired:#?}");
    let group = expired.iter().find(|f| !f.domains.is_empty()).unwrap();
    assert_eq!(group.domains, ["a.example", "b.example"]);
    assert_eq!(group.sessions, 8);
    assert_eq!(group.domain_sessions, 208);
    assert_eq!(
        group.title,
        "mx.hoster.example presents an expired certificate (for 2 domains)"
    );
    assert!(group
        .explanation
        .contains("This host serves 2 domains: a.example and b.example."));
    assert_nothing_lost(&set, "shared MX");

    // Per rule across domains: the shared finding's rows each name their domain.
    let per_rule = by_rule(findings.clone());
    let expired: Vec<&Finding> = per_rule
        .iter()
        .filter(|f| f.rule == "result/certificate-expired")
        .collect();
    assert_eq!(expired.len(), 1, "{expired:#?}");
    let rows: Vec<&str> = expired[0]
        .parts
        .iter()
        .map(|part| part.policy_domain.as_str())
        .collect();
    assert_eq!(rows, ["a.example", "b.example", "c.example"]);
    assert_eq!(expired[0].domains, ["a.example", "b.example", "c.example"]);
    // A rule whose only finding is the shared one stays as it is.
    let alone = by_rule(vec![(*group).clone()]);
    assert_eq!(alone, vec![(*group).clone()]);

    // The page's domain choice (the filter's) finds the shared host under either domain, as
    // the page and summarize see it.
    let mut session = Session::new();
    session.add(ingest_file("r.json", texts[0].as_bytes()));
    session.diagnose();
    for domain in ["a.example", "b.example"] {
        let request = ViewRequest {
            filter: Filter {
                domain: Some(domain.to_string()),
                ..Filter::default()
            },
            ..ViewRequest::default()
        };
        // A new filter is a new selection: its diagnosis runs before the page reads it.
        session.set_filter(&request.filter);
        session.diagnose();
        let page = session.page(&request);
        // The domain's own reports: the host's finding, for that domain alone.
        let findings: Vec<(&str, &str)> = page
            .problems()
            .expect("the Problems tab's model")
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.policy_domain.as_str()))
            .collect();
        assert!(
            findings.contains(&(group.rule.as_str(), domain)),
            "{domain}: {findings:?}"
        );
    }
}

#[test]
fn nothing_is_lost_on_the_real_samples() {
    let mut set = ReportSet::new();
    for file in common::sample_files("real", "") {
        if !file.ends_with("LICENSE") && !file.ends_with(".tsv") && !file.ends_with(".md") {
            set.add(common::ingest_sample(&file));
        }
    }
    assert!(set.reports.len() >= 20);
    assert_nothing_lost(&set, "real samples");
}

#[test]
fn nothing_is_lost_on_the_generated_corpus_and_it_reads_in_far_fewer_findings() {
    let dir = std::env::temp_dir().join(format!("tlsrpt-grouping-{}", std::process::id()));
    let mbox = tlsrpt_corpus::write_mbox(3_000, 20, 90, &dir).expect("the corpus is written");
    let mut set = ReportSet::new();
    set.add(ingest_file("reports.mbox", &std::fs::read(&mbox).unwrap()));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(set.reports.len() >= 2_900, "{}", set.reports.len());
    let (before, after) = assert_nothing_lost(&set, "corpus");
    assert!(after * 3 < before, "{before} -> {after}");
    // Per rule across domains (the Problems view's reading of a portfolio): a couple of
    // screens, and still every evidence row and session.
    let grouped = diagnose(&set).findings;
    let per_rule = by_rule(grouped.clone());
    println!(
        "corpus of {} reports: {before} findings before grouping, {after} after, {} per rule",
        set.reports.len(),
        per_rule.len()
    );
    assert!(per_rule.len() <= 40, "{}", per_rule.len());
    assert_eq!(rows(&grouped), rows(&per_rule));
    let sessions = |f: &[Finding]| f.iter().map(|f| u128::from(f.sessions)).sum::<u128>();
    assert_eq!(sessions(&grouped), sessions(&per_rule));
    for group in per_rule.iter().filter(|f| f.domains.len() >= 2) {
        // A row per domain's finding of that rule and severity (a finding across domains
        // gives its own rows, each naming its domain).
        let members: Vec<&Finding> = grouped
            .iter()
            .filter(|f| f.rule == group.rule && f.severity == group.severity)
            .collect();
        let rows: usize = members
            .iter()
            .map(|m| {
                if m.domains.is_empty() {
                    1
                } else {
                    m.parts.len()
                }
            })
            .sum();
        assert_eq!(group.parts.len(), rows, "{}", group.title);
    }
    // At most one finding per domain and rule.
    let findings = diagnose(&set).findings;
    let mut seen = std::collections::BTreeSet::new();
    for finding in &findings {
        assert!(
            seen.insert((finding.policy_domain.clone(), finding.rule.clone())),
            "two findings for {} {}",
            finding.policy_domain,
            finding.rule
        );
    }
}

#[test]
fn the_problems_view_reads_a_portfolio_per_rule_unless_a_domain_is_chosen() {
    use tlsrpt_viewer::engine::model::DOMAIN_LINES_MAX;
    let names: Vec<String> = (0..=DOMAIN_LINES_MAX)
        .map(|i| format!("d{i}.example"))
        .collect();
    let failing: Failures<'_> = &[("starttls-not-supported", "mx.own.example", 3)];
    let domains: Vec<(&str, Failures<'_>)> =
        names.iter().map(|name| (name.as_str(), failing)).collect();
    let text = report("Google LLC", 1, &domains);
    let mut session = Session::new();
    session.add(ingest_file("r.json", text.as_bytes()));
    session.diagnose();
    // More than a handful of domains and none chosen: one finding per rule, naming them all.
    let auto = session.page(&ViewRequest::default());
    let auto = auto.problems().expect("the Problems tab's model");
    assert!(auto.findings_by_rule);
    let findings = &auto.findings;
    let mx_rule = findings
        .iter()
        .find(|f| f.rule == "sts/mx-not-in-policy")
        .unwrap();
    assert_eq!(
        mx_rule.title,
        format!(
            "MX hosts the MTA-STS policy does not name: {} domains",
            names.len()
        )
    );
    assert_eq!(mx_rule.parts.len(), names.len());
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.rule == "sts/mx-not-in-policy")
            .count(),
        1
    );
    // A domain chosen: its own findings.
    let request = ViewRequest {
        filter: Filter {
            domain: Some("d1.example".into()),
            ..Filter::default()
        },
        ..ViewRequest::default()
    };
    session.set_filter(&request.filter);
    session.diagnose();
    let one = session.page(&request);
    let one = one.problems().expect("the Problems tab's model");
    assert!(!one.findings_by_rule);
    assert!(one.findings.iter().all(|f| f.concerns("d1.example")));
    // Asked for per domain: a finding per domain and rule.
    let per_domain = session.page(&ViewRequest {
        problems_by_rule: Some(false),
        ..ViewRequest::default()
    });
    let per_domain = per_domain.problems().expect("the Problems tab's model");
    assert!(!per_domain.findings_by_rule);
    let mx_findings = per_domain
        .findings
        .iter()
        .filter(|f| f.rule == "sts/mx-not-in-policy")
        .count();
    assert_eq!(mx_findings, names.len());
}
