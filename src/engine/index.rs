//! The session's indexes, built as reports arrive: the reports of each policy domain, each
//! day and each reporting organisation, and the values each filter can take. A filter starts
//! from the narrowest index it names, so a domain or a week of 100,000 reports is selected by
//! looking at that domain's or that week's reports only.

use super::model::Choices;
use crate::analysis::sorting::sort;
use crate::analysis::{domain_key, Filter};
use crate::ingest::LoadedReport;
use crate::report::Name;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Default)]
pub struct Index {
    /// Report indices per policy domain (normalised), per start day, per organisation; each
    /// list in increasing order.
    pub by_domain: HashMap<Name, Vec<usize>>,
    by_day: BTreeMap<NaiveDate, Vec<usize>>,
    by_organization: HashMap<Name, Vec<usize>>,
    choices: ChoiceSets,
}

#[derive(Default)]
struct ChoiceSets {
    domains: BTreeSet<Name>,
    organizations: BTreeSet<Name>,
    policy_types: BTreeSet<Name>,
    result_types: BTreeSet<Name>,
    mx_hosts: BTreeSet<Name>,
}

impl Index {
    pub fn add(&mut self, index: usize, loaded: &LoadedReport) {
        let report = &loaded.report;
        let choices = &mut self.choices;
        if let Some(org) = &report.organization_name {
            insert_new(&mut choices.organizations, org);
            push(&mut self.by_organization, org.clone(), index);
        }
        if let Some(day) = report.start.as_ref().and_then(|t| t.utc) {
            self.by_day.entry(day.date_naive()).or_default().push(index);
        }
        for entry in &report.policies {
            push(&mut self.by_domain, domain_key(entry), index);
            if let Some(domain) = &entry.policy_domain {
                insert_new(&mut choices.domains, domain);
            }
            if !choices.policy_types.contains(entry.policy_type.as_str()) {
                let name = Name::from(entry.policy_type.as_str());
                choices.policy_types.insert(name);
            }
            for detail in &entry.failure_details {
                if !choices.result_types.contains(detail.result_type.as_str()) {
                    let name = Name::from(detail.result_type.as_str());
                    choices.result_types.insert(name);
                }
                if let Some(mx) = &detail.receiving_mx_hostname {
                    insert_new(&mut choices.mx_hosts, mx);
                }
            }
        }
    }

    /// The reports a filter can keep, in order, from the narrowest index it names; `None`
    /// when it names none of them (every report is a candidate).
    pub fn candidates(&self, filter: &Filter) -> Option<Vec<usize>> {
        if let Some(domain) = &filter.domain {
            let domain = crate::report::names::host_name(domain);
            return Some(
                self.by_domain
                    .get(domain.as_str())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        if filter.from.is_some() || filter.to.is_some() {
            let from = filter.from.unwrap_or(NaiveDate::MIN);
            let to = filter.to.unwrap_or(NaiveDate::MAX);
            if from > to {
                return Some(Vec::new());
            }
            let mut reports: Vec<usize> = self
                .by_day
                .range(from..=to)
                .flat_map(|(_, reports)| reports.iter().copied())
                .collect();
            sort(&mut reports);
            return Some(reports);
        }
        if let Some(org) = &filter.organization {
            return Some(
                self.by_organization
                    .get(org.as_str())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        None
    }

    /// The reports a filter can keep: its candidates, or every one of the `loaded` reports.
    pub fn candidates_or_all(&self, filter: &Filter, loaded: usize) -> Vec<usize> {
        self.candidates(filter)
            .unwrap_or_else(|| (0..loaded).collect())
    }

    pub fn domains(&self) -> impl Iterator<Item = &Name> {
        self.by_domain.keys()
    }

    /// The values each filter can take, over the whole session.
    pub fn choices(&self) -> Choices {
        let list = |set: &BTreeSet<Name>| set.iter().map(String::from).collect();
        let c = &self.choices;
        Choices {
            domains: list(&c.domains),
            organizations: list(&c.organizations),
            policy_types: list(&c.policy_types),
            result_types: list(&c.result_types),
            mx_hosts: list(&c.mx_hosts),
            totals: [
                c.domains.len(),
                c.organizations.len(),
                c.policy_types.len(),
                c.result_types.len(),
                c.mx_hosts.len(),
            ],
        }
    }
}

/// Adds a report to a key's list, once.
fn push(lists: &mut HashMap<Name, Vec<usize>>, key: Name, index: usize) {
    let list = lists.entry(key).or_default();
    if list.last() != Some(&index) {
        list.push(index);
    }
}

/// Adds the shared name to the set when it is new (a clone of a name costs no copy).
pub fn insert_new(set: &mut BTreeSet<Name>, name: &Name) {
    if !set.contains(name) {
        set.insert(name.clone());
    }
}
