//! One rule per result type (RFC 8460 section 4.3, the 11 registered types and any other),
//! over the failure details: what failed, where, for whom, why, and where the fault lies.
//! Certificate and DANE failures are grouped per receiving MX; MTA-STS policy failures per
//! domain, as they concern its one policy host.

use super::context::{Context, Domain, Entry};
use super::rules::{join_words, percent, Draft};
use super::{Finding, Severity};
use crate::analysis::format::{plural, thousands};
use crate::analysis::sorting::set_of;
use crate::analysis::NO_DOMAIN;
use crate::report::policy_text::TlsaRecord;
use crate::report::{FailureDetail, Name, PolicyType, ResultCategory, ResultType};
use crate::text::add_counts;
use std::collections::{BTreeMap, BTreeSet};

/// A failure-details row and the entry it belongs to.
type Row<'c, 'a> = (&'c Entry<'a>, usize, &'a FailureDetail);

pub fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    for domain in context.domains.values() {
        // (result type, MX for per-host types) → the rows.
        let mut groups: BTreeMap<(ResultType, Name), Vec<Row<'_, '_>>> = BTreeMap::new();
        let no_mx = Name::from("");
        for entry in &domain.entries {
            // Microsoft repeats its sts details under tlsa: read only the counted entry.
            if !entry.counted {
                continue;
            }
            for (index, detail) in entry.entry.failure_details.iter().enumerate() {
                // Entries that name no policy domain: only the MX hosts' own failures (their
                // certificates, STARTTLS) have a fix anyone can make; a policy's failures
                // would send the reader to "mta-sts.(no policy-domain)" (`data/no-policy-domain`
                // says what to do about them).
                if domain.name == NO_DOMAIN
                    && detail.result_type.category() != ResultCategory::Negotiation
                {
                    continue;
                }
                let per_host = detail.result_type.category() != ResultCategory::StsPolicy;
                let mx = match (&detail.receiving_mx_hostname, per_host) {
                    (Some(mx), true) => mx.clone(),
                    _ => no_mx.clone(),
                };
                groups
                    .entry((detail.result_type.clone(), mx))
                    .or_default()
                    .push((entry, index, detail));
            }
        }
        for ((result_type, mx), rows) in &groups {
            findings.push(result_finding(domain, result_type, mx, rows));
        }
        if domain.name != NO_DOMAIN {
            without_details(domain, findings);
        }
    }
}

fn result_finding(
    domain: &Domain<'_>,
    read: &ResultType,
    mx: &str,
    rows: &[Row<'_, '_>],
) -> Finding {
    let result_type = read.as_str();
    let read = read.clone();
    let known = read.is_registered();
    let mut draft = Draft::new(super::RuleId::for_result(read), domain);
    for (entry, index, detail) in rows {
        draft.add_detail(entry, *index, detail);
    }
    // The host the texts name; with none reported, every MX host of the domain, and the
    // commands name a placeholder for the reader to fill in.
    let named = if mx.is_empty() {
        draft.mx_hosts.iter().next().map(String::from)
    } else {
        Some(mx.to_string())
    };
    let host = named
        .clone()
        .unwrap_or_else(|| format!("each MX host of {}", domain.name));
    let target = named.unwrap_or_else(|| "<mx-host>".to_string());
    let facts = Facts::of(rows);
    let mut text = texts(result_type, &domain.name, (&host, &target), &facts, domain);
    // "Each MX host of example.com presents …": a sentence starts with a capital, where a
    // host's own name would not have one.
    if draft.mx_hosts.is_empty() {
        text.title = crate::text::capitalised(&text.title);
    }
    let share =
        (draft.domain_sessions > 0).then(|| draft.sessions as f64 / draft.domain_sessions as f64);
    let severity = match (known, share) {
        (false, _) => Severity::Warning,
        (true, Some(share)) if share < 0.01 => Severity::Warning,
        _ => Severity::Critical,
    };
    let mut explanation = format!(
        "{} {} {} ({}) failed with {result_type}{}. {}",
        join_words(&draft.reporters.iter().collect::<Vec<_>>()),
        if draft.reporters.len() == 1 {
            "reports"
        } else {
            "report"
        },
        plural(draft.sessions, "session", "sessions"),
        match share {
            Some(share) => format!("{} of the domain's sessions", percent(share.min(1.0))),
            None => "the domain reports no session totals".to_string(),
        },
        days_phrase(&draft.days),
        text.explanation
    );
    if !facts.reasons.is_empty() {
        explanation.push_str(&format!(
            " The reporters give as reason: {}.",
            facts.reasons_text()
        ));
    }
    explanation.push_str(&text.hints);
    if !facts.helos.is_empty() {
        explanation.push_str(&format!(
            " The receiving server introduced itself as {}.",
            join_words(&facts.helos.iter().collect::<Vec<_>>())
        ));
    }
    if !facts.receiving_ips.is_empty() {
        explanation.push_str(&format!(
            " Receiving IP: {}.",
            join_words(&facts.receiving_ips.iter().collect::<Vec<_>>())
        ));
    }
    if !facts.more_info.is_empty() {
        explanation.push_str(&format!(
            " More information from the reporter: {}.",
            join_words(&facts.more_info.iter().collect::<Vec<_>>())
        ));
    }
    if let Some(fault) = fault(domain, &draft, result_type, &host) {
        explanation.push(' ');
        explanation.push_str(&fault);
    }
    draft.finish(severity, text.title, explanation, text.fix, text.reference)
}

