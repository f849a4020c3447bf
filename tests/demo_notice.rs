//! DEMO-NOTICE.txt, shipped beside the app, names every bundled demo report and carries the
//! license of each project they come from (scripts/make_demo_notice.py writes it).

use std::path::Path;

#[test]
fn the_notice_covers_every_demo_report_and_its_license() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = std::fs::read_to_string(root.join("src/worker/demo.rs")).unwrap();
    let notice = std::fs::read_to_string(root.join("DEMO-NOTICE.txt")).unwrap();
    let paths: Vec<&str> = demo
        .split("sample!(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(paths.len(), 12, "{paths:?}");
    for path in paths {
        assert!(
            root.join("samples").join(path).is_file(),
            "{path} is missing"
        );
        assert!(
            notice.contains(&format!("- {path}: ")),
            "{path} is not in DEMO-NOTICE.txt"
        );
        let project = path.split('/').nth(1).unwrap();
        let license =
            std::fs::read_to_string(root.join("samples/real").join(project).join("LICENSE"))
                .unwrap();
        assert!(
            notice.contains(license.trim_end()),
            "the license of {project} is not in DEMO-NOTICE.txt"
        );
    }
}
