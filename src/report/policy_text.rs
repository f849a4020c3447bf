//! The policies as the senders saw them: MTA-STS policy text (RFC 8461 section 3.2) parsed
//! into its fields, and TLSA records (RFC 6698) into usage, selector and matching type.

use serde::{Deserialize, Serialize};

/// The mode of an MTA-STS policy (RFC 8461 section 3.2), read in any case; any other value
/// kept (lowercased) as given. Written as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum StsMode {
    Enforce,
    Testing,
    None,
    Other(String),
}

impl StsMode {
    pub fn as_str(&self) -> &str {
        match self {
            StsMode::Enforce => "enforce",
            StsMode::Testing => "testing",
            StsMode::None => "none",
            StsMode::Other(text) => text,
        }
    }
}

impl From<String> for StsMode {
    fn from(text: String) -> Self {
        match text.to_ascii_lowercase().as_str() {
            "enforce" => StsMode::Enforce,
            "testing" => StsMode::Testing,
            "none" => StsMode::None,
            other => StsMode::Other(other.to_string()),
        }
    }
}

impl From<StsMode> for String {
    fn from(mode: StsMode) -> Self {
        mode.as_str().to_string()
    }
}

impl std::fmt::Display for StsMode {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str(self.as_str())
    }
}

/// An MTA-STS policy as given in a report's `policy-string` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct StsPolicy {
    pub version: Option<String>,
    pub mode: Option<StsMode>,
    pub mx: Vec<String>,
    pub max_age: Option<u64>,
    /// Lines that are not "key: value", or values that do not parse.
    pub unreadable: Vec<String>,
}

impl StsPolicy {
    pub fn parse(lines: &[impl AsRef<str>]) -> Self {
        Self::parse_lines(&mut lines.iter().flat_map(|l| l.as_ref().lines()))
    }

    /// [`StsPolicy::parse`] over the lines of every string, compiled once for every kind of
    /// string list.
    fn parse_lines(lines: &mut dyn Iterator<Item = &str>) -> Self {
        let mut policy = StsPolicy::default();
        for line in lines {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                policy.unreadable.push(line.to_string());
                continue;
            };
            let value = value.trim().to_string();
            match key.trim().to_ascii_lowercase().as_str() {
                "version" => policy.version = Some(value),
                "mode" => policy.mode = Some(StsMode::from(value)),
                "mx" => policy.mx.push(value.to_ascii_lowercase()),
                "max_age" => match value.parse() {
                    Ok(seconds) => policy.max_age = Some(seconds),
                    Err(_) => policy.unreadable.push(line.to_string()),
                },
                _ => policy.unreadable.push(line.to_string()),
            }
        }
        policy
    }

    /// Whether a host matches one of the policy's mx patterns (RFC 8461 section 4.1: a
    /// leading "*." matches exactly one label).
    pub fn allows_mx(&self, host: &str) -> bool {
        let host = crate::report::names::host_name(host);
        self.mx.iter().any(|pattern| mx_matches(pattern, &host))
    }
}

fn mx_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.');
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

/// One TLSA record: "3 1 1 <hex>".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TlsaRecord {
    pub usage: u8,
    pub selector: u8,
    pub matching_type: u8,
    pub data: String,
}

impl TlsaRecord {
    /// Parses "usage selector matching-type data"; None when it is not a TLSA record.
    pub fn parse(text: &str) -> Option<Self> {
        let mut fields = text.split_whitespace();
        let usage = fields.next()?.parse().ok()?;
        let selector = fields.next()?.parse().ok()?;
        let matching_type = fields.next()?.parse().ok()?;
        let data: String = fields.collect();
        if data.is_empty() || !data.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        Some(TlsaRecord {
            usage,
            selector,
            matching_type,
            data,
        })
    }

    /// "DANE-EE (3), public key (1), SHA-256 (1)".
    pub fn describe(&self) -> String {
        let usage = match self.usage {
            0 => "PKIX-TA",
            1 => "PKIX-EE",
            2 => "DANE-TA",
            3 => "DANE-EE",
            _ => "unknown usage",
        };
        let selector = match self.selector {
            0 => "full certificate",
            1 => "public key",
            _ => "unknown selector",
        };
        let matching = match self.matching_type {
            0 => "exact match",
            1 => "SHA-256",
            2 => "SHA-512",
            _ => "unknown matching type",
        };
        format!(
            "{usage} ({}), {selector} ({}), {matching} ({})",
            self.usage, self.selector, self.matching_type
        )
    }

    /// Whether the data has the length its matching type needs.
    pub fn data_length_ok(&self) -> bool {
        match self.matching_type {
            1 => self.data.len() == 64,
            2 => self.data.len() == 128,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn parses_an_sts_policy() {
        let policy = StsPolicy::parse(&lines(&[
            "version: STSv1",
            "mode: Enforce",
            "mx: *.Mail.example.com",
            "mx: backup.example.net.",
            "max_age: 604800",
            "nonsense",
        ]));
        assert_eq!(policy.version.as_deref(), Some("STSv1"));
        assert_eq!(policy.mode, Some(StsMode::Enforce));
        assert_eq!(policy.max_age, Some(604_800));
        assert_eq!(policy.unreadable, ["nonsense"]);
        assert!(policy.allows_mx("mx1.mail.example.com"));
        assert!(!policy.allows_mx("a.b.mail.example.com"), "one label only");
        assert!(!policy.allows_mx("mail.example.com"));
        assert!(policy.allows_mx("BACKUP.example.net."));
    }

    #[test]
    fn parses_tlsa_records() {
        let record = TlsaRecord::parse(
            "3 1 1 6007EEE553E85D8DF007A845D19EC343283D4E416E9A33F9EF3040C8B7C285BC",
        )
        .unwrap();
        assert_eq!(
            (record.usage, record.selector, record.matching_type),
            (3, 1, 1)
        );
        assert_eq!(
            record.describe(),
            "DANE-EE (3), public key (1), SHA-256 (1)"
        );
        assert!(record.data_length_ok());
        assert!(TlsaRecord::parse("version: STSv1").is_none());
        assert!(!TlsaRecord::parse("3 1 1 abcd").unwrap().data_length_ok());
    }
}
