//! Findings of a readable length on a portfolio: the generated corpus of 3,000 reports over
//! 500 domains (the shape of the first-hour issue's portfolio, where one explanation ran to
//! 28,282 characters and named 316 reporter URLs). No explanation, title or fix step runs past
//! 2,000 characters, per domain or grouped across domains: lists inside texts name a few and
//! say how many more, and the whole list lives in the rows.

use tlsrpt_viewer::analysis::diagnosis::{group::by_rule, Finding};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

/// The longest text a finding may hold.
const TEXT_MAX: usize = 2_000;

fn long_texts(findings: &[Finding]) -> Vec<String> {
    let mut long = Vec::new();
    for finding in findings {
        let texts = [&finding.title, &finding.explanation]
            .into_iter()
            .chain(&finding.fix);
        for text in texts {
            let length = text.chars().count();
            if length > TEXT_MAX {
                long.push(format!(
                    "{} ({}): {length} characters: {}…",
                    finding.rule.as_str(),
                    finding.policy_domain,
                    text.chars().take(120).collect::<String>()
                ));
            }
        }
    }
    long
}

#[test]
fn no_finding_of_a_500_domain_portfolio_runs_past_2000_characters() {
    let dir = std::env::temp_dir().join(format!("tlsrpt-explanations-{}", std::process::id()));
    let mbox = tlsrpt_corpus::write_mbox(3_000, 500, 90, &dir).expect("the corpus is written");
    let bytes = std::fs::read(&mbox).expect("the mailbox is read");
    let _ = std::fs::remove_dir_all(&dir);
    let mut session = Session::with_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
    session.add(ingest_file("reports.mbox", &bytes));
    let findings = session.analysis().diagnosis.findings;
    let grouped = by_rule(findings.clone());

    // The test holds what it says: the portfolio has findings across hundreds of domains.
    let widest = grouped.iter().map(|f| f.domains.len()).max().unwrap_or(0);
    assert!(widest >= 100, "a finding across {widest} domains at most");
    assert!(findings.len() >= 500, "{} findings", findings.len());

    assert_eq!(long_texts(&findings), Vec::<String>::new(), "per domain");
    assert_eq!(long_texts(&grouped), Vec::<String>::new(), "across domains");
    let longest = grouped
        .iter()
        .chain(&findings)
        .map(|f| f.explanation.chars().count())
        .max()
        .unwrap_or(0);
    println!("longest explanation: {longest} characters");
}
