//! Tolerant readers for the fields of one JSON object: they accept the shapes seen in real
//! reports, write a note for anything unusual, and hand back the keys nobody asked for.

use serde_json::{Map, Value};

/// What reading one report left besides its values: the notes on what was unusual, and each
/// text whose direction controls were made visible, with the text as given.
#[derive(Debug, Default)]
pub(super) struct Notes {
    pub list: Vec<String>,
    pub given: Vec<super::GivenText>,
}

impl Notes {
    pub fn push(&mut self, note: String) {
        self.list.push(note);
    }
}

/// Reads fields out of one JSON object, noting each oddity under the object's path.
pub(super) struct ObjectReader<'n> {
    map: Map<String, Value>,
    path: String,
    notes: &'n mut Notes,
}

/// `policy-type`, `Policy_Type` and `policy_type` all name the same field.
fn normalise_key(key: &str) -> String {
    key.trim().to_ascii_lowercase().replace('_', "-")
}

impl<'n> ObjectReader<'n> {
    pub(super) fn new(map: Map<String, Value>, path: &str, notes: &'n mut Notes) -> Self {
        ObjectReader {
            map,
            path: path.to_string(),
            notes,
        }
    }

    pub(super) fn note(&mut self, text: String) {
        let prefix = if self.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.path)
        };
        self.notes.push(format!("{prefix}{text}"));
    }

    pub(super) fn notes(&mut self) -> &mut Notes {
        self.notes
    }

    /// Removes the field, matching its name loosely; JSON `null` reads as absent.
    pub(super) fn take(&mut self, key: &str) -> Option<Value> {
        let value = match self.map.remove(key) {
            Some(value) => value,
            None => {
                let found = self.map.keys().find(|k| normalise_key(k) == key).cloned()?;
                self.note(format!("field \"{found}\" read as \"{key}\""));
                self.map.remove(&found)?
            }
        };
        (!value.is_null()).then_some(value)
    }

    /// A text field; numbers are read as their text, empty strings as absent.
    pub(super) fn text(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(text) if text.trim().is_empty() => None,
            Value::String(text) => Some(self.shown(key, text)),
            Value::Number(number) => Some(number.to_string()),
            other => {
                self.note(format!(
                    "{key} is {}, expected text; ignored",
                    describe(&other)
                ));
                None
            }
        }
    }

    /// A text as it will be shown: cut to [`MAX_TEXT`] characters ([`MAX_POLICY_STRING`] for a
    /// policy string), and direction controls made visible (see `text::visible_controls`),
    /// with a note for each. The report's JSON as given keeps the whole value; a text shown
    /// with its controls made visible is also kept as given (cut), for the JSON export.
    fn shown(&mut self, key: &str, text: String) -> String {
        let cap = if key == "policy-string" {
            MAX_POLICY_STRING
        } else {
            MAX_TEXT
        };
        let text = match crate::text::cut(&text, cap) {
            None => text,
            Some(cut) => {
                self.note(format!(
                    "{key} is {} characters long; shown cut to its first {} (the report's JSON \
                     as given keeps it whole)",
                    crate::text::thousands(text.chars().count() as u64),
                    crate::text::thousands(cap as u64)
                ));
                cut
            }
        };
        match crate::text::visible_controls(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(shown) => {
                self.note(format!(
                    "{key} holds direction controls, which can make text show as something it \
                     is not; they are shown as [U+…] (the JSON export writes them as given)"
                ));
                self.notes.given.push(super::GivenText {
                    shown: shown.clone(),
                    given: text,
                });
                shown
            }
        }
    }

    /// A host name read from a text this reader has shown, in its one spelling
    /// ([`super::names::host_name`]); when the text was shown with visible direction
    /// controls, the name as given is kept beside it too.
    pub(super) fn host_name(&mut self, shown: &str) -> String {
        let name = super::names::host_name(shown);
        if name != shown {
            if let Some(given) = self.notes.given.iter().find(|g| g.shown == shown) {
                let given = super::names::host_name(&given.given);
                self.notes.given.push(super::GivenText {
                    shown: name.clone(),
                    given,
                });
            }
        }
        name
    }

    /// A session count. Missing counts read as 0 and are noted, like anything not a whole number.
    pub(super) fn count(&mut self, key: &str) -> u64 {
        let Some(value) = self.take(key) else {
            self.note(format!("{key} is missing; read as 0"));
            return 0;
        };
        match read_count(&value) {
            Some(count) if count > MAX_COUNT => {
                self.note(format!(
                    "{key} is {count}, more sessions than any report could hold; read as {MAX_COUNT}"
                ));
                MAX_COUNT
            }
            Some(count) => count,
            None => {
                self.note(format!(
                    "{key} is {}, not a whole number of sessions; read as 0",
                    describe(&value)
                ));
                0
            }
        }
    }

    /// A list of strings that some providers send as one string (mx-host, policy-string).
    pub(super) fn text_list(&mut self, key: &str) -> Vec<String> {
        match self.take(key) {
            None => Vec::new(),
            Some(Value::String(text)) => {
                self.note(format!(
                    "{key} is a single string, read as a list of one (see RFC 8460 erratum 6241)"
                ));
                vec![self.shown(key, text)]
            }
            Some(Value::Array(items)) => {
                if items.len() > MAX_LIST_ITEMS {
                    self.note(format!(
                        "{key} lists {} items; the first {} are read (the report's JSON as \
                         given keeps them all)",
                        crate::text::thousands(items.len() as u64),
                        crate::text::thousands(MAX_LIST_ITEMS as u64)
                    ));
                }
                let mut texts = Vec::with_capacity(items.len().min(MAX_LIST_ITEMS));
                for item in items.into_iter().take(MAX_LIST_ITEMS) {
                    match item {
                        Value::String(text) => texts.push(self.shown(key, text)),
                        Value::Number(number) => texts.push(number.to_string()),
                        other => self.note(format!(
                            "an item of {key} is {}, not text; ignored",
                            describe(&other)
                        )),
                    }
                }
                texts
            }
            Some(other) => {
                self.note(format!(
                    "{key} is {}, expected a list; ignored",
                    describe(&other)
                ));
                Vec::new()
            }
        }
    }

    /// A nested object; anything else is noted and read as absent.
    pub(super) fn object(&mut self, key: &str) -> Option<Map<String, Value>> {
        match self.take(key)? {
            Value::Object(map) => Some(map),
            other => {
                self.note(format!(
                    "{key} is {}, expected an object; ignored",
                    describe(&other)
                ));
                None
            }
        }
    }

    /// The fields nobody asked for, to keep verbatim.
    pub(super) fn into_rest(self) -> Map<String, Value> {
        // A map emptied by `take` keeps its node (over 600 bytes); a report keeps a few of
        // these, so an empty rest is a new map, which allocates nothing.
        if self.map.is_empty() {
            Map::new()
        } else {
            self.map
        }
    }
}

/// The longest text a report field is read as, in characters (a DNS name has at most 253; an
/// organisation's name, a report-id, a contact or a failure's additional information a few
/// dozen in real reports). Past it the text is cut, with a note: a 15 MB organisation name
/// gzips to 16 KB and was repeated in every view model.
pub use crate::text::MAX_TEXT;

/// The longest policy string read: Microsoft gives all of a domain's TLSA records as one
/// JSON-encoded string (a few hundred characters), which must stay whole to be read.
pub const MAX_POLICY_STRING: usize = 16 * 1024;

/// The most items read from a list of texts (policy-string lines, mx-host patterns): a real
/// policy has a handful.
pub const MAX_LIST_ITEMS: usize = 1000;

/// The largest count kept: the one cap of every count and sum (see `text::MAX_COUNT`).
pub(super) use crate::text::MAX_COUNT;

fn read_count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64)
                .map(|f| f as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// "a number", "an object", ... for messages.
pub(super) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
