//! The engine (the session the page's worker and `summarize` share): its incremental figures
//! equal a computation from scratch, its filters equal a filtered copy, and the bugs of the
//! copy-based design stay fixed.

mod common;

use common::*;
use serde_json::Value;
use tlsrpt_viewer::analysis::{analyze, Filter};
use tlsrpt_viewer::engine::model::{Tab, Trace, ViewRequest};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

/// Every real sample, as the page would get them.
fn all_samples() -> Vec<String> {
    let mut files = sample_files("real", ".json");
    files.extend(sample_files("real", ".eml"));
    files.extend(sample_files("attachments", ".gz"));
    files
}

fn session_of(files: &[String]) -> Session {
    let mut session = Session::new();
    for file in files {
        session.add(ingest_sample(file));
    }
    session
}

/// The analysis as JSON, without the report indices (a filtered copy numbers its reports
/// anew) but with every count.
fn figures(analysis: &tlsrpt_viewer::analysis::Analysis) -> Value {
    fn blank(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("reports");
                map.remove("report-index");
                map.remove("inputs");
                map.values_mut().for_each(blank);
            }
            Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(analysis).unwrap();
    blank(&mut value);
    value
}

/// The session's incremental figures against the one-pass `analyze` of the same set (both
/// use the tallies: see the independent count below for figures that do not).
#[test]
fn the_session_equals_a_computation_from_scratch_on_every_sample() {
    let files = all_samples();
    assert!(files.len() >= 25, "{} samples", files.len());
    let mut set = ReportSet::new();
    // Read on the same day as the session is, as the verdict says when reports are old.
    set.today = Some(tlsrpt_viewer::engine::clock::today());
    files.iter().for_each(|f| set.add(ingest_sample(f)));
    let mut session = session_of(&files);
    assert_eq!(session.analysis(), analyze(&set));
    assert_eq!(session.counts(), set.counts());
}

/// The session's figures against a count written here with plain loops over the loaded
/// reports, sharing no code with the engine's tallies: sessions per domain and policy type,
/// per day, and in all, with the counting rule (a report's tlsa and sts entries for one
/// domain describe the same sessions: the side with more counts, tlsa on a tie).
#[test]
fn the_session_equals_an_independent_count_on_every_sample() {
    use std::collections::BTreeMap;
    use tlsrpt_viewer::report::PolicyType;
    let files = all_samples();
    let mut session = session_of(&files);
    let analysis = session.analysis();

    let mut total = (0u64, 0u64);
    let mut by_row: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    let mut by_day: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for loaded in &session.set().reports {
        let report = &loaded.report;
        let domain_of = |i: usize| {
            report.policies[i]
                .policy_domain
                .as_deref()
                .unwrap_or("(no policy-domain)")
                .to_string()
        };
        // Per domain of this report: the sessions under tlsa and under sts, and whether it
        // has an entry of each.
        let mut sides: BTreeMap<String, ([u64; 2], [bool; 2])> = BTreeMap::new();
        for (i, entry) in report.policies.iter().enumerate() {
            let slot = match entry.policy_type {
                PolicyType::Tlsa => 0,
                PolicyType::Sts => 1,
                _ => continue,
            };
            let side = sides.entry(domain_of(i)).or_default();
            side.0[slot] += entry.successful_sessions + entry.failed_sessions;
            side.1[slot] = true;
        }
        for (i, entry) in report.policies.iter().enumerate() {
            let domain = domain_of(i);
            let row = by_row
                .entry((domain.clone(), entry.policy_type.as_str().to_string()))
                .or_default();
            row.0 += entry.successful_sessions;
            row.1 += entry.failed_sessions;
            let ([tlsa, sts], [has_tlsa, has_sts]) =
                sides.get(&domain).copied().unwrap_or_default();
            let counted = match entry.policy_type {
                PolicyType::Tlsa => !(has_sts && sts > tlsa),
                PolicyType::Sts => !(has_tlsa && tlsa >= sts),
                _ => true,
            };
            if !counted {
                continue;
            }
            total.0 += entry.successful_sessions;
            total.1 += entry.failed_sessions;
            if let Some(day) = report.start.as_ref().and_then(|t| t.utc) {
                let day = by_day.entry(day.date_naive().to_string()).or_default();
                day.0 += entry.successful_sessions;
                day.1 += entry.failed_sessions;
            }
        }
    }
    assert!(total.0 > 0 && total.1 > 0, "{total:?}");
    assert_eq!(
        (
            analysis.overview.successful_sessions,
            analysis.overview.failed_sessions
        ),
        total
    );
    let rows: BTreeMap<(String, String), (u64, u64)> = analysis
        .per_result
        .iter()
        .map(|row| {
            (
                (row.policy_domain.clone(), row.policy_type.clone()),
                (row.successful_sessions, row.failed_sessions),
            )
        })
        .collect();
    assert_eq!(rows, by_row);
    let days: BTreeMap<String, (u64, u64)> = analysis
        .per_day
        .iter()
        .map(|day| {
            (
                day.day.to_string(),
                (day.successful_sessions, day.failed_sessions),
            )
        })
        .collect();
    assert_eq!(days, by_day);
}

