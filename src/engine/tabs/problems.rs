//! The Problems view: the health lines (or the table of domains), the findings its choices
//! keep, a page of them with evidence for the open ones, and the rows by result it prints.

use crate::analysis::diagnosis::{DomainHealth, NamesLeftOut};
use crate::analysis::sorting::map_of;
use crate::analysis::{Finding, PerDayTally, PerResultTally};
use crate::engine::domains;
use crate::engine::model::{
    ProblemsModel, ViewRequest, CHOICES_SHOWN, DOMAIN_LINES_MAX, EVIDENCE_ROWS, PARTS_SHOWN,
};
use crate::ingest::ReportSet;

/// The Problems view's model: `health` is every domain's health line, `page` the findings
/// already paged (see [`problems_page`]).
pub fn problems(
    mut health: Vec<DomainHealth>,
    page: ProblemsPage,
    per_result: &PerResultTally,
    per_day: &PerDayTally,
    set: &ReportSet,
    request: &ViewRequest,
) -> ProblemsModel {
    let health_total = health.len();
    let all_reports = per_result.domain_report_counts();
    // Past a few domains, a table of domains instead of health lines.
    let (domain_rows, domain_rows_total) = if health_total > DOMAIN_LINES_MAX {
        domains::domain_rows(
            &health,
            &all_reports,
            per_day,
            &request.domains_search,
            request.domains_order,
            request.domains_limit,
        )
    } else {
        (Vec::new(), 0)
    };
    health.truncate(request.health_limit);
    // The counts of the domains shown, looked up (not retained: no code to rebalance a map).
    let domain_reports = map_of(health.iter().filter_map(|line| {
        let (domain, &reports) = all_reports.get_key_value(line.policy_domain.as_str())?;
        Some((domain.clone(), reports))
    }));
    let mut findings = page.shown;
    name_sources(&mut findings, set);
    ProblemsModel {
        health,
        health_total,
        domain_reports,
        domain_rows,
        domain_rows_total,
        findings,
        findings_kept: page.kept,
        finding_domains: page.domains,
        findings_by_rule: page.by_rule,
        results: super::results::results(per_result, request),
    }
}

/// The source of each evidence row's report, for the page.
fn name_sources(findings: &mut [Finding], set: &ReportSet) {
    for finding in findings {
        for row in &mut finding.evidence {
            row.source = set.reports.get(row.report_index).map(|r| r.source.clone());
        }
    }
}

/// The Problems view's page of findings.
pub struct ProblemsPage {
    pub shown: Vec<Finding>,
    pub kept: usize,
    pub by_severity: [usize; 3],
    pub domains: Vec<String>,
    pub by_rule: bool,
}

/// The findings the Problems view's choices keep, the first `findings_limit` of them, with
/// evidence for the open ones only.
pub fn problems_page(
    findings: Vec<Finding>,
    request: &ViewRequest,
    domain_count: usize,
) -> ProblemsPage {
    // A domain chosen shows that domain's own findings, whatever the reading asked for.
    let chosen = request.filter.domain.as_ref();
    let by_rule = chosen.is_none()
        && request
            .problems_by_rule
            .unwrap_or(domain_count > DOMAIN_LINES_MAX);
    let mut findings = if by_rule {
        crate::analysis::diagnosis::ranked(crate::analysis::diagnosis::group::by_rule(findings))
    } else {
        findings
    };
    use crate::analysis::Severity;
    let severity_index = |severity: Severity| match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let mut by_severity = [0; 3];
    let mut domains = std::collections::BTreeSet::new();
    // A BTreeMap of these types is in the worker already (the domains' report counts).
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for finding in &mut findings {
        by_severity[severity_index(finding.severity)] += 1;
        for domain in std::iter::once(&finding.policy_domain).chain(&finding.domains) {
            if domains.len() < CHOICES_SHOWN {
                domains.insert(domain.clone());
            }
        }
        let id = finding.id();
        let count = seen.entry(id.clone()).or_default();
        *count += 1;
        finding.key = if *count == 1 {
            id
        } else {
            format!("{id}-{count}")
        };
    }
    let kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| chosen.is_none_or(|domain| f.concerns(domain)))
        .filter(|f| request.severities[severity_index(f.severity)])
        .collect();
    let count = kept.len();
    let shown = kept
        .into_iter()
        .take(request.findings_limit)
        .map(|mut finding| {
            if !request.open_findings.contains(&finding.key) {
                finding.evidence = Vec::new();
            }
            finding.left_out = NamesLeftOut {
                mx_hosts: shorten(&mut finding.mx_hosts),
                sending_ips: shorten(&mut finding.sending_ips),
                reporters: shorten(&mut finding.reporters),
                domains: shorten(&mut finding.domains),
            };
            // A group holds the first rows of each member: the page gets the first of all.
            finding.evidence.truncate(EVIDENCE_ROWS);
            finding.parts_total = finding.parts.len();
            finding.parts.truncate(PARTS_SHOWN);
            for part in &mut finding.parts {
                part.left_out = NamesLeftOut {
                    mx_hosts: shorten(&mut part.mx_hosts),
                    reporters: shorten(&mut part.reporters),
                    ..NamesLeftOut::default()
                };
            }
            finding
        })
        .collect();
    ProblemsPage {
        shown,
        kept: count,
        by_severity,
        domains: domains.into_iter().collect(),
        by_rule,
    }
}

/// Names listed per finding on the page; the rest are counted (`Finding::left_out`).
const NAMES_SHOWN: usize = 20;

/// Cuts the list to [`NAMES_SHOWN`] and returns how many names it left out.
fn shorten(list: &mut Vec<String>) -> usize {
    let more = list.len().saturating_sub(NAMES_SHOWN);
    list.truncate(NAMES_SHOWN);
    more
}
