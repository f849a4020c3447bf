//! The figures and findings under one filter, kept up to date as reports arrive. The session
//! holds one for no filter, always, and one for the filter the page has set, so that clearing
//! a filter costs nothing and setting one costs only the reports it can keep.

use super::index::{insert_new, Index};
use crate::analysis::diagnosis::group::across_domains;
use crate::analysis::diagnosis::{diagnose_domains, ranked, DomainHealth};
use crate::analysis::sorting::{set_of, sort};
use crate::analysis::{domain_key, Diagnosis, Filter, Finding, Selected, Selector, Tallies};
use crate::ingest::ReportSet;
use crate::report::Name;
use std::collections::{BTreeMap, BTreeSet};

pub struct View {
    pub selector: Selector,
    pub tallies: Tallies,
    /// The health line and findings of each domain.
    diagnosis: BTreeMap<String, (DomainHealth, Vec<Finding>)>,
    /// Domains whose diagnosis is out of date.
    dirty: BTreeSet<Name>,
}

impl View {
    /// The view of a filter over the reports loaded so far: only the candidates the index
    /// gives are looked at.
    pub fn new(filter: &Filter, set: &ReportSet, index: &Index) -> Self {
        let mut view = View {
            selector: Selector::new(filter),
            tallies: Tallies::default(),
            diagnosis: BTreeMap::new(),
            dirty: set_of(index.domains().cloned()),
        };
        for i in index.candidates_or_all(filter, set.reports.len()) {
            view.add(i, set);
        }
        view
    }

    /// Counts a report if the filter keeps it, and marks its domains for the diagnosis.
    pub fn add(&mut self, index: usize, set: &ReportSet) {
        if let Some(selected) = self.selector.select(index, &set.reports[index]) {
            self.tallies.add(&selected);
            for entry in &selected.entries {
                insert_new(&mut self.dirty, &domain_key(entry.entry.as_ref()));
            }
        }
    }

    /// Marks a domain for the diagnosis (a fact about the inputs changed).
    pub fn recheck(&mut self, domain: &Name) {
        insert_new(&mut self.dirty, domain);
    }

    /// A domain's health line as the diagnosis last gave it.
    pub fn health_line(&self, domain: &str) -> Option<&DomainHealth> {
        self.diagnosis.get(domain).map(|(line, _)| line)
    }

    pub fn diagnosis_pending(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Runs the diagnosis again for the domains that changed since it last ran.
    pub fn diagnose(&mut self, set: &ReportSet, index: &Index) {
        let dirty = std::mem::take(&mut self.dirty);
        self.diagnose_domains(set, index, dirty);
    }

    /// Runs the diagnosis again for some of the domains that changed: whole domains, in name
    /// order, until they hold `reports` reports (at least one domain). True while some remain.
    pub fn diagnose_some(&mut self, set: &ReportSet, index: &Index, reports: usize) -> bool {
        let chosen = batch(index, self.dirty.iter(), Some(reports));
        self.take(set, index, chosen);
        !self.dirty.is_empty()
    }

    /// The domains the diagnosis has a line for (those with reports under the filter).
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.diagnosis.keys().map(String::as_str)
    }

    /// Whether any of `domains` is out of date.
    pub fn pending_among<'a>(&self, mut domains: impl Iterator<Item = &'a str>) -> bool {
        domains.any(|domain| self.dirty.contains(domain))
    }

    /// Runs the diagnosis again for those of `domains` that changed, whole domains until they
    /// hold `reports` reports (all of them with None). True while some of them remain.
    pub fn diagnose_among<'a>(
        &mut self,
        set: &ReportSet,
        index: &Index,
        domains: impl Iterator<Item = &'a str>,
        reports: Option<usize>,
    ) -> bool {
        let wanted: Vec<&Name> = domains
            .filter_map(|domain| self.dirty.get(domain))
            .collect();
        let chosen = batch(index, wanted.iter().copied(), reports);
        let left = wanted.len() > chosen.len();
        self.take(set, index, chosen);
        left
    }

    /// Takes `chosen` out of the domains out of date, and runs their diagnosis.
    fn take(&mut self, set: &ReportSet, index: &Index, chosen: BTreeSet<Name>) {
        for domain in &chosen {
            self.dirty.remove(domain);
        }
        self.diagnose_domains(set, index, chosen);
    }

    fn diagnose_domains(&mut self, set: &ReportSet, index: &Index, dirty: BTreeSet<Name>) {
        if dirty.is_empty() {
            return;
        }
        let mut indices: Vec<usize> = dirty
            .iter()
            .filter_map(|domain| index.by_domain.get(domain))
            .flatten()
            .copied()
            .collect();
        sort(&mut indices);
        indices.dedup();
        let selected: Vec<Selected<'_>> = indices
            .into_iter()
            .filter_map(|i| self.selector.select(i, &set.reports[i]))
            .collect();
        let (health, findings) = diagnose_domains(set, &selected, Some(&dirty));
        for domain in &dirty {
            self.diagnosis.remove(domain.as_str());
        }
        let mut by_domain: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        for finding in findings {
            by_domain
                .entry(finding.policy_domain.clone())
                .or_default()
                .push(finding);
        }
        for line in health {
            // Taken, not removed: the map is dropped whole (no code to rebalance it).
            let findings = by_domain
                .get_mut(&line.policy_domain)
                .map(std::mem::take)
                .unwrap_or_default();
            self.diagnosis
                .insert(line.policy_domain.clone(), (line, findings));
        }
    }

    /// The findings and health lines as they stand; with `evidence_rows`, each finding keeps
    /// only its first rows of evidence (and says how many it has).
    pub fn diagnosis(&self, evidence_rows: Option<usize>) -> Diagnosis {
        let copy = |finding: &Finding| match evidence_rows {
            None => finding.clone(),
            Some(rows) => Finding {
                evidence: finding.evidence.iter().take(rows).cloned().collect(),
                evidence_total: finding.evidence.len(),
                ..finding.clone_without_evidence()
            },
        };
        Diagnosis {
            domains: self
                .diagnosis
                .values()
                .map(|(line, _)| line.clone())
                .collect(),
            findings: ranked(across_domains(
                self.diagnosis
                    .values()
                    .flat_map(|(_, findings)| findings.iter().map(copy))
                    .collect(),
            )),
        }
    }
}

/// Of `domains`, in their order, whole domains until they hold `reports` reports (at least one
/// domain; every one with None).
fn batch<'a>(
    index: &Index,
    domains: impl Iterator<Item = &'a Name>,
    reports: Option<usize>,
) -> BTreeSet<Name> {
    let mut chosen = BTreeSet::new();
    let mut held = 0;
    for domain in domains {
        let count = index.by_domain.get(domain.as_str()).map_or(0, Vec::len);
        if reports.is_some_and(|most| !chosen.is_empty() && held + count > most) {
            break;
        }
        held += count;
        chosen.insert(domain.clone());
    }
    chosen
}