#[test]
fn figures_shown_during_a_load_end_equal_to_a_single_pass() {
    let files = all_samples();
    let mut set = ReportSet::new();
    // Read on the same day as the session is, as the verdict says when reports are old.
    set.today = Some(tlsrpt_viewer::engine::clock::today());
    files.iter().for_each(|f| set.add(ingest_sample(f)));
    let mut session = Session::new();
    for (n, file) in files.iter().enumerate() {
        session.add(ingest_sample(file));
        if n % 3 == 0 {
            // As the page does while a load runs: figures and findings so far.
            let _ = session.page(&ViewRequest::default());
            session.diagnose();
        }
    }
    assert_eq!(session.analysis(), analyze(&set));
}

#[test]
fn filters_select_what_a_filtered_copy_holds() {
    let files = all_samples();
    let mut set = ReportSet::new();
    // Read on the same day as the session is, as the verdict says when reports are old.
    set.today = Some(tlsrpt_viewer::engine::clock::today());
    files.iter().for_each(|f| set.add(ingest_sample(f)));
    let mut session = session_of(&files);
    let own_lines = session.analysis().diagnosis.domains;
    let filters = [
        "domain=company-y.example",
        "domain=Example.COM.",
        "org=Google%20Inc.",
        "policy=tlsa",
        "policy=sts&result=validation-failure",
        "result=certificate-expired",
        "ip=209.85.0.0/16",
        "mx=mx1.mail.ru",
        "from=2024-02-01&to=2024-02-29",
        "ip=not-an-ip",
    ];
    for fragment in filters {
        let filter = Filter::from_fragment(fragment);
        assert!(session.set_filter(&filter), "{fragment}");
        let mut copy = analyze(&filter.apply(&set));
        let mut ours = session.analysis();
        // The inputs belong to the session: a filter never narrows them.
        assert_eq!(ours.overview.inputs, set.counts(), "{fragment}");
        // Under a filter that narrows domains' reports (anything but a domain) the health
        // lines are each domain's own, with the filter's sessions beside them (see
        // `whatever_the_filter_the_health_lines_are_the_domains_own`); the rest is the copy's.
        let narrows = Filter {
            domain: None,
            ..filter.clone()
        } != Filter::default();
        if narrows {
            for line in &ours.diagnosis.domains {
                let copied = copy
                    .diagnosis
                    .domains
                    .iter()
                    .find(|c| c.policy_domain == line.policy_domain)
                    .expect("the same domains");
                let filtered = line.filtered.expect("the filter's figure beside the line");
                assert_eq!(
                    filtered.failed_sessions, copied.failed_sessions,
                    "{fragment}"
                );
                assert_eq!(
                    filtered.successful_sessions, copied.successful_sessions,
                    "{fragment}"
                );
                assert_eq!(
                    filtered.details_only,
                    filter.narrows_details(),
                    "{fragment}"
                );
                let own = tlsrpt_viewer::analysis::diagnosis::DomainHealth {
                    filtered: None,
                    ..line.clone()
                };
                assert!(
                    own_lines.contains(&own),
                    "{fragment}: {}",
                    line.policy_domain
                );
            }
            ours.diagnosis.domains = copy.diagnosis.domains.clone();
        } else {
            assert!(ours
                .diagnosis
                .domains
                .iter()
                .all(|line| line.filtered.is_none()));
        }
        copy.overview.inputs = ours.overview.inputs;
        // The copy has no inputs, so it cannot know of a report-id given twice with other
        // content: the session still can. Apart from those notes, the figures are the same.
        let reused = |domain: &str| {
            ours.diagnosis
                .findings
                .iter()
                .filter(|f| f.rule == "data/report-id-reused" && f.policy_domain == domain)
                .count()
        };
        let lines = ours.diagnosis.domains.iter().zip(&copy.diagnosis.domains);
        for (line, copied) in lines.filter(|_| !narrows) {
            assert_eq!(
                line.notes,
                copied.notes + reused(&line.policy_domain),
                "{fragment}"
            );
        }
        ours.diagnosis
            .findings
            .retain(|f| f.rule != "data/report-id-reused");
        for line in ours
            .diagnosis
            .domains
            .iter_mut()
            .chain(copy.diagnosis.domains.iter_mut())
        {
            line.notes = 0;
            line.line = String::new();
        }
        assert_eq!(figures(&ours), figures(&copy), "{fragment}");
        assert_eq!(
            session.reports_behind(&Trace::All).len(),
            copy.overview.reports,
            "{fragment}"
        );
    }
    // And back to no filter: the figures of the whole set again.
    assert!(session.set_filter(&Filter::default()));
    assert_eq!(session.analysis(), analyze(&set));
}

