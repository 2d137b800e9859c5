//! The layout's one rule (ARCHITECTURE.md): a stage folder imports only the
//! stages before it. `content -> site -> render -> output -> serve`.

use std::fs;
use std::path::Path;

const STAGES: &[&str] = &["content", "site", "render", "output", "serve"];

/// Every `crate::<stage>` named in the files of stage `stage` (its root file
/// `src/<stage>.rs` and its folder), with the file and line.
fn named_stages(stage: &str) -> Vec<(String, usize, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join(format!("{stage}.rs"))];
    if src.join(stage).is_dir() {
        for entry in walkdir::WalkDir::new(src.join(stage)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "rs") {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let rel = file.strip_prefix(&src).unwrap().display().to_string();
                found.push((rel, n + 1, name));
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_stage() {
    let mut violations = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        for (file, line, name) in named_stages(stage) {
            if let Some(j) = STAGES.iter().position(|s| *s == name)
                && j > i
            {
                violations.push(format!("src/{file}:{line}: {stage} names crate::{name}"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_the_output_stage_deletes_or_replaces_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut writers = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.ends_with(".rs") || rel.starts_with("output") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        for call in ["remove_file(", "remove_dir_all(", "persist("] {
            if text.contains(call) {
                writers.push(format!("src/{rel} calls {call}"));
            }
        }
    }
    assert!(writers.is_empty(), "{}", writers.join("\n"));
}
