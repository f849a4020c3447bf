//! The layers point one way (report ← ingest ← analysis ← engine ← worker, and the page),
//! the page imports the engine's model only, and no two sibling modules import each other.
//! Read from the sources themselves, comments left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its code (comments left out).
fn sources(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code: Vec<&str> = text
                    .lines()
                    .map(|line| line.split("//").next().unwrap_or(""))
                    .collect();
                found.insert(path, code.join("\n"));
            }
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    // (layer, the layers it must not name)
    let rules = [
        (
            "report",
            &["ingest", "analysis", "engine", "worker", "ui"][..],
        ),
        ("ingest", &["analysis", "engine", "worker", "ui"][..]),
        ("analysis", &["engine", "worker", "ui"][..]),
        ("engine", &["worker", "ui"][..]),
        ("worker", &["ui"][..]),
        // The page: the engine's model and formatters, and the shared text helpers only.
        ("ui", &["report", "ingest", "analysis", "worker"][..]),
    ];
    let mut broken = Vec::new();
    for (layer, forbidden) in rules {
        for (path, code) in sources(&src().join(layer)) {
            for other in forbidden {
                if code.contains(&format!("crate::{other}::"))
                    || code.contains(&format!("crate::{other}}}"))
                    || code.contains(&format!("crate::{other};"))
                {
                    broken.push(format!("{} names crate::{other}", path.display()));
                }
            }
            if layer == "ui" {
                for (at, _) in code.match_indices("crate::engine::") {
                    let rest = &code[at + "crate::engine::".len()..];
                    if !rest.starts_with("model") && !rest.starts_with("present") {
                        broken.push(format!(
                            "{} names the engine past its model: crate::engine::{}",
                            path.display(),
                            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or("")
                        ));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn no_two_sibling_modules_import_each_other() {
    let all = sources(&src());
    // A module's name: its file's stem, or its folder's name for a mod.rs.
    let name = |path: &Path| -> String {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" {
            path.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        } else {
            stem
        }
    };
    // Whether `code` (of a module in `dir`) names its sibling `other`.
    let names = |code: &str, other: &str| {
        ["::", ";", "}", ",", " "]
            .iter()
            .any(|end| code.contains(&format!("super::{other}{end}")))
    };
    let mut both_ways = Vec::new();
    let files: Vec<(&PathBuf, &String)> = all
        .iter()
        .filter(|(path, _)| path.file_stem().is_some_and(|s| s != "mod"))
        .collect();
    for (i, (a, code_a)) in files.iter().enumerate() {
        for (b, code_b) in &files[i + 1..] {
            if a.parent() != b.parent() {
                continue;
            }
            if names(code_a, &name(b)) && names(code_b, &name(a)) {
                both_ways.push(format!("{} <-> {}", a.display(), b.display()));
            }
        }
    }
    assert!(both_ways.is_empty(), "{both_ways:#?}");
}