fn report(org: &str, id: &str, domain: &str, ok: u64, failed: u64) -> Vec<u8> {
    format!(
        r#"{{"organization-name":"{org}","report-id":"{id}",
        "date-range":{{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T23:59:59Z"}},
        "policies":[{{"policy":{{"policy-type":"sts","policy-domain":"{domain}"}},
        "summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}}}}]}}"#
    )
    .into_bytes()
}

#[test]
fn a_reused_report_id_is_still_reported_under_a_filter() {
    let mut session = Session::new();
    session.add(ingest_file(
        "a.json",
        &report("Acme", "r1", "example.com", 5, 0),
    ));
    session.add(ingest_file(
        "b.json",
        &report("Acme", "r1", "example.com", 6, 0),
    ));
    session.add(ingest_file(
        "c.json",
        &report("Other", "r2", "example.com", 1, 0),
    ));
    let reused = |session: &mut Session| {
        session
            .analysis()
            .diagnosis
            .findings
            .iter()
            .filter(|f| f.rule == "data/report-id-reused")
            .count()
    };
    assert_eq!(reused(&mut session), 1);
    session.set_filter(&Filter::from_fragment("org=Acme"));
    assert_eq!(
        reused(&mut session),
        1,
        "the filter keeps the report, so the note stays"
    );
    assert_eq!(session.analysis().overview.inputs.duplicates, 1);
    session.set_filter(&Filter::from_fragment("org=Other"));
    assert_eq!(reused(&mut session), 0, "the filter leaves the report out");
    assert_eq!(session.analysis().overview.inputs.files, 3);
}

#[test]
fn domains_are_one_whatever_their_spelling() {
    let mut session = Session::new();
    session.add(ingest_file(
        "a.json",
        &report("A", "1", "Example.com", 5, 0),
    ));
    session.add(ingest_file(
        "b.json",
        &report("B", "2", "example.com.", 3, 1),
    ));
    session.add(ingest_file(
        "c.json",
        &report("C", "3", "EXAMPLE.COM", 2, 0),
    ));
    let analysis = session.analysis();
    assert_eq!(analysis.overview.policy_domains, ["example.com"]);
    assert_eq!(analysis.per_result.len(), 1);
    assert_eq!(analysis.per_result[0].successful_sessions, 10);
    assert_eq!(analysis.diagnosis.domains.len(), 1);
    // The spelling as given is kept in the report's notes, for the drill-down.
    let notes = &session.set().reports[0].report.notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"Example.com\" is read as example.com")),
        "{notes:?}"
    );
    // A filter typed in any spelling finds the domain.
    session.set_filter(&Filter::from_fragment("domain=EXAMPLE.com."));
    assert_eq!(session.analysis().overview.reports, 3);
}

#[test]
fn pages_carry_counts_not_report_lists() {
    let files = all_samples();
    let mut session = session_of(&files);
    let page = session.page(&ViewRequest {
        tab: Tab::Inputs,
        inputs_limit: 5,
        ..ViewRequest::default()
    });
    let inputs = page.inputs().expect("the Inputs tab's model");
    assert_eq!(inputs.inputs.len(), 5);
    assert_eq!(inputs.total, files.len());
    assert!(
        page.results().is_none(),
        "the Inputs tab carries no rows by result"
    );
    let page = session.page(&ViewRequest {
        tab: Tab::Results,
        ..ViewRequest::default()
    });
    let rows = &page.results().expect("the Results tab's model").rows;
    assert!(rows.iter().all(|row| row.reports.is_empty()));
    assert!(rows.iter().all(|row| row.report_count > 0));
    let row = &rows[0];
    let behind = session.reports_behind(&Trace::Result {
        domain: row.policy_domain.clone(),
        policy_type: row.policy_type.clone(),
    });
    assert_eq!(behind.len(), row.report_count);
    // A report opens with its JSON as given, kept compressed.
    let index = behind[0];
    match session.drill_report(index) {
        tlsrpt_viewer::engine::model::DrillAnswer::Report {
            detail: Some(detail),
            ..
        } => {
            assert!(detail.raw_kept);
            assert!(detail.json.contains("\"policies\": ["), "{}", detail.json);
        }
        other => panic!("{other:?}"),
    }
}

/// Every tab's model, with real content, and every drill-down answer cross as the worker
/// posts them and the page reads them: the worker's `to_text`, the page's `from_text`.
#[test]
fn every_message_to_and_from_the_worker_survives_the_crossing() {
    use tlsrpt_viewer::engine::model::{FromWorker, PageModel};
    let files = all_samples();
    let mut session = session_of(&files);
    session.diagnose();
    let tabs = Tab::ALL;
    // What each tab must carry, so that a crossing that loses it cannot pass.
    let carries = |tab: Tab, model: &PageModel| -> bool {
        match tab {
            Tab::Problems => model.problems().is_some_and(|p| {
                p.findings
                    .iter()
                    .any(|finding| !finding.evidence.is_empty())
                    && !p.health.is_empty()
                    && !p.results.rows.is_empty()
            }),
            Tab::Timeline => model
                .timeline()
                .is_some_and(|t| !t.rows.is_empty() && !t.bars.is_empty()),
            Tab::Results => model.results().is_some_and(|r| !r.rows.is_empty()),
            Tab::Sources => model.sources().is_some_and(|s| !s.groups.is_empty()),
            Tab::Mx => model.mx().is_some_and(|m| !m.rows.is_empty()),
            Tab::Coverage => model.coverage().is_some_and(|c| !c.rows.is_empty()),
            Tab::Compare => model.comparison().is_some_and(|c| !c.rows.is_empty()),
            Tab::Inputs => model.inputs().is_some_and(|i| !i.inputs.is_empty()),
        }
    };
    // Every finding open, so that their evidence crosses too.
    let open_findings: Vec<String> = session
        .page(&ViewRequest::default())
        .problems()
        .expect("the Problems tab's model")
        .findings
        .iter()
        .map(|finding| finding.key.clone())
        .collect();
    for tab in tabs {
        let request = ViewRequest {
            tab,
            open_findings: open_findings.clone(),
            ..ViewRequest::default()
        };
        let mut model = session.page(&request);
        model.answers = 7;
        assert!(
            carries(tab, &model),
            "{tab:?}: the model carries nothing of its tab"
        );
        let message = FromWorker::Model {
            model: Box::new(model),
        };
        let text = message.to_text().unwrap();
        // Left to the page's second module, which has the model's readers.
        assert!(FromWorker::brief_from_text(&text).is_none(), "{tab:?}");
        let back = FromWorker::from_text(&text).unwrap();
        assert_eq!(back, message, "{tab:?}");
        let FromWorker::Model { model } = back else {
            panic!("{tab:?}: not a model");
        };
        assert!(carries(tab, &model), "{tab:?}: lost on the way");
        assert_eq!((model.answers, model.request.tab), (7, tab));
    }
    let mut answers = vec![session.drill_reports(&Trace::All, 200)];
    answers.extend([0, 3, 10].map(|index| session.drill_report(index)));
    for answer in answers {
        let message = FromWorker::Drill { answer };
        let text = message.to_text().unwrap();
        assert!(FromWorker::brief_from_text(&text).is_none());
        let back = FromWorker::from_text(&text).unwrap();
        assert_eq!(back, message);
    }
    // The others are read by the page's first module, without the model's readers, and by
    // the full reader alike.
    let load = tlsrpt_viewer::engine::model::LoadProgress {
        files_done: 3,
        files_total: 10,
        bytes_done: 1 << 40,
        bytes_total: u64::MAX,
        reports: 2,
        elapsed_ms: 12.5,
        work_ms: 3.25,
        diagnosis_ms: 1.0,
        inside: Some("300 of 5,000 items in \"x\" {\"model\":1}".to_string()),
    };
    for message in [
        FromWorker::Ready,
        FromWorker::Stopped {
            text: "{\"model\": not a model".to_string(),
        },
        FromWorker::Progress {
            progress: Some(load.clone()),
            consumed: u64::MAX,
        },
        FromWorker::Progress {
            progress: None,
            consumed: 0,
        },
        FromWorker::Finished { load },
    ] {
        let text = message.to_text().unwrap();
        assert_eq!(FromWorker::from_text(&text).unwrap(), message);
        let brief = FromWorker::brief_from_text(&text);
        assert_eq!(brief.map(Result::unwrap), Some(message), "{text}");
    }
}

/// Two domains in one report: the reused-id note stays one, however the diagnosis is split.
#[test]
fn a_reused_id_note_is_made_once_when_domains_are_diagnosed_apart() {
    let two = |id: &str, ok: u64| {
        format!(
            r#"{{"organization-name":"Acme","report-id":"{id}",
            "date-range":{{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T23:59:59Z"}},
            "policies":[
             {{"policy":{{"policy-type":"sts","policy-domain":"a.example"}},"summary":{{"total-successful-session-count":{ok},"total-failure-session-count":0}}}},
             {{"policy":{{"policy-type":"sts","policy-domain":"b.example"}},"summary":{{"total-successful-session-count":{ok},"total-failure-session-count":0}}}}]}}"#
        )
        .into_bytes()
    };
    let mut session = Session::new();
    session.add(ingest_file("first.json", &two("r1", 5)));
    session.add(ingest_file("again.json", &two("r1", 6)));
    session.diagnose();
    // A later report for b.example alone: only b.example is diagnosed again.
    session.add(ingest_file(
        "b.json",
        &report("Other", "r2", "b.example", 1, 0),
    ));
    let analysis = session.analysis();
    let notes: Vec<&str> = analysis
        .diagnosis
        .findings
        .iter()
        .filter(|f| f.rule == "data/report-id-reused")
        .map(|f| f.policy_domain.as_str())
        .collect();
    assert_eq!(notes, ["a.example"]);
    let mut set = ReportSet::new();
    // Read on the same day as the session is, as the verdict says when reports are old.
    set.today = Some(tlsrpt_viewer::engine::clock::today());
    for (name, bytes) in [
        ("first.json", two("r1", 5)),
        ("again.json", two("r1", 6)),
        ("b.json", report("Other", "r2", "b.example", 1, 0)),
    ] {
        set.add(ingest_file(name, &bytes));
    }
    assert_eq!(analysis, analyze(&set));
}

#[test]
fn findings_on_the_page_have_unique_keys() {
    let files = all_samples();
    let mut session = session_of(&files);
    let page = session.page(&ViewRequest::default());
    let findings = &page.problems().expect("the Problems tab's model").findings;
    let keys: std::collections::HashSet<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys.len(), findings.len());
    assert!(!keys.contains(""));
}

#[test]
fn every_distinct_name_is_kept_once_across_reports() {
    let session = session_of(&all_samples());
    let reports = &session.set().reports;
    // Every name of every report is the session's one copy of that text.
    let mut first: std::collections::HashMap<String, tlsrpt_viewer::report::Name> =
        std::collections::HashMap::new();
    let mut shared = 0;
    let mut check = |name: &tlsrpt_viewer::report::Name| match first.get(name.as_str()) {
        Some(kept) => {
            assert!(kept.shares_with(name), "{name} is kept twice");
            shared += 1;
        }
        None => {
            first.insert(name.to_string(), name.clone());
        }
    };
    for loaded in reports {
        let report = &loaded.report;
        report.organization_name.iter().for_each(&mut check);
        for entry in &report.policies {
            entry.policy_domain.iter().for_each(&mut check);
            entry.mx_hosts.iter().for_each(&mut check);
            for detail in &entry.failure_details {
                detail.sending_mta_ip.iter().for_each(&mut check);
                detail.receiving_mx_hostname.iter().for_each(&mut check);
                detail.receiving_ip.iter().for_each(&mut check);
            }
        }
    }
    // The samples repeat organisations, domains and result types: some names are shared.
    assert!(shared > 20, "only {shared} repeated names");
    assert!(session.set().distinct_names() >= first.len());
}

#[test]
fn every_report_opens_with_its_json_as_given_gzipped_or_not() {
    let session = session_of(&all_samples());
    let reports = &session.set().reports;
    assert!(reports.iter().any(|r| r.source.ends_with(".gz")));
    for (index, loaded) in reports.iter().enumerate() {
        let tlsrpt_viewer::engine::model::DrillAnswer::Report {
            detail: Some(detail),
            ..
        } = session.drill_report(index)
        else {
            panic!("report {index} does not open");
        };
        assert!(detail.raw_kept, "{}", loaded.source);
        // The text kept reads back as the very report that was loaded.
        let again = tlsrpt_viewer::report::parse_report(detail.json.as_bytes()).unwrap();
        assert_eq!(again, loaded.report, "{}", loaded.source);
    }
}

#[test]
fn the_diagnosis_in_batches_equals_the_diagnosis_at_once() {
    let mut batched = session_of(&all_samples());
    let mut batches = 0;
    while batched.diagnose_some(1) {
        batches += 1;
    }
    assert!(batches > 3, "one domain per batch: {batches} batches");
    assert!(!batched.diagnosis_pending());
    let mut whole = session_of(&all_samples());
    whole.diagnose();
    assert_eq!(batched.current_diagnosis(), whole.current_diagnosis());
}

/// A sending IP is read as an address once, when the report is read: one that is not an
/// address is kept as given, said so in the report's notes, and matched by no IP filter.
#[test]
fn sending_ips_are_read_once_and_text_that_is_not_one_is_said_so() {
    let text = r#"{"organization-name":"Acme","report-id":"ips",
        "date-range":{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T23:59:59Z"},
        "policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},
          "summary":{"total-successful-session-count":5,"total-failure-session-count":3},
          "failure-details":[
            {"result-type":"certificate-expired","sending-mta-ip":" 192.0.2.7 ","failed-session-count":2},
            {"result-type":"certificate-expired","sending-mta-ip":"mail.sender.example","failed-session-count":1}]}]}"#;
    let mut session = Session::new();
    session.add(ingest_file("ips.json", text.as_bytes()));
    let report = &session.set().reports[0].report;
    let details = &report.policies[0].failure_details;
    assert_eq!(details[0].sending_ip, "192.0.2.7".parse().ok());
    assert_eq!(details[1].sending_ip, None);
    // Written without the address, and read back with it (a report crossing to the page).
    let text = serde_json::to_string(&details[0]).unwrap();
    assert!(!text.contains("sending-ip\""), "{text}");
    let back: tlsrpt_viewer::report::FailureDetail = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, &details[0]);
    assert_eq!(
        details[1].sending_mta_ip.as_deref(),
        Some("mail.sender.example")
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("\"mail.sender.example\" is not an IP address")),
        "{:?}",
        report.notes
    );
    session.set_filter(&Filter::from_fragment("ip=192.0.2.0/24"));
    assert_eq!(session.analysis().overview.failed_sessions, 2);
    session.set_filter(&Filter::from_fragment("ip=0.0.0.0/0"));
    assert_eq!(session.analysis().overview.failed_sessions, 2);
}

