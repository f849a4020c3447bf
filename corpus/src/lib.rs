//! The corpus generator (the `make_corpus` example, and the native tests): writes a deterministic corpus of synthetic SMTP TLS reports (RFC 8460), for benchmarks and
//! load tests of the viewer: the same arguments always give byte-identical output.
//!
//! Usage:
//!
//! ```text
//! cargo run --release --example make_corpus -- --reports N --out DIR
//!     [--domains 20] [--days 90] [--seed 1] [--formats files,mbox,zip]
//!     [--per-zip 10000] [--reused-ids PERCENT]
//! ```
//!
//! The reports copy the shapes of the real ones in the project's samples (see
//! `docs/corpus.md`): Google (`sts` with `policy-string` and `mx-host`, `no-policy-found`
//! without either, no `failure-details` when nothing failed), Microsoft (an `sts` and a
//! `tlsa` entry for the same sessions, the TLSA records as one JSON-encoded string,
//! timestamps sometimes without a zone, bare `sts-policy-fetch-error` details), Mail.ru (no
//! `policy-string`, no sending IP, free-text `failure-reason-code`, failure details that add
//! up to more than the summary) and small senders such as Postfix's reporter
//! (`contact-info: null`, `failure-details: []`, empty strings, `mx-host` as a single string,
//! `no-policy-found` without `policy-domain`).
//!
//! Reports are spread over `--domains` policy domains (`shop-00.example`, `news-01.example`,
//! ...) and `--days` UTC days ending with 2026-10-31 (the last report ends at
//! 2026-11-01T00:00:00Z). Each reporter sends at most one report per domain and day, so the
//! big three appear once per busy domain-day and small senders make up the rest. Most reports
//! have no failure details or 1 to 3; about 1 in 2,000 (at least one when N >= 1,000) has 500
//! to 2,000. Every registered result type appears (given a few hundred reports), and two
//! unregistered ones. JSON is compact or pretty-printed, as in the samples.
//!
//! Output, per `--formats` (the generator replaces `DIR/files/`, `DIR/zips/` and
//! `DIR/reports.mbox`, and nothing else):
//! - `DIR/files/`: one `submitter!domain!begin!end!seq.json.gz` per report;
//! - `DIR/reports.mbox`: one report email per report (multipart/report, a base64
//!   `application/tlsrpt+gzip` attachment, as RFC 8460 section 5.3 shows);
//! - `DIR/zips/`: `reports-001.zip`, ... holding the `.json.gz` files, 10,000 per archive
//!   (`--per-zip`).
//!
//! With `--reused-ids P`, P% of the reports give another report's (organization-name,
//! report-id) again with other content: resends with corrected figures, reporters whose ids
//! are not unique, and forgers (see `docs/corpus.md`).
//!
//! It ends by printing one line: counts, bytes per format and the seconds taken.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::Engine as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// 2026-11-01T00:00:00Z: the end of the last day of the corpus.
const CORPUS_END: i64 = 1_793_491_200;
const DAY: i64 = 86_400;
/// Reports rendered at a time (in memory at once).
const RENDER_BATCH: usize = 10_000;
/// Reports per zip archive, unless `--per-zip` says otherwise.
const PER_ZIP: usize = 10_000;
/// About one report in this many has a very long list of failure details.
const HEAVY_ONE_IN: u64 = 2_000;

const USAGE: &str = "usage: cargo run --release --example make_corpus -- --reports N --out DIR \
[--domains 20] [--days 90] [--seed 1] [--formats files,mbox,zip] [--per-zip 10000] \
[--reused-ids PERCENT]";

// ------------------------------------------------------------------------------------------
// Arguments

/// What to write: how many reports, where, over how many domains and days, in which formats.
pub struct Args {
    reports: usize,
    out: PathBuf,
    domains: usize,
    days: u32,
    seed: u64,
    files: bool,
    mbox: bool,
    zips: bool,
    /// Reports per zip archive.
    per_zip: usize,
    /// The share of reports, in percent, that repeat another report's (organization-name,
    /// report-id) with other content.
    reused_ids: f64,
}

/// The arguments of the command line (after the program's name).
pub fn parse_args() -> Result<Args, String> {
    let mut reports = None;
    let mut out = None;
    let mut domains = 20usize;
    let mut days = 90u32;
    let mut seed = 1u64;
    let mut formats = "files,mbox,zip".to_string();
    let mut per_zip = PER_ZIP;
    let mut reused_ids = 0.0f64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (flag.clone(), None),
        };
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value\n{USAGE}")),
        };
        let number = |value: &str| {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{name}: \"{value}\" is not a whole number"))
        };
        match name.as_str() {
            "--reports" => reports = Some(number(&value)? as usize),
            "--out" => out = Some(PathBuf::from(value)),
            "--domains" => domains = number(&value)? as usize,
            "--days" => days = number(&value)? as u32,
            "--seed" => seed = number(&value)?,
            "--formats" => formats = value,
            "--per-zip" => per_zip = number(&value)? as usize,
            "--reused-ids" => {
                reused_ids = value
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=50.0).contains(p))
                    .ok_or_else(|| {
                        format!("--reused-ids: \"{value}\" is not a percentage from 0 to 50")
                    })?
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let (Some(reports), Some(out)) = (reports, out) else {
        return Err(USAGE.to_string());
    };
    if domains == 0 || days == 0 || per_zip == 0 {
        return Err("--domains, --days and --per-zip must be at least 1".to_string());
    }
    let (mut files, mut mbox, mut zips) = (false, false, false);
    for format in formats.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        match format {
            "files" => files = true,
            "mbox" => mbox = true,
            "zip" | "zips" => zips = true,
            other => return Err(format!("unknown format {other}: use files, mbox, zip")),
        }
    }
    if !(files || mbox || zips) {
        return Err("--formats names no format".to_string());
    }
    Ok(Args {
        reports,
        out,
        domains,
        days,
        seed,
        files,
        mbox,
        zips,
        per_zip,
        reused_ids,
    })
}

// ------------------------------------------------------------------------------------------
// The random numbers: splitmix64, one independent stream per (purpose, index)

/// The splitmix64 finaliser: a bijection of u64 that scatters its input.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(seed.wrapping_add(mix(stream.wrapping_add(mix(index))))))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < u64::from(*weight) {
                return *item;
            }
            roll -= u64::from(*weight);
        }
        items[items.len() - 1].0
    }

    /// A Pareto draw (alpha 2) of at least 1, capped: a heavy tail with only exact arithmetic.
    fn pareto(&mut self, cap: f64) -> f64 {
        (1.0 / (1.0 - self.unit()).sqrt()).min(cap)
    }

    fn hex(&mut self, digits: usize, upper: bool) -> String {
        let alphabet: &[u8; 16] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        (0..digits)
            .map(|_| alphabet[self.below(16) as usize] as char)
            .collect()
    }

    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8, false),
            self.hex(4, false),
            self.hex(4, false),
            self.hex(4, false),
            self.hex(12, false)
        )
    }
}

// ------------------------------------------------------------------------------------------
// Result types

const NEGOTIATION: [&str; 5] = [
    "starttls-not-supported",
    "certificate-host-mismatch",
    "certificate-expired",
    "certificate-not-trusted",
    "validation-failure",
];
const DANE_TYPES: [&str; 3] = ["tlsa-invalid", "dnssec-invalid", "dane-required"];
const STS_TYPES: [&str; 3] = [
    "sts-policy-fetch-error",
    "sts-policy-invalid",
    "sts-webpki-invalid",
];
/// Not in the IANA registry: a viewer must show them verbatim.
const UNKNOWN_TYPES: [&str; 2] = ["x-custom-failure", "x-starttls-timeout"];

/// How often each result type turns up when a session fails for no particular reason.
const BACKGROUND: [(&str, u32); 13] = [
    ("starttls-not-supported", 30),
    ("validation-failure", 14),
    ("certificate-host-mismatch", 10),
    ("certificate-not-trusted", 9),
    ("certificate-expired", 7),
    ("sts-policy-fetch-error", 12),
    ("sts-webpki-invalid", 4),
    ("sts-policy-invalid", 3),
    ("tlsa-invalid", 8),
    ("dnssec-invalid", 5),
    ("dane-required", 3),
    ("x-custom-failure", 2),
    ("x-starttls-timeout", 1),
];

