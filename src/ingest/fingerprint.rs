//! Report fingerprints: a hash of a report as read, to tell a true duplicate from a reused
//! report-id. They travel as 16 hex digits, since JavaScript numbers cannot hold 64 bits.

use crate::report::Report;
use serde::{Deserialize, Deserializer, Serializer};

/// FNV-1a over the report as read, so that two copies of one report match whatever their
/// whitespace or compression.
pub fn fingerprint(report: &Report) -> u64 {
    // The report's JSON is written to memory, then hashed: the worker's wasm already holds
    // the serializer that writes a report to memory (for the page), where one writing into
    // the hash would be a second copy of all of it. The memory is this thread's, reused from
    // one report to the next. Writing to memory cannot fail.
    JSON.with(|json| {
        let mut json = json.borrow_mut();
        json.clear();
        let _ = serde_json::to_writer(&mut *json, report);
        let hash = fnv1a(&json);
        json.clear();
        json.shrink_to(KEPT_CAPACITY);
        hash
    })
}

thread_local! {
    /// The buffer [`fingerprint`] writes each report's JSON to.
    static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most memory the buffer keeps between reports (a rare large report's is given back).
const KEPT_CAPACITY: usize = 64 << 10;

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `#[serde(with = "fingerprint::as_hex")]`
pub mod as_hex {
    use super::*;

    pub fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{value:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let text = String::deserialize(deserializer)?;
        u64::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_the_report_as_json_and_tells_content_apart() {
        let report = crate::report::parse_report(
            br#"{"organization-name":"A","report-id":"1","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]}"#,
        )
        .unwrap();
        let json = serde_json::to_vec(&report).unwrap();
        let by_hand = json.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        });
        assert_eq!(super::fingerprint(&report), by_hand);
        let mut other = report.clone();
        other.policies[0].successful_sessions = 2;
        assert_ne!(super::fingerprint(&other), by_hand);
    }

    #[test]
    fn round_trips_as_hex_text() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Holder(#[serde(with = "super::as_hex")] u64);
        let text = serde_json::to_string(&Holder(u64::MAX - 1)).unwrap();
        assert_eq!(text, "\"fffffffffffffffe\"");
        assert_eq!(
            serde_json::from_str::<Holder>(&text).unwrap(),
            Holder(u64::MAX - 1)
        );
    }
}