/// An address written two ways ("2001:DB8:0::1", "2001:db8::1", " 2001:db8::01 ") is one
/// source, counted by the address and shown in its own text (RFC 5952's), wherever IPs are
/// tallied: By source, By MX and a finding's sending IPs; the text as given stays in the
/// report (the drill-down, the rows).
#[test]
fn an_address_written_two_ways_is_one_row() {
    let report = |id: &str, ip: &str| {
        format!(
            r#"{{"organization-name":"Acme","report-id":"{id}",
            "date-range":{{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T23:59:59Z"}},
            "policies":[{{"policy":{{"policy-type":"sts","policy-domain":"example.com"}},
              "summary":{{"total-successful-session-count":5,"total-failure-session-count":2}},
              "failure-details":[{{"result-type":"certificate-expired","sending-mta-ip":"{ip}",
                "receiving-mx-hostname":"mx.example.com","failed-session-count":2}}]}}]}}"#
        )
    };
    let mut session = Session::new();
    for (id, ip) in [
        ("a", "2001:DB8:0::1"),
        ("b", "2001:db8::1"),
        ("c", " 2001:db8::01 "),
    ] {
        session.add(ingest_file(
            &format!("{id}.json"),
            report(id, ip).as_bytes(),
        ));
    }
    let analysis = session.analysis();
    let sources = &analysis.per_source[0].sources;
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(sources[0].sending_ip.as_deref(), Some("2001:db8::1"));
    assert_eq!(sources[0].failed_sessions, 6);
    assert_eq!(sources[0].report_count, 3);
    assert_eq!(analysis.per_mx[0].sending_ips, ["2001:db8::1"]);
    let expired = analysis
        .diagnosis
        .findings
        .iter()
        .find(|f| f.rule == "result/certificate-expired")
        .expect("the expired certificate");
    assert_eq!(expired.sending_ips, ["2001:db8::1"]);
    // The report keeps its own text.
    let given = &session.set().reports[0].report.policies[0].failure_details[0];
    assert_eq!(given.sending_mta_ip.as_deref(), Some("2001:DB8:0::1"));
}

