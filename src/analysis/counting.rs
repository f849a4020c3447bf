//! Which policy entries count toward session totals. Microsoft reports the same sessions to
//! one domain under both a `tlsa` and an `sts` policy; adding both would double them.

use crate::report::{PolicyEntry, PolicyType, Report};
use crate::text::add_counts;
use std::collections::HashMap;

/// The rule, as the page states it.
pub const COUNTING_RULE: &str = "When one report gives both a tlsa and an sts policy for the \
same domain (Microsoft does this), both describe the same sessions: the totals count them once, \
from the policy with more sessions (tlsa on a tie, as DANE takes precedence over MTA-STS). \
The per-result view still lists each policy type on its own row.";

/// For each policy entry of the report, whether its sessions count toward totals.
pub fn counted_entries(report: &Report) -> Vec<bool> {
    counted_flags(report.policies.iter())
}

/// For each of the entries of one report (all of them, or those a filter kept), whether its
/// sessions count toward totals.
pub fn counted_flags<'a>(entries: impl Iterator<Item = &'a PolicyEntry>) -> Vec<bool> {
    let entries: Vec<&PolicyEntry> = entries.collect();
    let mut counted = vec![true; entries.len()];
    // Per domain: the sessions reported under tlsa and under sts, and the entries of each.
    let mut overlap: HashMap<&str, [(u64, Vec<usize>); 2]> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let slot = match entry.policy_type {
            PolicyType::Tlsa => 0,
            PolicyType::Sts => 1,
            _ => continue,
        };
        let domain = entry.policy_domain.as_deref().unwrap_or("");
        let sides = overlap.entry(domain).or_default();
        sides[slot].0 = add_counts(sides[slot].0, entry.total_sessions());
        sides[slot].1.push(index);
    }
    for [(tlsa_sessions, tlsa), (sts_sessions, sts)] in overlap.into_values() {
        if tlsa.is_empty() || sts.is_empty() {
            continue;
        }
        let dropped = if tlsa_sessions >= sts_sessions {
            sts
        } else {
            tlsa
        };
        for index in dropped {
            counted[index] = false;
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::parse_report;

    fn report(policies: &str) -> Report {
        parse_report(format!(r#"{{"report-id":"r","policies":[{policies}]}}"#).as_bytes()).unwrap()
    }

    fn entry(kind: &str, domain: &str, ok: u64, failed: u64) -> String {
        format!(
            r#"{{"policy":{{"policy-type":"{kind}","policy-domain":"{domain}"}},
               "summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}}}}"#
        )
    }

    #[test]
    fn tlsa_and_sts_for_one_domain_count_once() {
        let r = report(
            &[
                entry("sts", "a.example", 2, 0),
                entry("tlsa", "a.example", 2, 0),
            ]
            .join(","),
        );
        assert_eq!(counted_entries(&r), vec![false, true]);
        let r = report(
            &[
                entry("sts", "a.example", 5, 1),
                entry("tlsa", "a.example", 2, 0),
            ]
            .join(","),
        );
        assert_eq!(counted_entries(&r), vec![true, false]);
    }

    #[test]
    fn other_combinations_all_count() {
        let r = report(
            &[
                entry("sts", "a.example", 2, 0),
                entry("tlsa", "b.example", 2, 0),
                entry("sts", "a.example", 1, 0),
                entry("no-policy-found", "a.example", 3, 0),
            ]
            .join(","),
        );
        assert_eq!(counted_entries(&r), vec![true, true, true, true]);
    }
}