/// " on 3 days (2024-02-20 to 2024-02-22)", " on 2024-02-22".
fn days_phrase(days: &BTreeSet<crate::text::Day>) -> String {
    match (days.first(), days.last(), days.len()) {
        (Some(first), _, 1) => format!(" on {first}"),
        (Some(first), Some(last), n) => format!(" on {n} days ({first} to {last})"),
        _ => String::new(),
    }
}

/// What the rows say beyond their counts.
struct Facts {
    /// failure-reason-code → sessions.
    reasons: BTreeMap<String, u64>,
    helos: BTreeSet<Name>,
    receiving_ips: BTreeSet<Name>,
    more_info: BTreeSet<String>,
}

impl Facts {
    fn of(rows: &[Row<'_, '_>]) -> Self {
        let mut facts = Facts {
            reasons: BTreeMap::new(),
            helos: BTreeSet::new(),
            receiving_ips: BTreeSet::new(),
            more_info: BTreeSet::new(),
        };
        for (_, _, detail) in rows {
            if let Some(code) = &detail.failure_reason_code {
                let count = facts.reasons.entry(code.clone()).or_default();
                *count = add_counts(*count, detail.failed_session_count);
            }
            if let Some(helo) = &detail.receiving_mx_helo {
                facts.helos.insert(helo.clone());
            }
            if let Some(ip) = &detail.receiving_ip {
                facts.receiving_ips.insert(ip.clone());
            }
            if let Some(info) = &detail.additional_information {
                facts.more_info.insert(info.clone());
            }
        }
        facts
    }

    /// "\"bad https response code: 404\" (1 session), \"...: 500\" (1 session)".
    fn reasons_text(&self) -> String {
        let parts: Vec<String> = self
            .reasons
            .iter()
            .map(|(code, count)| format!("\"{code}\" ({})", plural(*count, "session", "sessions")))
            .collect();
        join_words(&parts)
    }

    fn mentions(&self, needle: &str) -> bool {
        self.reasons
            .keys()
            .any(|code| code.to_ascii_lowercase().contains(needle))
    }
}