/// After Clear the worker starts a new session: its models must not read as older than the
/// last model of the session it replaces, or the page (which keeps only models at least as
/// new as the one it shows) would drop every model of the files chosen right after Clear.
#[test]
fn a_session_after_clear_counts_its_models_on_from_the_last() {
    let mut loaded = session_of(&all_samples());
    let request = ViewRequest::default();
    let last = loaded.page(&request).generation;
    let mut cleared = Session::after(&loaded);
    let empty = cleared.page(&request);
    assert!(empty.generation > last, "{} after {last}", empty.generation);
    assert_eq!(empty.counts.files, 0);
    cleared.add(ingest_sample(&all_samples()[0]));
    assert!(cleared.page(&request).generation > empty.generation);
}

/// Files that are not reports, and nothing else: the model names them with why, so that the
/// page says at once that nothing was loaded (not "every rule passed"). Once a report is
/// loaded the list stays (the load notice still names them); with only reports there is none.
#[test]
fn with_no_report_loaded_the_model_names_what_was_set_aside() {
    let mut session = Session::new();
    session.add(ingest_file(
        "dmarc.xml",
        b"<?xml version=\"1.0\"?><feedback><report_metadata/></feedback>",
    ));
    session.add(ingest_file("empty.json", b""));
    let model = session.page(&ViewRequest::default());
    assert_eq!(model.session_reports, 0);
    let names: Vec<&str> = model.set_aside.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["dmarc.xml", "empty.json"]);
    assert!(model.set_aside.iter().all(|s| !s.reason.is_empty()));
    session.add(ingest_sample(&all_samples()[0]));
    let loaded = session.page(&ViewRequest::default());
    assert!(loaded.session_reports > 0);
    assert_eq!(loaded.set_aside.len(), 2, "still named beside the reports");
    let mut clean = Session::new();
    clean.add(ingest_sample(&all_samples()[0]));
    assert!(clean.page(&ViewRequest::default()).set_aside.is_empty());
}

