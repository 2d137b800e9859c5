//! What a static host needs from a site's own files: dotfiles in `static/`
//! (`.nojekyll`, `.well-known/`, `.htaccess`, `_redirects`, `_headers`)
//! reach the output; version-control, system and editor files do not.

mod common;

use std::fs;
use std::path::Path;

use common::{copy_dir, fixture, run_build};
use tempfile::TempDir;

/// A copy of the `valid` fixture to change, in a temporary folder.
fn site_copy(tmp: &TempDir) -> std::path::PathBuf {
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    root
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn dotfiles_in_static_are_published_and_vcs_and_editor_files_are_not() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    let published = [
        (".nojekyll", ""),
        (
            ".well-known/security.txt",
            "Contact: mailto:desk@example.org\n",
        ),
        (".htaccess", "ErrorDocument 404 /briefs/404.html\n"),
        ("_redirects", "/old /briefs/ 301\n"),
        ("_headers", "/*\n  X-Frame-Options: DENY\n"),
        ("css/.keep-me", "kept"),
    ];
    let left_out = [
        ".git/HEAD",
        ".gitignore",
        ".DS_Store",
        "css/._extra.css",
        ".extra.css.swp",
        "extra.css~",
        ".#extra.css",
        "#extra.css#",
        ".vscode/settings.json",
    ];
    for (rel, text) in published {
        write(&root, &format!("static/{rel}"), text);
    }
    for rel in left_out {
        write(&root, &format!("static/{rel}"), "private");
    }
    let out = tmp.path().join("public");
    let build = run_build(&root, &out, &[]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for (rel, text) in published {
        assert_eq!(
            fs::read_to_string(out.join(rel)).ok().as_deref(),
            Some(text),
            "{rel} is published"
        );
    }
    for rel in left_out {
        assert!(!out.join(rel).exists(), "{rel} is not published");
    }
    assert!(!out.join(".git").exists() && !out.join(".vscode").exists());
}