fn all_result_types() -> impl Iterator<Item = &'static str> {
    NEGOTIATION
        .into_iter()
        .chain(DANE_TYPES)
        .chain(STS_TYPES)
        .chain(UNKNOWN_TYPES)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PolicyKind {
    Sts,
    Tlsa,
    NoPolicy,
}

/// Whether a failure of this type can be reported under this kind of policy.
fn compatible(policy: PolicyKind, result: &str) -> bool {
    match policy {
        PolicyKind::Sts => !DANE_TYPES.contains(&result),
        // DANE-EE ignores the certificate's names and dates.
        PolicyKind::Tlsa => !STS_TYPES.contains(&result) && !NEGOTIATION[1..4].contains(&result),
        PolicyKind::NoPolicy => !DANE_TYPES.contains(&result) && !STS_TYPES.contains(&result),
    }
}

fn background_type(rng: &mut Rng, policy: PolicyKind, exclude_sts: bool) -> &'static str {
    let choices: Vec<(&str, u32)> = BACKGROUND
        .iter()
        .copied()
        .filter(|(t, _)| compatible(policy, t) && !(exclude_sts && STS_TYPES.contains(t)))
        .collect();
    rng.weighted(&choices)
}

/// A free-text failure-reason-code such as small MTAs and Mail.ru write.
fn reason_code(rng: &mut Rng, result: &str, domain: &str) -> String {
    let texts: &[&str] = match result {
        "starttls-not-supported" => &["STARTTLS not offered", "500 5.5.1 Unknown command"],
        "certificate-host-mismatch" => &["certificate name does not match MX hostname"],
        "certificate-expired" => &["certificate has expired"],
        "certificate-not-trusted" => &[
            "unable to get local issuer certificate",
            "self-signed certificate in certificate chain",
        ],
        "validation-failure" => &[
            "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "MX hostname does not match any mx pattern of the policy",
        ],
        "tlsa-invalid" => &["no TLSA record matches the certificate"],
        "dnssec-invalid" => &["DNSSEC validation of the TLSA RRset failed (bogus)"],
        "dane-required" => &["TLSA records published but TLS could not be negotiated"],
        "sts-policy-fetch-error" => &[
            "bad https response code: 404",
            "bad https response code: 500",
            "connection refused",
            "connection timed out",
        ],
        "sts-policy-invalid" => &["policy has no mx field", "unsupported mode"],
        "sts-webpki-invalid" => {
            return format!("certificate verify failed for mta-sts.{domain}");
        }
        _ => &["reporter-specific failure"],
    };
    rng.pick(texts).to_string()
}

// ------------------------------------------------------------------------------------------
// Policy domains and reporters

const DOMAIN_WORDS: [&str; 20] = [
    "shop", "news", "bank", "clinic", "school", "travel", "games", "media", "cloud", "store",
    "lab", "city", "farm", "garage", "bakery", "studio", "tours", "legal", "dental", "hotel",
];

struct Domain {
    name: String,
    /// Relative share of the reports and of the sessions.
    weight: f64,
    /// The MTA-STS policy: its lines, and its mx patterns.
    sts: Option<(Vec<String>, Vec<String>)>,
    /// The TLSA records ("3 1 1 <sha-256>") of each MX, when the domain publishes DANE.
    tlsa: Vec<Vec<String>>,
    mx: Vec<String>,
    mx_ip: Vec<String>,
    /// An MX that the policy's mx patterns do not name (the policy is out of date).
    stale_mx: Option<usize>,
    incidents: Vec<Incident>,
    /// The share of reports with failures besides the incidents': small for most domains,
    /// large for the few with a flaky MX or a sending path that strips STARTTLS.
    failure_rate: f64,
}

/// A period in which one kind of failure is reported for a domain.
struct Incident {
    result: &'static str,
    policy: PolicyKind,
    first_day: u32,
    last_day: u32,
    mx: usize,
}