/// Whatever the filter (a result type, a reporter, days), the health lines and verdicts are
/// each domain's own, over all of its reports, on the page as in `summarize`, with the
/// filter's sessions beside them; the findings are the filter's. A reporter's filter once
/// made "96.9% of 2,917 sessions, enforced" read "11.7% of 34, mode not given".
#[test]
fn whatever_the_filter_the_health_lines_are_the_domains_own() {
    let mut session = session_of(&all_samples());
    session.diagnose();
    let request = ViewRequest::default();
    let all = session.page(&request);
    let own = all.problems().expect("the Problems tab").health.clone();
    assert!(own.iter().all(|line| line.filtered.is_none()));
    for fragment in [
        "result=certificate-expired",
        "org=Google%20Inc.",
        "from=2024-02-01&to=2024-02-29",
        "domain=example.com&org=Mail.ru",
    ] {
        let filtered_request = ViewRequest {
            filter: Filter::from_fragment(fragment),
            ..ViewRequest::default()
        };
        session.page(&filtered_request);
        session.diagnose();
        let filtered = session.page(&filtered_request);
        let lines = &filtered.problems().expect("the Problems tab").health;
        assert!(!lines.is_empty(), "{fragment}");
        let mut narrower = false;
        for line in lines {
            let mine = own
                .iter()
                .find(|o| o.policy_domain == line.policy_domain)
                .expect("a domain of the session");
            let figure = line.filtered.expect("the filter's figure");
            let without = tlsrpt_viewer::analysis::diagnosis::DomainHealth {
                filtered: None,
                ..line.clone()
            };
            assert_eq!(&without, mine, "{fragment}: {}", line.policy_domain);
            assert!(figure.failed_sessions <= mine.failed_sessions, "{fragment}");
            assert!(
                figure.successful_sessions <= mine.successful_sessions,
                "{fragment}"
            );
            narrower |= figure.successful_sessions + figure.failed_sessions
                < mine.successful_sessions + mine.failed_sessions;
            assert!(
                figure.text().starts_with("Under the filter: "),
                "{}",
                figure.text()
            );
        }
        assert!(
            narrower,
            "{fragment}: the filter narrows some domain's sessions"
        );
        let summarized = session.analysis().diagnosis.domains;
        assert_eq!(
            &summarized, lines,
            "{fragment}: summarize gives the same lines"
        );
        // The findings are the filter's: only certificate-expired among the result findings.
        if fragment.starts_with("result=") {
            assert!(filtered
                .problems()
                .unwrap()
                .findings
                .iter()
                .filter(|f| f.rule.to_string().starts_with("result/"))
                .all(|f| f.rule == "result/certificate-expired"));
        }
    }
}