/// Where the fault most likely lies, from who sees the failure.
fn fault(domain: &Domain<'_>, draft: &Draft, result_type: &str, host: &str) -> Option<String> {
    let result_type = ResultType::from_text(result_type);
    if result_type.category() == ResultCategory::StsPolicy {
        return Some(format!(
            "This is on the receiving side: the policy host belongs to {}.",
            domain.name
        ));
    }
    let all_reporters = domain.reporters();
    let failing: Vec<&Name> = draft.reporters.iter().collect();
    if failing.len() == 1 && all_reporters.len() >= 2 {
        let others: Vec<&str> = all_reporters
            .iter()
            .copied()
            .filter(|r| *r != failing[0].as_str())
            .collect();
        let downgrade = if result_type == ResultType::StarttlsNotSupported {
            " A STARTTLS downgrade (something on that path removing STARTTLS) is possible."
        } else {
            ""
        };
        return Some(format!(
            "Only {} reports this, while {} {} no such failure: the cause is likely on {}'s \
             side or on its network path, not at {host}.{downgrade}",
            failing[0],
            join_words(&others),
            if others.len() == 1 {
                "reports"
            } else {
                "report"
            },
            failing[0]
        ));
    }
    if draft.sending_ips.len() == 1 && draft.sessions > 1 && failing.len() == 1 {
        let ip = draft.sending_ips.iter().next()?;
        return Some(format!(
            "All of these sessions come from one sending server, {ip}: if {host} works for \
             others, look at that sender or its path."
        ));
    }
    if failing.len() >= 2 || draft.sending_ips.len() >= 2 {
        return Some(format!(
            "Several independent sources see the same failure at {host}: the problem is on the \
             receiving side, at {host}."
        ));
    }
    None
}

/// Title, explanation, fix steps and reference of one result type.
struct Text {
    title: String,
    explanation: String,
    /// What the reasons given mean, said after them.
    hints: String,
    fix: Vec<String>,
    reference: &'static str,
}

