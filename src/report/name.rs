//! Interned names: organisations, policy domains, MX hosts, IP addresses, result types and
//! days repeat across thousands of reports, so a session keeps each distinct value once. A
//! [`Name`] is a shared pointer to that one copy: cloning it into a tally or an index costs a
//! reference count, not an allocation, and two equal names from different reports share their
//! bytes. It reads, compares, hashes, orders and serialises exactly as the text it holds.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A name as a report gives it (after the spelling rules of [`super::names`]), shared.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when both are the same shared copy (not merely equal text).
    pub fn shares_with(&self, other: &Name) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Name(Arc::from(text))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        Name(Arc::from(text))
    }
}

impl From<&Name> for String {
    fn from(name: &Name) -> Self {
        name.as_str().to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

/// The distinct names of a session, each kept once.
#[derive(Debug, Clone, Default)]
pub struct NameTable(HashSet<Name>);

impl NameTable {
    /// Replaces `name` by the table's copy of the same text, adding it when new.
    pub fn intern(&mut self, name: &mut Name) {
        match self.0.get(name.as_str()) {
            Some(kept) => *name = kept.clone(),
            None => {
                self.0.insert(name.clone());
            }
        }
    }

    /// The table's copy of `text`, added when new.
    pub fn name(&mut self, text: &str) -> Name {
        match self.0.get(text) {
            Some(kept) => kept.clone(),
            None => {
                let name = Name::from(text);
                self.0.insert(name.clone());
                name
            }
        }
    }

    /// How many distinct names are kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_share_one_copy() {
        let mut table = NameTable::default();
        let mut first = Name::from("Google LLC");
        let mut second = Name::from(String::from("Google LLC"));
        assert!(!first.shares_with(&second));
        table.intern(&mut first);
        table.intern(&mut second);
        assert!(first.shares_with(&second));
        assert!(table.name("Google LLC").shares_with(&first));
        assert_eq!(table.len(), 1);
        let other = table.name("Microsoft");
        assert!(!other.shares_with(&first));
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn reads_orders_and_serialises_as_its_text() {
        let a = Name::from("a.example");
        let b = Name::from("b.example");
        assert!(a < b);
        assert_eq!(a, "a.example");
        assert_eq!(a.len(), 9);
        assert_eq!(format!("{a} {a:?}"), "a.example \"a.example\"");
        let json = serde_json::to_string(&vec![a.clone(), b]).unwrap();
        assert_eq!(json, r#"["a.example","b.example"]"#);
        let back: Vec<Name> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0], a);
        let mut set = std::collections::BTreeSet::new();
        set.insert(a);
        assert!(set.contains("a.example"));
    }
}