/// Reports loaded under a reporter's filter (a shared link): the own lines of the domains the
/// filter shows are made without it, and only theirs: the other domains wait until the filter
/// is cleared (an organisation that reports on 1 of 10 domains costs 1).
#[test]
fn under_a_filter_only_the_domains_it_shows_get_their_own_lines() {
    let mut whole = session_of(&all_samples());
    whole.diagnose();
    let own = whole.current_diagnosis().domains;
    let mut loading = Session::new();
    loading.set_filter(&Filter::from_fragment("org=Mail.ru"));
    for file in all_samples() {
        loading.add(ingest_sample(&file));
    }
    loading.diagnose();
    assert!(!loading.diagnosis_pending());
    let lines = loading.current_diagnosis().domains;
    assert_eq!(lines.len(), 1, "Mail.ru reports on example.com alone");
    let line = tlsrpt_viewer::analysis::diagnosis::DomainHealth {
        filtered: None,
        ..lines[0].clone()
    };
    assert!(own.contains(&line), "{line:?}");
    assert!(lines[0].filtered.is_some());
    loading.set_filter(&Filter::default());
    assert!(
        loading.diagnosis_pending(),
        "the other domains wait for no filter"
    );
    loading.diagnose();
    assert_eq!(loading.current_diagnosis().domains, own);
}