/// The texts of a finding: `mx` is the host as the prose names it ("mx1.example.com", or
/// "each MX host of example.com") and `target` as a command names it (the host, or
/// "<mx-host>").
fn texts(
    result_type: &str,
    domain: &str,
    (mx, target): (&str, &str),
    facts: &Facts,
    data: &Domain<'_>,
) -> Text {
    let check_tls = format!(
        "Look at what {mx} presents: `openssl s_client -connect {target}:25 -starttls smtp \
         -servername {target} </dev/null | openssl x509 -noout -subject -ext subjectAltName -dates`."
    );
    let policy_url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    match ResultType::from_text(result_type) {
        ResultType::StarttlsNotSupported => Text {
            title: format!("{mx} did not offer STARTTLS"),
            explanation: "The sending server connected, but STARTTLS was not offered, so it \
                          could not send the mail over TLS as your policy requires."
                .to_string(),
            fix: vec![
                format!("Check that {mx} advertises STARTTLS: `openssl s_client -connect {target}:25 -starttls smtp` must complete a TLS handshake."),
                "If the server offers STARTTLS, something on the path removes it (a firewall's SMTP inspection, such as Cisco ASA \"inspect esmtp\"): turn that off.".to_string(),
                format!("Make sure every server behind {mx} (all its IP addresses) has TLS enabled with a valid certificate."),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.1",
        },
        ResultType::CertificateHostMismatch => Text {
            title: format!("{mx} presents a certificate that does not name it"),
            explanation: format!(
                "The certificate {mx} presents does not list {mx} among its names, so senders \
                 that check names (MTA-STS, DANE) refuse it."
            ),
            fix: vec![
                check_tls,
                format!("Reissue the certificate with {mx} in its subject alternative names, and install it on every server behind {mx}."),
                "Or point the MX record at a name the certificate does hold, and list that name in your MTA-STS policy's mx lines.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.1; RFC 8461 section 4.2",
        },
        ResultType::CertificateExpired => Text {
            title: format!("{mx} presents an expired certificate"),
            explanation: format!("The certificate {mx} presents has expired, so senders cannot trust it."),
            fix: vec![
                check_tls,
                format!("Renew the certificate for {mx}, install it, and reload the mail server (it may keep the old certificate in memory until it is reloaded)."),
                "Check the renewal automation (certbot, acme.sh) runs, and that it reloads the mail server after renewing.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.1",
        },
        ResultType::CertificateNotTrusted => Text {
            title: format!("Senders do not trust the certificate of {mx}"),
            explanation: format!(
                "The certificate {mx} presents does not chain to a root the senders trust: it \
                 may be self-signed, or the server may not send its intermediate certificates."
            ),
            fix: vec![
                check_tls,
                format!("Install a certificate for {mx} from a public certificate authority, and configure the full chain (certificate and intermediates), not the certificate alone."),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.1; RFC 8461 section 4.2",
        },
        ResultType::ValidationFailure => Text {
            title: format!("The certificate of {mx} failed validation"),
            explanation: "The certificate failed validation for a reason other than its name, \
                          its expiry or its issuer; the reason the reporters give says more."
                .to_string(),
            fix: vec![
                check_tls,
                "Check the certificate's key usage, its signature algorithm and whether it was revoked, and replace it if any is wrong.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.1",
        },
        ResultType::TlsaInvalid => Text {
            title: format!("The TLSA records of {mx} do not match its certificate"),
            explanation: format!(
                "Senders using DANE found TLSA records for {mx} that are invalid or match none \
                 of its certificates.{}",
                tlsa_summary(data)
            ),
            fix: vec![
                format!("Compare the TLSA records at _25._tcp.{mx} with the certificate {mx} presents (for 3 1 1 records: the SHA-256 of its public key)."),
                "When you change the key, publish the new key's TLSA record first, wait two TTLs, then switch the certificate; remove the old record afterwards.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.2; RFC 7672 section 3.1",
        },
        ResultType::DnssecInvalid => Text {
            title: format!("DNSSEC validation failed for {mx}"),
            explanation: format!(
                "Senders could not validate the DNSSEC signatures of {domain}'s MX or TLSA \
                 records, so they could not use DANE (and may not deliver at all)."
            ),
            fix: vec![
                format!("Check the DNSSEC chain of {domain} and of {mx} (for example with dnsviz.net): DS records at the registrar, unexpired signatures."),
                "If you rolled a key recently, check that the DS record at the parent matches the new key.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.2; RFC 7672 section 2.2",
        },
        ResultType::DaneRequired => Text {
            title: format!("Senders required DANE for {mx} and could not use it"),
            explanation: format!(
                "The senders require DANE for {domain} but could not complete a DANE-validated \
                 TLS session with {mx}.{}",
                tlsa_summary(data)
            ),
            fix: vec![
                format!("Check that TLSA records for _25._tcp.{mx} exist, are signed with DNSSEC and match the certificate {mx} presents."),
                format!("Check that {mx} offers STARTTLS on every address."),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.2; RFC 7672",
        },
        ResultType::StsPolicyFetchError => Text {
            title: format!("Senders could not fetch the MTA-STS policy of {domain}"),
            explanation: format!(
                "Senders look for your MTA-STS policy at {policy_url} and could not get it. \
                 Without the policy they cannot enforce TLS for {domain}."
            ),
            hints: fetch_hints(facts, domain),
            fix: vec![
                format!("Open {policy_url} in a browser: it must answer 200 OK with the policy as text/plain, with no redirect."),
                format!("Check that mta-sts.{domain} resolves in DNS, and that its web server's certificate is valid for mta-sts.{domain}."),
                "Check the web server's logs for the failing requests, and fix the server or the hosting behind it.".to_string(),
                format!("If you no longer use MTA-STS, publish a policy with \"mode: none\" for a max_age, then remove the _mta-sts.{domain} TXT record."),
            ],
            reference: "RFC 8460 section 4.3.3; RFC 8461 section 3.3",
        },
        ResultType::StsPolicyInvalid => Text {
            title: format!("The MTA-STS policy of {domain} could not be read"),
            explanation: format!(
                "Senders fetched {policy_url} but could not parse it as an MTA-STS policy."
            ),
            fix: vec![
                format!("Open {policy_url}: it must be text/plain with lines \"version: STSv1\", \"mode: enforce\" (or testing or none), one \"mx: ...\" per MX pattern, and \"max_age: ...\" in seconds."),
                "Remove anything else (HTML, a byte-order mark), and serve it with Content-Type: text/plain.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.3; RFC 8461 section 3.2",
        },
        ResultType::StsWebpkiInvalid => Text {
            title: format!("The certificate of mta-sts.{domain} is not valid"),
            explanation: format!(
                "Senders fetch {policy_url} over HTTPS and could not validate the certificate \
                 of mta-sts.{domain}."
            ),
            fix: vec![
                format!("Open {policy_url} in a browser and look at its certificate: it must be valid for mta-sts.{domain}, unexpired and from a public certificate authority, with its full chain."),
                "Renew or reissue it, and check the renewal automation covers mta-sts.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3.3; RFC 8461 section 3.3",
        },
        other => Text {
            title: format!("Failures of an unregistered type: {other}"),
            explanation: format!(
                "\"{other}\" is not one of the result types registered for RFC 8460, so what it \
                 means is up to the reporter."
            ),
            fix: vec![
                "Read the reporter's additional information and failure reason code, above.".to_string(),
                "Ask the reporter (the report's contact-info) what the type means.".to_string(),
            ],
            hints: String::new(),
            reference: "RFC 8460 section 4.3 (registry: section 6.4)",
        },
    }
}

/// What common failure reason codes of a policy fetch mean.
fn fetch_hints(facts: &Facts, domain: &str) -> String {
    let mut hints = Vec::new();
    if facts.mentions("404") {
        hints.push(format!(
            "A 404 means the web server behind mta-sts.{domain} has no file at \
             /.well-known/mta-sts.txt."
        ));
    }
    if facts.mentions(": 5") || facts.mentions(" 50") {
        hints.push(format!(
            "A 5xx code means the web server behind mta-sts.{domain} failed while answering."
        ));
    }
    if facts.mentions("timeout") || facts.mentions("timed out") || facts.mentions("connect") {
        hints.push(format!("A timeout or a refused connection means mta-sts.{domain} could not be reached on port 443."));
    }
    if facts.mentions("certificate") || facts.mentions("tls") {
        hints.push(format!("A certificate error means the HTTPS certificate of mta-sts.{domain} is not valid for that name."));
    }
    if hints.is_empty() {
        String::new()
    } else {
        format!(" {}", hints.join(" "))
    }
}

/// " The senders saw these TLSA records: 3 1 1 60…BC (DANE-EE (3), public key (1), SHA-256 (1))."
fn tlsa_summary(domain: &Domain<'_>) -> String {
    let records: BTreeSet<String> = set_of(
        domain
            .entries
            .iter()
            .filter(|e| e.entry.policy_type == PolicyType::Tlsa)
            .flat_map(|e| e.entry.policy_strings.iter())
            .map(|text| match TlsaRecord::parse(text) {
                Some(record) => format!("{text} ({})", record.describe()),
                None => format!("{text} (not a TLSA record)"),
            }),
    );
    if records.is_empty() {
        " The reports give no TLSA records.".to_string()
    } else {
        format!(
            " The senders saw {}: {}.",
            plural(records.len(), "TLSA record", "TLSA records"),
            records.into_iter().collect::<Vec<_>>().join("; ")
        )
    }
}

/// Failed sessions given in a summary with no failure details to say why.
fn without_details(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    let mut draft = Draft::new(super::RuleId::ResultWithoutDetails, domain);
    for entry in domain.entries.iter().filter(|e| e.counted) {
        let missing = entry
            .entry
            .failed_sessions
            .saturating_sub(entry.entry.itemised_failures());
        if missing == 0 {
            continue;
        }
        draft.sessions = add_counts(draft.sessions, missing);
        draft.add_entry(
            entry,
            format!(
                "{}, {}: {} failed {} under {} with no failure details",
                entry.reporter,
                entry.day_text(),
                thousands(missing),
                if missing == 1 { "session" } else { "sessions" },
                entry.entry.policy_type.as_str()
            ),
        );
    }
    if draft.sessions == 0 {
        return;
    }
    let reporters = join_words(&draft.reporters.iter().collect::<Vec<_>>());
    let title = format!(
        "{} failed without a reason given",
        plural(draft.sessions, "session", "sessions")
    );
    let explanation = format!(
        "{reporters} count {} to {} as failed but give no failure details, so the report \
         cannot say what failed.",
        plural(draft.sessions, "session", "sessions"),
        domain.name
    );
    let fix = vec![
        format!("Check each MX host of {} yourself: STARTTLS offered, certificate valid for the host name and unexpired.", domain.name),
        "Ask the reporter (the report's contact-info) for the failure details.".to_string(),
    ];
    findings.push(draft.finish(
        Severity::Warning,
        title,
        explanation,
        fix,
        "RFC 8460 section 4.4",
    ));
}