fn make_domain(seed: u64, index: usize, days: u32) -> Domain {
    let mut rng = Rng::new(seed, 1, index as u64);
    let name = format!(
        "{}-{:02}.example",
        DOMAIN_WORDS[index % DOMAIN_WORDS.len()],
        index
    );
    let mx_count = rng.weighted(&[(1usize, 1), (2, 5), (3, 3), (4, 1)]);
    let mx: Vec<String> = (1..=mx_count).map(|j| format!("mx{j}.{name}")).collect();
    let mx_ip = (0..mx_count)
        .map(|j| format!("192.0.2.{}", 1 + (index * 4 + j) % 254))
        .collect();
    // Domain 0 publishes both policies, domain 1 only MTA-STS, domain 2 none.
    let (has_sts, has_dane) = match index {
        0 => (true, true),
        1 => (true, false),
        2 => (false, false),
        _ => (!rng.chance(0.15), rng.chance(0.45)),
    };
    let stale_mx = (has_sts && mx_count >= 2 && rng.chance(0.2)).then_some(mx_count - 1);
    let sts = has_sts.then(|| {
        let patterns: Vec<String> = if stale_mx.is_none() && rng.chance(0.3) {
            vec![format!("*.{name}")]
        } else {
            mx[..mx_count - usize::from(stale_mx.is_some())].to_vec()
        };
        let mode = if rng.chance(0.7) {
            "enforce"
        } else {
            "testing"
        };
        let max_age = rng.pick(&[86_400u64, 604_800, 1_209_600, 2_592_000, 31_557_600]);
        let mut lines = vec!["version: STSv1".to_string(), format!("mode: {mode}")];
        lines.extend(patterns.iter().map(|p| format!("mx: {p}")));
        lines.push(format!("max_age: {max_age}"));
        (lines, patterns)
    });
    // One certificate for every MX, or one each; a second record during a key rollover.
    let tlsa = if has_dane {
        let shared = rng.chance(0.5);
        let mut record = || format!("3 1 1 {}", rng.hex(64, true));
        let first = vec![record(), record()];
        (0..mx_count)
            .map(|j| {
                if shared || j == 0 {
                    first.clone()
                } else {
                    vec![record()]
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut kinds = Vec::new();
    if has_sts {
        kinds.push(PolicyKind::Sts);
    }
    if has_dane {
        kinds.push(PolicyKind::Tlsa);
    }
    if kinds.is_empty() {
        kinds.push(PolicyKind::NoPolicy);
    }
    let incidents = (0..rng.below(4))
        .map(|_| {
            let policy = *rng.pick(&kinds);
            let mut result = background_type(&mut rng, policy, false);
            while UNKNOWN_TYPES.contains(&result) {
                result = background_type(&mut rng, policy, false);
            }
            let first_day = rng.below(u64::from(days)) as u32;
            Incident {
                result,
                policy,
                first_day,
                last_day: first_day + rng.between(0, 7) as u32,
                mx: rng.below(mx_count as u64) as usize,
            }
        })
        .collect();
    let failure_rate = if rng.chance(0.4) { 0.6 } else { 0.12 };
    // Busy domains first: shares fall off as 1/sqrt(rank), with some jitter.
    let weight = (0.8 + 0.4 * rng.unit()) / ((index + 1) as f64).sqrt();
    Domain {
        name,
        weight,
        sts,
        tlsa,
        mx,
        mx_ip,
        stale_mx,
        incidents,
        failure_rate,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Google,
    Microsoft,
    MailRu,
    /// A small sender, by its index in the pool.
    Small(u32),
}

/// A small sending organisation (self-hosted Postfix with the TLSRPT reporter, a hoster...),
/// with the habits of its software.
struct SmallOrg {
    name: String,
    submitter: String,
    contact: Option<String>,
    /// 0: "<begin-unix>_<number>", 1: "<date>T00:00:00Z_<domain>", 2: a UUID.
    id_style: u8,
    ends_next_midnight: bool,
    mx_host_string: bool,
    empty_details_list: bool,
    no_policy_without_domain: bool,
    empty_strings: bool,
    reason_codes: bool,
    /// Writes receiving-mx-helo.
    helo: bool,
    /// Links each failure to a page of its own (additional-information).
    info_base: Option<String>,
    indent: usize,
    crlf: bool,
    ip4: String,
    ip6: String,
}

fn make_small_org(seed: u64, index: u32) -> SmallOrg {
    const FIRST: [&str; 16] = [
        "Alpen",
        "Nordlicht",
        "Harbor",
        "Cedar",
        "Quartz",
        "Maple",
        "Orbit",
        "Falcon",
        "Summit",
        "Lagoon",
        "Pioneer",
        "Meridian",
        "Juniper",
        "Basalt",
        "Tundra",
        "Coral",
    ];
    const SECOND: [&str; 8] = [
        "Hosting",
        "Mail",
        "Networks",
        "Systems",
        "Telecom",
        "Cloud",
        "Datacenter",
        "Web",
    ];
    const SUFFIX: [&str; 8] = ["GmbH", "Ltd", "Inc.", "AB", "Oy", "SAS", "B.V.", "LLC"];
    let mut rng = Rng::new(seed, 2, u64::from(index));
    // Names from the index, so that no two organisations share one (report-ids are only
    // unique per organisation).
    let spin = (mix(seed) % 1_024) as usize;
    let k = index as usize + spin;
    let (first, second, suffix) = (
        FIRST[k % 16],
        SECOND[(k / 16) % 8],
        SUFFIX[(k / 128 + k) % 8],
    );
    let slug = format!(
        "{}-{}-{index}",
        first.to_ascii_lowercase(),
        second.to_ascii_lowercase()
    );
    let submitter = format!("mail.{slug}.example");
    let name = if rng.chance(0.3) {
        submitter.clone()
    } else if index < 1_024 - spin as u32 {
        format!("{first} {second} {suffix}")
    } else {
        format!("{first} {second} {index} {suffix}")
    };
    let contact = (!rng.chance(0.25)).then(|| format!("tlsrpt@{slug}.example"));
    let ip4 = if index < 254 {
        format!("198.51.100.{}", index + 1)
    } else {
        format!("203.0.113.{}", 1 + (index - 254) % 254)
    };
    SmallOrg {
        name,
        submitter,
        contact,
        id_style: rng.below(3) as u8,
        ends_next_midnight: rng.chance(0.5),
        mx_host_string: rng.chance(0.2),
        empty_details_list: rng.chance(0.4),
        no_policy_without_domain: rng.chance(0.25),
        empty_strings: rng.chance(0.2),
        reason_codes: rng.chance(0.5),
        helo: rng.chance(0.3),
        info_base: rng
            .chance(0.3)
            .then(|| format!("https://tlsrpt.{slug}.example/failure")),
        indent: *rng.pick(&[2, 4, 4, 4]),
        crlf: rng.chance(0.2),
        ip4,
        ip6: format!("2001:db8:{index:x}::25"),
    }
}

/// The policy entries a reporter writes for a domain.
fn policy_kinds(kind: Kind, domain: &Domain) -> Vec<PolicyKind> {
    let sts = domain.sts.is_some();
    let dane = !domain.tlsa.is_empty();
    match kind {
        Kind::Google | Kind::MailRu if sts => vec![PolicyKind::Sts],
        Kind::Google | Kind::MailRu => vec![PolicyKind::NoPolicy],
        Kind::Microsoft => match (sts, dane) {
            (true, true) => vec![PolicyKind::Sts, PolicyKind::Tlsa],
            (true, false) => vec![PolicyKind::Sts],
            (false, true) => vec![PolicyKind::Tlsa],
            (false, false) => vec![PolicyKind::NoPolicy],
        },
        // Postfix prefers DANE when the domain has both.
        Kind::Small(_) if dane => vec![PolicyKind::Tlsa],
        Kind::Small(_) if sts => vec![PolicyKind::Sts],
        Kind::Small(_) => vec![PolicyKind::NoPolicy],
    }
}

// ------------------------------------------------------------------------------------------
// The plan: which reporter reports on which domain and day

struct Plan {
    day: u32,
    domain: u32,
    kind: Kind,
    heavy: bool,
    forced: Option<&'static str>,
    /// A report that gives again the (organization-name, report-id) of the report at this
    /// index, with other content.
    again: Option<u32>,
}

/// Why a report repeats another's (organization-name, report-id) with other content, and in
/// what shares.
#[derive(Clone, Copy)]
enum Again {
    /// The reporter sends the report again with corrected figures: the same domain, day and
    /// shape.
    Resend,
    /// The reporter's ids are not unique (Microsoft's bare `<FILETIME>+` made at one moment
    /// for several domains, a Postfix reporter that numbers per run): its report for another
    /// domain the same day carries the same id.
    BrokenIds,
    /// Anyone can send a report (RFC 8460 section 7): another sender's report under a known
    /// reporter's name and one of its ids.
    Forged,
}

struct Corpus {
    args: Args,
    domains: Vec<Domain>,
    smalls: Vec<SmallOrg>,
    plans: Vec<Plan>,
    seq_width: usize,
}

fn plan(args: &Args, domains: &[Domain]) -> (Vec<Plan>, u32) {
    let n = args.reports as u128;
    let first_day = CORPUS_END / DAY - i64::from(args.days);
    // Each (day, domain) cell gets a share of the reports: systematic sampling over the
    // cells' weights gives exactly N in total, proportionally, without clumping.
    let mut weights = Vec::with_capacity(args.days as usize * domains.len());
    for day in 0..args.days {
        let mut rng = Rng::new(args.seed, 3, u64::from(day));
        // 1970-01-01 was a Thursday: 0 = Thursday ... 2 = Saturday, 3 = Sunday.
        let weekday = (first_day + i64::from(day)).rem_euclid(7);
        let day_factor = if weekday == 2 || weekday == 3 {
            0.7
        } else {
            1.0
        } * (0.85 + 0.3 * rng.unit());
        for domain in domains {
            weights.push(((domain.weight * day_factor * 1e6) as u128).max(1));
        }
    }
    let total: u128 = weights.iter().sum();
    let offset = u128::from(Rng::new(args.seed, 4, 0).next()) % total;
    let mut counts = Vec::with_capacity(weights.len());
    let mut cumulative = 0u128;
    for weight in &weights {
        let before = (cumulative * n + offset) / total;
        cumulative += weight;
        counts.push(((cumulative * n + offset) / total - before) as usize);
    }
    let busiest = counts.iter().copied().max().unwrap_or(0);
    let pool = (2 * busiest + 16).max(48) as u32;

    let mut plans = Vec::with_capacity(args.reports);
    for (cell, &count) in counts.iter().enumerate() {
        let day = (cell / domains.len()) as u32;
        let domain = (cell % domains.len()) as u32;
        let mut rng = Rng::new(args.seed, 5, cell as u64);
        let mut used_big = [false; 3];
        let mut used_small: Vec<u32> = Vec::new();
        for _ in 0..count {
            // Shares of a domain-day's reports, before the big three run out (they send one
            // report per domain and day each).
            let big = [Kind::Google, Kind::Microsoft, Kind::MailRu];
            let choice = rng.weighted(&[(0usize, 40), (1, 25), (2, 5), (3, 30)]);
            let kind = match big.get(choice) {
                Some(&kind) if !used_big[choice] => {
                    used_big[choice] = true;
                    kind
                }
                _ => loop {
                    let org = rng.below(u64::from(pool)) as u32;
                    if !used_small.contains(&org) {
                        used_small.push(org);
                        break Kind::Small(org);
                    }
                },
            };
            plans.push(Plan {
                day,
                domain,
                kind,
                heavy: false,
                forced: None,
                again: None,
            });
        }
    }

    reuse_ids(args, &mut plans);

    // The heavy tail: about 1 in 2,000 reports lists 500 to 2,000 failure details.
    let mut rng = Rng::new(args.seed, 6, 0);
    let mut heavy = 0;
    for plan in plans.iter_mut() {
        if rng.below(HEAVY_ONE_IN) == 0
            && plan.kind != Kind::MailRu
            && plan.again.is_none()
            && !recovered_by(args, plan)
        {
            plan.heavy = true;
            heavy += 1;
        }
    }
    if heavy == 0 && plans.len() >= 1_000 {
        let start = rng.below(plans.len() as u64) as usize;
        if let Some(index) = (0..plans.len())
            .map(|k| (start + k) % plans.len())
            .find(|&i| {
                plans[i].kind != Kind::MailRu
                    && plans[i].again.is_none()
                    && !recovered_by(args, &plans[i])
            })
        {
            plans[index].heavy = true;
        }
    }

    // Every result type at least once: each is forced into one report whose policies allow it,
    // spread over the corpus.
    for (k, result) in all_result_types().enumerate() {
        if plans.is_empty() {
            break;
        }
        let start = k * plans.len() / 13 + rng.below(1 + plans.len() as u64 / 26) as usize;
        let found = (0..plans.len())
            .map(|j| (start + j) % plans.len())
            .find(|&i| {
                let plan = &plans[i];
                plan.forced.is_none()
                    && !plan.heavy
                    && plan.again.is_none()
                    && !recovered_by(args, plan)
                    && policy_kinds(plan.kind, &domains[plan.domain as usize])
                        .iter()
                        .any(|&p| compatible(p, result))
            });
        if let Some(index) = found {
            plans[index].forced = Some(result);
        }
    }
    (plans, pool)
}

/// Turns `--reused-ids` percent of the reports into copies that give another report's
/// (organization-name, report-id) with other content: half resends with corrected figures,
/// 35% from reporters whose ids are not unique, 15% forged. The report whose id is reused is
/// never a copy itself; it may come before or after its copy (an archive or a folder listing
/// has no order of arrival).
fn reuse_ids(args: &Args, plans: &mut [Plan]) {
    if args.reused_ids <= 0.0 || plans.len() < 2 {
        return;
    }
    let mut rng = Rng::new(args.seed, 8, 0);
    let share = args.reused_ids / 100.0;
    let copies: Vec<usize> = (0..plans.len()).filter(|_| rng.chance(share)).collect();
    let is_copy: HashSet<usize> = copies.iter().copied().collect();
    if is_copy.len() == plans.len() {
        return;
    }
    for &index in &copies {
        let of = loop {
            let candidate = rng.below(plans.len() as u64) as usize;
            if !is_copy.contains(&candidate) {
                break candidate;
            }
        };
        let why = rng.weighted(&[
            (Again::Resend, 50),
            (Again::BrokenIds, 35),
            (Again::Forged, 15),
        ]);
        let original = &plans[of];
        let (day, domain, kind) = (original.day, original.domain, original.kind);
        let plan = &mut plans[index];
        match why {
            Again::Resend => (plan.day, plan.domain, plan.kind) = (day, domain, kind),
            Again::BrokenIds => (plan.day, plan.kind) = (day, kind),
            Again::Forged => {}
        }
        plan.again = Some(of as u32);
    }
}

// ------------------------------------------------------------------------------------------
// A small JSON writer that keeps the key order each reporter uses

enum J {
    S(String),
    N(u64),
    Null,
    A(Vec<J>),
    O(Vec<(&'static str, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::S(text.into())
}

fn strings<T: AsRef<str>>(items: &[T]) -> J {
    J::A(items.iter().map(|t| s(t.as_ref())).collect())
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(out: &mut String, indent: usize, depth: usize) {
    if indent > 0 {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent * depth));
    }
}

/// Compact when `indent` is 0, else pretty-printed with that many spaces per level.
fn write_json(out: &mut String, value: &J, indent: usize, depth: usize) {
    match value {
        J::S(text) => write_string(out, text),
        J::N(number) => {
            let _ = write!(out, "{number}");
        }
        J::Null => out.push_str("null"),
        J::A(items) if items.is_empty() => out.push_str("[]"),
        J::A(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_json(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        J::O(fields) => {
            out.push('{');
            for (k, (key, item)) in fields.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, key);
                out.push_str(if indent > 0 { ": " } else { ":" });
                write_json(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

// ------------------------------------------------------------------------------------------
// One report

#[derive(Clone)]
struct Detail {
    result: &'static str,
    sender: String,
    mx: usize,
    count: u64,
}

/// One report, ready to be written in every format.
struct Rendered {
    file_name: String,
    json_len: usize,
    details: usize,
    gz: Vec<u8>,
    email: Vec<u8>,
    identity: String,
    received: i64,
}

/// A report's JSON before it is written out, and what the file name and the email need.
struct Body {
    organization: String,
    submitter: String,
    json: J,
    end: i64,
    report_id: String,
    /// 0 for compact JSON, else spaces per level.
    indent: usize,
    /// CRLF line ends, as some Windows-based reporters write them.
    crlf: bool,
    details: usize,
}

fn utc(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).expect("a time in range")
}

fn rfc3339(secs: i64, zone: bool) -> String {
    let text = utc(secs).format("%Y-%m-%dT%H:%M:%S").to_string();
    if zone {
        text + "Z"
    } else {
        text
    }
}

fn sender_ip(kind: Kind, smalls: &[SmallOrg], k: u64) -> String {
    match kind {
        // Google's 209.85.128.0/17 and 2607:f8b0:4864::/48
        Kind::Google if k % 3 == 2 => format!("2607:f8b0:4864:20::{:x}", 0x100 + k),
        Kind::Google => format!("209.85.{}.{}", 128 + (k / 250) % 128, 1 + k % 250),
        Kind::Microsoft if k % 4 == 3 => {
            format!("2a01:111:f403:{:x}::{:x}", 0xc000 + k / 64, 0x700 + k % 64)
        }
        Kind::Microsoft => format!("40.107.{}.{}", (k / 250) % 256, 1 + k % 250),
        Kind::MailRu => format!("94.100.{}.{}", 176 + (k / 250) % 16, 1 + k % 250),
        Kind::Small(index) => match k {
            0 => smalls[index as usize].ip4.clone(),
            1 => smalls[index as usize].ip6.clone(),
            // A hoster with many outbound relays.
            _ => format!("2001:db8:{index:x}:{:x}::25", k % 65_536),
        },
    }
}

/// Every eighth domain from the fourth on fixed its problems: no session fails in its reports
/// of the corpus's last [`RECOVERED_DAYS`] days, so that its verdict can be Ready (as a domain
/// whose senders all deliver over TLS for two weeks is, in any real portfolio).
fn recovered(domain: u32) -> bool {
    domain % 8 == 3
}

/// The days at the end of the corpus in which a recovered domain has no failure: more than the
/// verdict's 14, so that a report whose period starts a day late still counts as clean.
const RECOVERED_DAYS: u32 = 20;

/// Whether this report is one of a recovered domain's clean ones.
fn recovered_by(args: &Args, plan: &Plan) -> bool {
    recovered(plan.domain) && plan.day + RECOVERED_DAYS >= args.days
}

/// The failure details of one policy entry.
fn make_details(rng: &mut Rng, corpus: &Corpus, plan: &Plan, policy: PolicyKind) -> Vec<Detail> {
    let details = draw_details(rng, corpus, plan, policy);
    // Drawn all the same, so that every other report stays as it was.
    if recovered_by(&corpus.args, plan) {
        return Vec::new();
    }
    details
}

/// The failure details the generator draws for one policy entry, before a recovered domain's
/// are dropped.
fn draw_details(rng: &mut Rng, corpus: &Corpus, plan: &Plan, policy: PolicyKind) -> Vec<Detail> {
    let domain = &corpus.domains[plan.domain as usize];
    let kind = plan.kind;
    let ip_pool = match kind {
        Kind::Small(_) => 2,
        _ => 4_000,
    };
    let mut details: Vec<Detail> = Vec::new();
    let add = |details: &mut Vec<Detail>, result, sender: String, mx, count| match details
        .iter_mut()
        .find(|d| d.result == result && d.sender == sender && d.mx == mx)
    {
        Some(detail) => detail.count += count,
        None => details.push(Detail {
            result,
            sender,
            mx,
            count,
        }),
    };
    if plan.heavy {
        // A mass failure seen from many sending hosts: one row per (host, MX). Not a policy
        // failure: Microsoft leaves the sending IP out of those, so the rows would be alike.
        let mut types: Vec<&'static str> = Vec::new();
        for _ in 0..rng.between(1, 3) {
            let mut result = background_type(rng, policy, true);
            while UNKNOWN_TYPES.contains(&result) {
                result = background_type(rng, policy, true);
            }
            if !types.contains(&result) {
                types.push(result);
            }
        }
        let rows = rng.between(500, 2_000);
        for k in 0..rows {
            details.push(Detail {
                result: types[rng.below(types.len() as u64) as usize],
                sender: sender_ip(kind, &corpus.smalls, k + 2),
                mx: rng.below(domain.mx.len() as u64) as usize,
                count: rng.pareto(40.0) as u64,
            });
        }
        return details;
    }
    for incident in &domain.incidents {
        if incident.policy == policy
            && (incident.first_day..=incident.last_day).contains(&plan.day)
            && rng.chance(0.85)
        {
            let count = (rng.pareto(60.0) * rng.between(1, 6) as f64) as u64;
            let sender = sender_ip(kind, &corpus.smalls, rng.below(ip_pool));
            add(&mut details, incident.result, sender, incident.mx, count);
        }
    }
    if let (PolicyKind::Sts, Some(stale)) = (policy, domain.stale_mx) {
        if rng.chance(0.25) {
            let sender = sender_ip(kind, &corpus.smalls, rng.below(ip_pool));
            add(
                &mut details,
                "validation-failure",
                sender,
                stale,
                rng.between(1, 4),
            );
        }
    }
    // A sender of a few sessions a day sees fewer of the failures than Google does.
    let exposure = match kind {
        Kind::Small(_) => 0.6,
        _ => 1.0,
    };
    if rng.chance(domain.failure_rate * exposure) {
        let rows = rng.weighted(&[(1u64, 40), (2, 30), (3, 20), (4, 5), (5, 3), (6, 2)]);
        for _ in 0..rows {
            let result = background_type(rng, policy, false);
            let sender = sender_ip(kind, &corpus.smalls, rng.below(ip_pool));
            let mx = rng.below(domain.mx.len() as u64) as usize;
            add(&mut details, result, sender, mx, rng.pareto(20.0) as u64);
        }
    }
    if let Some(result) = plan.forced {
        if compatible(policy, result) && !details.iter().any(|d| d.result == result) {
            let sender = sender_ip(kind, &corpus.smalls, rng.below(ip_pool));
            let mx = rng.below(domain.mx.len() as u64) as usize;
            add(&mut details, result, sender, mx, rng.between(1, 3));
        }
    }
    details
}

fn summary(successful: u64, failed: u64) -> J {
    J::O(vec![
        ("total-successful-session-count", J::N(successful)),
        ("total-failure-session-count", J::N(failed)),
    ])
}

fn total(details: &[Detail]) -> u64 {
    details.iter().map(|d| d.count).sum()
}

fn policy_type_name(policy: PolicyKind) -> &'static str {
    match policy {
        PolicyKind::Sts => "sts",
        PolicyKind::Tlsa => "tlsa",
        PolicyKind::NoPolicy => "no-policy-found",
    }
}

fn date_range(begin: i64, end: i64, zone: bool) -> J {
    J::O(vec![
        ("start-datetime", s(rfc3339(begin, zone))),
        ("end-datetime", s(rfc3339(end, zone))),
    ])
}

fn report_json(organization: &str, range: J, contact: J, report_id: &str, entries: Vec<J>) -> J {
    J::O(vec![
        ("organization-name", s(organization)),
        ("date-range", range),
        ("contact-info", contact),
        ("report-id", s(report_id)),
        ("policies", J::A(entries)),
    ])
}

/// What every reporter's renderer is given.
struct Ctx<'a> {
    corpus: &'a Corpus,
    plan: &'a Plan,
    domain: &'a Domain,
    index: usize,
    begin: i64,
    /// "2026-10-05"
    date: String,
    received: i64,
    policies: Vec<PolicyKind>,
    successful: u64,
}

impl Ctx<'_> {
    fn details(&self, rng: &mut Rng, policy: PolicyKind) -> Vec<Detail> {
        make_details(rng, self.corpus, self.plan, policy)
    }
}

/// Google: compact JSON (as its raw attachments are), `mx-host` an array, no
/// `failure-details` when nothing failed, `no-policy-found` with only the domain.
fn google(rng: &mut Rng, ctx: &Ctx) -> Body {
    let domain = ctx.domain;
    let name = domain.name.as_str();
    let policy = ctx.policies[0];
    let details = ctx.details(rng, policy);
    let mut fields = vec![("policy-type", s(policy_type_name(policy)))];
    if let Some((lines, patterns)) = &domain.sts {
        fields.push(("policy-string", strings(lines)));
        fields.push(("policy-domain", s(name)));
        fields.push(("mx-host", strings(patterns)));
    } else {
        fields.push(("policy-domain", s(name)));
    }
    let mut entry = vec![
        ("policy", J::O(fields)),
        ("summary", summary(ctx.successful, total(&details))),
    ];
    if !details.is_empty() {
        let rows = details
            .iter()
            .map(|d| {
                let mut row = vec![
                    ("result-type", s(d.result)),
                    ("sending-mta-ip", s(&d.sender)),
                ];
                if !STS_TYPES.contains(&d.result) {
                    row.push(("receiving-ip", s(&domain.mx_ip[d.mx])));
                    row.push(("receiving-mx-hostname", s(&domain.mx[d.mx])));
                }
                row.push(("failed-session-count", J::N(d.count)));
                J::O(row)
            })
            .collect();
        entry.push(("failure-details", J::A(rows)));
    }
    let end = ctx.begin + DAY - 1;
    let report_id = format!("{}T00:00:00Z_{name}", ctx.date);
    Body {
        organization: "Google Inc.".to_string(),
        submitter: "google.com".to_string(),
        json: report_json(
            "Google Inc.",
            date_range(ctx.begin, end, true),
            s("smtp-tls-reporting@google.com"),
            &report_id,
            vec![J::O(entry)],
        ),
        end,
        report_id,
        indent: rng.weighted(&[(0, 1), (4, 1), (2, 1)]),
        crlf: false,
        details: details.len(),
    }
}

/// Microsoft: an `sts` and a `tlsa` entry for the same sessions when the domain has both,
/// the TLSA records as one JSON-encoded string, no `mx-host`, timestamps sometimes without
/// a zone, and `sts-policy-fetch-error` without policy-string, sending IP or MX.
fn microsoft(rng: &mut Rng, ctx: &Ctx) -> Body {
    let domain = ctx.domain;
    let name = domain.name.as_str();
    let zone = !rng.chance(0.3);
    // The FILETIME of the moment the report was made (100 ns ticks since 1601); the low digits
    // hold the domain's index, so that two reports never share an id.
    let made = (ctx.received - rng.between(60, 1_800) as i64) as u64;
    let ticks = (made + 11_644_473_600) * 10_000_000
        + rng.below(9_765) * 1_024
        + u64::from(ctx.plan.domain) % 1_024;
    let report_id = if rng.chance(0.05) {
        format!("{ticks}+")
    } else {
        format!("{ticks}+{name}")
    };
    let both = ctx.policies.len() == 2;
    let mut entries = Vec::new();
    let mut counted = 0;
    let mut seen_under_sts: Vec<Detail> = Vec::new();
    for &policy in &ctx.policies {
        let mut details = ctx.details(rng, policy);
        if policy == PolicyKind::Tlsa && both {
            // The negotiation failures are the sessions already listed under sts.
            details.retain(|d| DANE_TYPES.contains(&d.result));
            details.splice(0..0, seen_under_sts.drain(..));
        } else if both {
            seen_under_sts = details
                .iter()
                .filter(|d| !STS_TYPES.contains(&d.result))
                .map(Detail::clone)
                .collect();
        }
        let fetch_failed = details.iter().any(|d| d.result == "sts-policy-fetch-error");
        let mut fields = vec![("policy-type", s(policy_type_name(policy)))];
        match (policy, &domain.sts) {
            (PolicyKind::Sts, Some((lines, _))) if !fetch_failed => {
                fields.push(("policy-string", strings(lines)));
            }
            (PolicyKind::Tlsa, _) => {
                let mut records: Vec<String> = Vec::new();
                for record in domain.tlsa.iter().flatten() {
                    let quoted = format!("\"{record}\"");
                    if !records.contains(&quoted) {
                        records.push(quoted);
                    }
                }
                fields.push((
                    "policy-string",
                    strings(&[format!("[{}]", records.join(","))]),
                ));
            }
            _ => {}
        }
        fields.push(("policy-domain", s(name)));
        let mut entry = vec![
            ("policy", J::O(fields)),
            ("summary", summary(ctx.successful, total(&details))),
        ];
        if !details.is_empty() {
            let rows = details
                .iter()
                .map(|d| {
                    let mut row = vec![("result-type", s(d.result))];
                    if d.result != "sts-policy-fetch-error" {
                        row.push(("sending-mta-ip", s(&d.sender)));
                        row.push(("receiving-mx-hostname", s(&domain.mx[d.mx])));
                    }
                    row.push(("failed-session-count", J::N(d.count)));
                    J::O(row)
                })
                .collect();
            entry.push(("failure-details", J::A(rows)));
        }
        counted += details.len();
        entries.push(J::O(entry));
    }
    let end = ctx.begin + DAY - 1;
    Body {
        organization: "Microsoft Corporation".to_string(),
        submitter: "microsoft.com".to_string(),
        json: report_json(
            "Microsoft Corporation",
            date_range(ctx.begin, end, zone),
            s("tlsrpt-noreply@microsoft.com"),
            &report_id,
            entries,
        ),
        end,
        report_id,
        indent: rng.weighted(&[(0, 1), (4, 1), (2, 1)]),
        crlf: false,
        details: counted,
    }
}

/// Mail.ru: no policy-string, no mx-host, no sending IP or MX in the details but a free-text
/// failure-reason-code, the range ending at the next midnight, and details that can add up
/// to more than the summary's failure count.
fn mail_ru(rng: &mut Rng, ctx: &Ctx) -> Body {
    let name = ctx.domain.name.as_str();
    let report_id = format!("{}@mail.ru", rng.uuid());
    let policy = ctx.policies[0];
    let mut details = ctx.details(rng, policy);
    let successful = if !details.is_empty() && rng.chance(0.5) {
        0
    } else {
        ctx.successful.min(40)
    };
    let mut failed = total(&details);
    if !details.is_empty() && rng.chance(0.35) {
        if details.len() == 1 && details[0].count == 1 {
            let mut again = details[0].clone();
            again.sender = String::new();
            details.push(again);
        }
        failed = (total(&details) / 2).max(1);
    }
    let mut entry = vec![
        (
            "policy",
            J::O(vec![
                ("policy-type", s(policy_type_name(policy))),
                ("policy-domain", s(name)),
            ]),
        ),
        ("summary", summary(successful, failed)),
    ];
    if !details.is_empty() {
        let rows = details
            .iter()
            .map(|d| {
                J::O(vec![
                    ("result-type", s(d.result)),
                    ("failed-session-count", J::N(d.count)),
                    ("failure-reason-code", s(reason_code(rng, d.result, name))),
                ])
            })
            .collect();
        entry.push(("failure-details", J::A(rows)));
    }
    let end = ctx.begin + DAY;
    Body {
        organization: "Mail.ru".to_string(),
        submitter: "mail.ru".to_string(),
        json: report_json(
            "Mail.ru",
            date_range(ctx.begin, end, true),
            s("tls_support@corp.mail.ru"),
            &report_id,
            vec![J::O(entry)],
        ),
        end,
        report_id,
        indent: 3,
        crlf: false,
        details: details.len(),
    }
}

/// A small sender: pretty-printed, sometimes with CRLF, `contact-info: null`,
/// `failure-details: []`, empty strings, `mx-host` as one string, `no-policy-found` without
/// `policy-domain`, and for DANE one `tlsa` entry per MX, as each MX has its own records.
fn small(rng: &mut Rng, ctx: &Ctx, org_index: u32) -> Body {
    let org = &ctx.corpus.smalls[org_index as usize];
    let domain = ctx.domain;
    let name = domain.name.as_str();
    let report_id = match org.id_style {
        0 => format!(
            "{}_{}",
            ctx.begin,
            mix(ctx.corpus.args.seed ^ ctx.index as u64) >> 1
        ),
        1 => format!("{}T00:00:00Z_{name}", ctx.date),
        _ => rng.uuid(),
    };
    let policy = ctx.policies[0];
    let details = ctx.details(rng, policy);
    let row = |rng: &mut Rng, d: &Detail| {
        let mut row = vec![
            ("result-type", s(d.result)),
            ("sending-mta-ip", s(&d.sender)),
            ("receiving-mx-hostname", s(&domain.mx[d.mx])),
            (
                "receiving-ip",
                s(if org.empty_strings {
                    ""
                } else {
                    &domain.mx_ip[d.mx]
                }),
            ),
        ];
        if org.helo {
            row.push(("receiving-mx-helo", s(&domain.mx[d.mx])));
        }
        row.push(("failed-session-count", J::N(d.count)));
        if org.reason_codes {
            row.push(("failure-reason-code", s(reason_code(rng, d.result, name))));
        }
        if org.empty_strings {
            row.push(("additional-information", s("")));
        } else if let Some(base) = &org.info_base {
            let id = rng.hex(12, false);
            row.push((
                "additional-information",
                s(format!("{base}?id={id}#{}", d.result)),
            ));
        }
        J::O(row)
    };
    let entry = |rng: &mut Rng, fields, successful, details: &[&Detail]| {
        let failed = details.iter().map(|d| d.count).sum();
        let mut entry = vec![
            ("policy", J::O(fields)),
            ("summary", summary(successful, failed)),
        ];
        if !details.is_empty() || org.empty_details_list {
            let rows = details.iter().map(|d| row(rng, d)).collect();
            entry.push(("failure-details", J::A(rows)));
        }
        J::O(entry)
    };
    let all: Vec<&Detail> = details.iter().collect();
    let entries = match policy {
        PolicyKind::Tlsa => {
            // Sessions spread over the MX hosts, the first taking the most.
            let mut left = ctx.successful;
            (0..domain.mx.len())
                .map(|j| {
                    let share = if j + 1 == domain.mx.len() {
                        left
                    } else {
                        rng.below(left + 1)
                    };
                    left -= share;
                    let fields = vec![
                        ("policy-type", s("tlsa")),
                        ("policy-string", strings(&domain.tlsa[j])),
                        ("policy-domain", s(name)),
                        ("mx-host", strings(&domain.mx[j..=j])),
                    ];
                    let mine: Vec<&Detail> = details.iter().filter(|d| d.mx == j).collect();
                    entry(rng, fields, share, &mine)
                })
                .collect()
        }
        PolicyKind::Sts => {
            let (lines, patterns) = domain.sts.as_ref().expect("an sts domain");
            let mx_host = if org.mx_host_string {
                s(&patterns[0])
            } else {
                strings(patterns)
            };
            let fields = vec![
                ("policy-type", s("sts")),
                ("policy-string", strings(lines)),
                ("policy-domain", s(name)),
                ("mx-host", mx_host),
            ];
            vec![entry(rng, fields, ctx.successful, &all)]
        }
        PolicyKind::NoPolicy => {
            let mut fields = vec![("policy-type", s("no-policy-found"))];
            if !org.no_policy_without_domain {
                fields.push(("policy-domain", s(name)));
            }
            vec![entry(rng, fields, ctx.successful, &all)]
        }
    };
    let end = if org.ends_next_midnight {
        ctx.begin + DAY
    } else {
        ctx.begin + DAY - 1
    };
    let contact = org.contact.as_ref().map_or(J::Null, s);
    Body {
        organization: org.name.clone(),
        submitter: org.submitter.clone(),
        json: report_json(
            &org.name,
            date_range(ctx.begin, end, true),
            contact,
            &report_id,
            entries,
        ),
        end,
        report_id,
        indent: org.indent,
        crlf: org.crlf,
        details: details.len(),
    }
}

/// The organisation, submitter and report-id of the report at `index`, which a copy gives
/// again, and its successful sessions, which the copy's must differ from.
fn identity_of(corpus: &Corpus, index: usize) -> ((String, String, String), u64) {
    let mut rng = Rng::new(corpus.args.seed, 7, index as u64);
    let ctx = context(corpus, index, &mut rng);
    let body = body(&mut rng, &ctx);
    (
        (body.organization, body.submitter, body.report_id),
        ctx.successful,
    )
}

/// A copy takes the organisation and report-id of the report it repeats.
fn give_identity(body: &mut Body, (organization, submitter, report_id): (String, String, String)) {
    if let J::O(fields) = &mut body.json {
        for (key, value) in fields.iter_mut() {
            match *key {
                "organization-name" => *value = s(&organization),
                "report-id" => *value = s(&report_id),
                _ => {}
            }
        }
    }
    body.organization = organization;
    body.submitter = submitter;
    body.report_id = report_id;
}

fn context<'a>(corpus: &'a Corpus, index: usize, rng: &mut Rng) -> Ctx<'a> {
    let plan = &corpus.plans[index];
    let args = &corpus.args;
    let domain = &corpus.domains[plan.domain as usize];
    let begin = CORPUS_END - i64::from(args.days - plan.day) * DAY;
    // Sessions scale with the domain's share and the reporter's size, with a heavy tail.
    let scale = match plan.kind {
        Kind::Google => 300.0,
        Kind::Microsoft => 120.0,
        Kind::MailRu => 4.0,
        Kind::Small(_) => 3.0,
    };
    Ctx {
        corpus,
        plan,
        domain,
        index,
        begin,
        date: utc(begin).format("%Y-%m-%d").to_string(),
        received: begin + DAY + rng.between(3_600, 20 * 3_600) as i64,
        policies: policy_kinds(plan.kind, domain),
        successful: 1 + (scale * domain.weight * rng.pareto(50.0) * rng.unit()) as u64,
    }
}

fn body(rng: &mut Rng, ctx: &Ctx) -> Body {
    match ctx.plan.kind {
        Kind::Google => google(rng, ctx),
        Kind::Microsoft => microsoft(rng, ctx),
        Kind::MailRu => mail_ru(rng, ctx),
        Kind::Small(org) => small(rng, ctx, org),
    }
}

fn render(corpus: &Corpus, index: usize) -> Rendered {
    let args = &corpus.args;
    let mut rng = Rng::new(args.seed, 7, index as u64);
    let mut ctx = context(corpus, index, &mut rng);
    let (domain, begin) = (ctx.domain, ctx.begin);
    // A copy's content differs from the report whose id it gives: a resend corrects its
    // figures.
    let original = ctx.plan.again.map(|of| identity_of(corpus, of as usize));
    if let Some((_, successful)) = &original {
        if ctx.successful == *successful {
            ctx.successful += 1;
        }
    }
    let mut body = body(&mut rng, &ctx);
    if let Some((identity, _)) = original {
        give_identity(&mut body, identity);
    }
    let mut text = String::with_capacity(2_048);
    write_json(&mut text, &body.json, body.indent, 0);
    if body.indent > 0 {
        text.push('\n');
    }
    if body.crlf {
        text = text.replace('\n', "\r\n");
    }
    let seq = format!("{:0width$}", index + 1, width = corpus.seq_width);
    let file_name = format!(
        "{}!{}!{begin}!{}!{seq}.json.gz",
        body.submitter, domain.name, body.end
    );
    let mut encoder = GzEncoder::new(Vec::with_capacity(text.len() / 3), Compression::default());
    encoder
        .write_all(text.as_bytes())
        .expect("writing to memory");
    let gz = encoder.finish().expect("writing to memory");
    let email = if args.mbox {
        email(&mut rng, &ctx, &body.report_id, &file_name, &gz)
    } else {
        Vec::new()
    };
    Rendered {
        file_name,
        json_len: text.len(),
        details: body.details,
        gz,
        email,
        identity: format!("{}\u{0}{}", body.organization, body.report_id),
        received: ctx.received,
    }
}

// ------------------------------------------------------------------------------------------
// Report emails

fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 + 1);
    for chunk in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out
}

/// One mbox entry: the "From " line, the message (LF line ends) and a blank line.
fn email(rng: &mut Rng, ctx: &Ctx, report_id: &str, file_name: &str, gz: &[u8]) -> Vec<u8> {
    let domain = ctx.domain.name.as_str();
    let date = ctx.date.as_str();
    let when = utc(ctx.received);
    let rfc2822 = when.format("%a, %d %b %Y %H:%M:%S +0000").to_string();
    let asctime = when.format("%a %b %e %H:%M:%S %Y").to_string();
    let attachment = base64_lines(gz);
    let mut m = String::with_capacity(attachment.len() + 1_200);
    match ctx.plan.kind {
        Kind::Google => {
            let boundary = format!("000000000000{}", rng.hex(16, true).to_ascii_lowercase());
            let dotted = date.replace('-', ".");
            let _ = write!(
                m,
                "From noreply-smtp-tls-reporting@google.com {asctime}\n\
                 Return-Path: <noreply-smtp-tls-reporting@google.com>\n\
                 MIME-Version: 1.0\n\
                 Date: {rfc2822}\n\
                 TLS-Report-Domain: {domain}\n\
                 TLS-Report-Submitter: google.com\n\
                 Message-ID: <{}.00000000.{}.{}tls@google.com>\n\
                 Subject: Report Domain: {domain} Submitter: google.com Report-ID: <{dotted}T00.00.00Z+{domain}@google.com>\n\
                 From: noreply-smtp-tls-reporting@google.com\n\
                 To: tlsrpt@{domain}\n\
                 Content-Type: multipart/report; boundary=\"{boundary}\"; report-type=tlsrpt\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\n\
                 \n\
                 This is an aggregate TLS report from google.com\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: application/tlsrpt+gzip; \n\
                 \tname=\"{file_name}\"\n\
                 Content-Disposition: attachment; \n\
                 \tfilename=\"{file_name}\"\n\
                 Content-Transfer-Encoding: base64\n\
                 \n\
                 {attachment}--{boundary}--\n",
                rng.hex(8, false),
                rng.hex(6, false),
                rng.hex(4, false),
            );
        }
        Kind::Microsoft => {
            let boundary = format!("_{}_", rng.uuid());
            let _ = write!(
                m,
                "From tlsrpt-noreply@microsoft.com {asctime}\n\
                 Return-Path: <tlsrpt-noreply@microsoft.com>\n\
                 From: <tlsrpt-noreply@microsoft.com>\n\
                 To: \"tlsrpt@{domain}\" <tlsrpt@{domain}>\n\
                 Date: {rfc2822}\n\
                 Subject: Report Domain: {domain} Submitter: microsoft.com Report-ID:\n \
                 {report_id}\n\
                 TLS-Report-Domain: {domain}\n\
                 TLS-Report-Submitter: microsoft.com\n\
                 MIME-Version: 1.0\n\
                 Message-ID: <{report_id}@{domain}>\n\
                 Content-Type: multipart/report;\n\
                 \tboundary=\"{boundary}\"; report-type=tlsrpt\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: text/html; charset=\"us-ascii\"\n\
                 Content-Transfer-Encoding: quoted-printable\n\
                 \n\
                 <div style=3D\"font-family:Segoe UI\">This is an aggregate TLS report from =\n\
                 Microsoft Corporation for {domain}.</div>\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: application/tlsrpt+gzip\n\
                 Content-Transfer-Encoding: base64\n\
                 Content-Disposition: attachment; filename=\"{file_name}\"\n\
                 \n\
                 {attachment}\n\
                 --{boundary}--\n"
            );
        }
        Kind::MailRu => {
            let boundary = format!("----==--bound.{}.corp.mail.ru", rng.hex(12, false));
            let _ = write!(
                m,
                "From tls_support@corp.mail.ru {asctime}\n\
                 Return-Path: <tls_support@corp.mail.ru>\n\
                 From: tls_support@corp.mail.ru\n\
                 To: tlsrpt@{domain}\n\
                 Subject: Report Domain: {domain} Submitter: mail.ru Report-ID: <{report_id}>\n\
                 Date: {rfc2822}\n\
                 Message-ID: <{}@corp.mail.ru>\n\
                 TLS-Report-Domain: {domain}\n\
                 TLS-Report-Submitter: mail.ru\n\
                 MIME-Version: 1.0\n\
                 Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"{boundary}\"\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: text/plain; charset=utf-8\n\
                 Content-Transfer-Encoding: 7bit\n\
                 \n\
                 This is an aggregate TLS report from mail.ru\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: application/tlsrpt+gzip; name=\"{file_name}\"\n\
                 Content-Transfer-Encoding: base64\n\
                 Content-Disposition: attachment; filename=\"{file_name}\"\n\
                 \n\
                 {attachment}\n\
                 --{boundary}--\n",
                rng.uuid()
            );
        }
        Kind::Small(org) => {
            // As RFC 8460 section 5.3 shows it.
            let submitter = &ctx.corpus.smalls[org as usize].submitter;
            let boundary = format!(
                "----=_NextPart_000_{}_{}.{}",
                rng.hex(4, true),
                rng.hex(8, true),
                rng.hex(8, true)
            );
            let _ = write!(
                m,
                "From tlsrpt@{submitter} {asctime}\n\
                 From: tlsrpt@{submitter}\n\
                 Date: {rfc2822}\n\
                 To: tlsrpt@{domain}\n\
                 Subject: Report Domain: {domain}\n \
                 Submitter: {submitter}\n \
                 Report-ID: <{report_id}@{submitter}>\n\
                 TLS-Report-Domain: {domain}\n\
                 TLS-Report-Submitter: {submitter}\n\
                 Message-ID: <{}.tlsrpt@{submitter}>\n\
                 MIME-Version: 1.0\n\
                 Content-Type: multipart/report; report-type=\"tlsrpt\";\n   \
                 boundary=\"{boundary}\"\n\
                 Content-Language: en-us\n\
                 \n\
                 This is a multipart message in MIME format.\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: text/plain; charset=\"us-ascii\"\n\
                 Content-Transfer-Encoding: 7bit\n\
                 \n\
                 This is an aggregate TLS report from {submitter}\n\
                 \n\
                 --{boundary}\n\
                 Content-Type: application/tlsrpt+gzip\n\
                 Content-Transfer-Encoding: base64\n\
                 Content-Disposition: attachment;\n   \
                 filename=\"{file_name}\"\n\
                 \n\
                 {attachment}\n\
                 --{boundary}--\n",
                rng.hex(16, false)
            );
        }
    }
    m.push('\n');
    m.into_bytes()
}

// ------------------------------------------------------------------------------------------
// Writing

struct Totals {
    json: u64,
    largest_json: usize,
    details: u64,
    heavy: usize,
    files: u64,
    mbox: u64,
    zips: u64,
    zip_count: usize,
}

fn render_batch(corpus: &Corpus, range: std::ops::Range<usize>) -> Vec<Rendered> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    let chunk = range.len().div_ceil(threads).max(1);
    let starts: Vec<usize> = range.clone().step_by(chunk).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .map(|&start| {
                let end = (start + chunk).min(range.end);
                scope.spawn(move || (start..end).map(|i| render(corpus, i)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a render thread panicked"))
            .collect()
    })
}

fn prepare_dir(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        fs::remove_dir_all(path)?;
    }
    fs::create_dir_all(path)
}

fn zip_time(secs: i64) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let t = utc(secs);
    zip::DateTime::from_date_and_time(
        t.year() as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

/// Writes a corpus as one gzipped file per report, as `--formats files` does, with
/// `reused_ids` percent of them giving another report's (organization-name, report-id) again
/// with other content, and returns the folder (the native tests load it file by file).
pub fn write_files(
    reports: usize,
    reused_ids: f64,
    out: &Path,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    run(Args {
        reports,
        out: out.to_path_buf(),
        domains: 20,
        days: 90,
        seed: 1,
        files: true,
        mbox: false,
        zips: false,
        per_zip: PER_ZIP,
        reused_ids,
    })?;
    Ok(out.join("files"))
}

/// Writes a corpus as one mbox, as `--formats mbox` does, and returns its path (the native
/// tests use it to test on the benchmarks' corpus).
pub fn write_mbox(
    reports: usize,
    domains: usize,
    days: u32,
    out: &Path,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    run(Args {
        reports,
        out: out.to_path_buf(),
        domains,
        days,
        seed: 1,
        files: false,
        mbox: true,
        zips: false,
        per_zip: PER_ZIP,
        reused_ids: 0.0,
    })?;
    Ok(out.join("reports.mbox"))
}

/// Writes the corpus the arguments describe, and prints its one line of counts.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let domains: Vec<Domain> = (0..args.domains)
        .map(|i| make_domain(args.seed, i, args.days))
        .collect();
    let (plans, pool) = plan(&args, &domains);
    let smalls = (0..pool).map(|o| make_small_org(args.seed, o)).collect();
    let seq_width = args.reports.to_string().len().max(4);
    let corpus = Corpus {
        args,
        domains,
        smalls,
        plans,
        seq_width,
    };
    let args = &corpus.args;
    fs::create_dir_all(&args.out)?;
    let files_dir = args.out.join("files");
    let zips_dir = args.out.join("zips");
    let mbox_path = args.out.join("reports.mbox");
    if args.files {
        prepare_dir(&files_dir)?;
    }
    if args.zips {
        prepare_dir(&zips_dir)?;
    }
    let mut mbox = if args.mbox {
        Some(BufWriter::with_capacity(
            1 << 20,
            fs::File::create(&mbox_path)?,
        ))
    } else {
        None
    };
    let mut totals = Totals {
        json: 0,
        largest_json: 0,
        details: 0,
        heavy: corpus.plans.iter().filter(|p| p.heavy).count(),
        files: 0,
        mbox: 0,
        zips: 0,
        zip_count: 0,
    };
    let mut identities: HashSet<String> = HashSet::with_capacity(args.reports);
    let copies = corpus.plans.iter().filter(|p| p.again.is_some()).count();
    let mut zip: Option<(PathBuf, ZipWriter<BufWriter<fs::File>>, usize)> = None;
    let mut start = 0;
    while start < args.reports {
        let end = (start + RENDER_BATCH).min(args.reports);
        let batch = render_batch(&corpus, start..end);
        for report in &batch {
            identities.insert(report.identity.clone());
            totals.json += report.json_len as u64;
            totals.largest_json = totals.largest_json.max(report.json_len);
            totals.details += report.details as u64;
            if args.files {
                fs::write(files_dir.join(&report.file_name), &report.gz)?;
                totals.files += report.gz.len() as u64;
            }
            if let Some(mbox) = mbox.as_mut() {
                mbox.write_all(&report.email)?;
                totals.mbox += report.email.len() as u64;
            }
            if args.zips {
                if zip.is_none() {
                    totals.zip_count += 1;
                    let path = zips_dir.join(format!("reports-{:03}.zip", totals.zip_count));
                    let file = BufWriter::with_capacity(1 << 20, fs::File::create(&path)?);
                    zip = Some((path, ZipWriter::new(file), 0));
                }
                let full = match zip.as_mut() {
                    Some((_, writer, entries)) => {
                        let options = SimpleFileOptions::default()
                            .compression_method(CompressionMethod::Deflated)
                            .last_modified_time(zip_time(report.received))
                            .unix_permissions(0o644);
                        writer.start_file(report.file_name.as_str(), options)?;
                        writer.write_all(&report.gz)?;
                        *entries += 1;
                        *entries == args.per_zip
                    }
                    None => false,
                };
                if let Some((path, writer, _)) = zip.take_if(|_| full) {
                    writer.finish()?.flush()?;
                    totals.zips += fs::metadata(path)?.len();
                }
            }
        }
        start = end;
    }
    if let Some((path, writer, _)) = zip {
        writer.finish()?.flush()?;
        totals.zips += fs::metadata(path)?.len();
    }
    if identities.len() != args.reports - copies {
        return Err(format!(
            "{} reports share an (organization-name, report-id) that only {copies} copies should",
            args.reports - identities.len()
        )
        .into());
    }
    if let Some(mut mbox) = mbox {
        mbox.flush()?;
    }
    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    let n = args.reports.max(1) as u64;
    let mut line = format!(
        "make_corpus: {} reports, {} domains, {} days, seed {}: json {:.1} MB (avg {} B, largest {} KB, {} failure details, {} heavy)",
        args.reports,
        args.domains,
        args.days,
        args.seed,
        mb(totals.json),
        totals.json / n,
        totals.largest_json / 1024,
        totals.details,
        totals.heavy,
    );
    if copies > 0 {
        let _ = write!(
            line,
            "; {copies} give another report's (organization-name, report-id) again with other content"
        );
    }
    if args.files {
        let _ = write!(
            line,
            "; files/ {} ({:.1} MB)",
            args.reports,
            mb(totals.files)
        );
    }
    if args.mbox {
        let _ = write!(
            line,
            "; reports.mbox {} messages ({:.1} MB)",
            args.reports,
            mb(totals.mbox)
        );
    }
    if args.zips {
        let _ = write!(
            line,
            "; zips/ {} archives ({:.1} MB)",
            totals.zip_count,
            mb(totals.zips)
        );
    }
    let _ = write!(
        line,
        "; {:.2} s -> {}",
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    println!("{line}");
    Ok(())
}