/// By source answers "since when?": each organisation and sending IP with the first and last
/// day of its reports (checked here against the reports themselves), and the organisation
/// with the most failures first.
#[test]
fn by_source_says_since_when_and_leads_with_the_most_failures() {
    use tlsrpt_viewer::engine::model::Tab;
    let mut session = session_of(&all_samples());
    let page = session.page(&ViewRequest {
        tab: Tab::Sources,
        ..ViewRequest::default()
    });
    let groups = &page.sources().expect("the By source tab").groups;
    assert!(groups.len() > 1);
    assert!(groups
        .windows(2)
        .all(|pair| pair[0].failed_sessions >= pair[1].failed_sessions));
    let reports = &session.set().reports;
    for group in groups {
        let days: Vec<String> = reports
            .iter()
            .filter(|loaded| {
                loaded
                    .report
                    .organization_name
                    .as_deref()
                    .unwrap_or("(unnamed)")
                    == group.organization
            })
            .filter_map(|loaded| loaded.report.start.as_ref()?.utc)
            .map(|start| start.date_naive().to_string())
            .collect();
        let first = days.iter().min().cloned();
        let last = days.iter().max().cloned();
        assert_eq!(
            group.first_day.map(|d| d.to_string()),
            first,
            "{}",
            group.organization
        );
        assert_eq!(
            group.last_day.map(|d| d.to_string()),
            last,
            "{}",
            group.organization
        );
        for row in &group.sources {
            assert!(row.first_day <= row.last_day && row.first_day >= group.first_day);
        }
    }
}
