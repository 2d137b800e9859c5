//! What a static host needs from a site's own files: dotfiles in `static/`
//! (`.nojekyll`, `.well-known/`, `.htaccess`, `_redirects`, `_headers`)
//! reach the output; version-control, system and editor files do not. The
//! GitHub Pages workflow `briefs init --github-pages` writes builds the site
//! for the address GitHub serves it at.

mod common;

use std::fs;
use std::path::Path;

use common::{attrs, briefs, copy_dir, fixture, page, run_build, texts};
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

/// Runs git in `dir` with no user or system configuration; its stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Every file under `dir`, relative to `base`, with `/`.
fn files_under(base: &Path, dir: &str) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(base.join(dir))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(base).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// A site made by `briefs init`, published from `docs/` (GitHub Pages):
/// after builds that replace a site, `git add -A` stages the sources and
/// the current `docs/`, and nothing of the site a build replaced; also in
/// a repository whose `.gitignore` does not list it.
#[test]
fn git_add_all_stages_no_stale_site() {
    for own_gitignore in [true, false] {
        let tmp = TempDir::new().unwrap();
        let site = tmp.path().join("desk");
        briefs().arg("init").arg(&site).assert().success();
        if !own_gitignore {
            fs::remove_file(site.join(".gitignore")).unwrap();
        }
        git(&site, &["init", "-q"]);
        let brief = site.join("content/briefs/first-brief.md");
        for n in 0..3 {
            let text = fs::read_to_string(&brief).unwrap();
            fs::write(&brief, format!("{text}\nParagraph {n}.\n")).unwrap();
            let build = briefs()
                .args(["build", "--output", "docs"])
                .current_dir(&site)
                .output()
                .unwrap();
            assert!(build.status.success(), "{build:?}");
        }
        assert!(site.join(".docs.briefs/previous/index.html").is_file());
        git(&site, &["add", "-A"]);
        let staged: Vec<String> = git(&site, &["diff", "--cached", "--name-only"])
            .lines()
            .map(str::to_string)
            .collect();
        let published: Vec<&String> = staged.iter().filter(|p| p.starts_with("docs/")).collect();
        let built = files_under(&site, "docs");
        assert_eq!(published, built.iter().collect::<Vec<_>>());
        let sources: Vec<&String> = staged.iter().filter(|p| !p.starts_with("docs/")).collect();
        let mut expected = vec![
            "content/briefs/first-brief.md",
            "content/pages/about.md",
            "site.yaml",
        ];
        if own_gitignore {
            expected.insert(0, ".gitignore");
        }
        assert_eq!(sources, expected, "own .gitignore: {own_gitignore}");
    }
}

/// Builds `root` into `tmp/public`: exit code and stderr.
fn build(root: &Path, tmp: &TempDir) -> (i32, String) {
    let out = tmp.path().join("public");
    let build = run_build(root, &out, &[]);
    (
        build.status.code().unwrap(),
        String::from_utf8(build.stderr).unwrap(),
    )
}

fn append(path: &Path, text: &str) {
    let mut all = fs::read_to_string(path).unwrap();
    all.push_str(text);
    fs::write(path, all).unwrap();
}

/// `stylesheets:` and `scripts:` link files of `static/` on every page,
/// after the theme's stylesheet, under the base path; the partials
/// `head_extra.html` and `footer_extra.html` go into every page.
#[test]
fn a_site_extends_the_theme_without_forking_it() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    write(&root, "static/site.css", ".brief h1 { color: teal; }\n");
    write(&root, "static/js/desk.js", "console.log('desk');\n");
    append(
        &root.join("site.yaml"),
        "stylesheets: [site.css]\nscripts: [js/desk.js]\n",
    );
    write(
        &root,
        "templates/partials/head_extra.html",
        r#"<meta name="google-site-verification" content="abc123">"#,
    );
    write(
        &root,
        "templates/partials/footer_extra.html",
        r#"<p class="imprint"><a href="https://example.org/imprint">Imprint</a></p>"#,
    );
    let (code, stderr) = build(&root, &tmp);
    assert_eq!(code, 0, "{stderr}");
    let out = tmp.path().join("public");
    for path in [
        "index.html",
        "briefs/cited/index.html",
        "tags/index.html",
        "404.html",
    ] {
        let html = page(&out, path);
        assert_eq!(
            attrs(&html, r#"head link[rel="stylesheet"]"#, "href"),
            ["/briefs/style.css", "/briefs/site.css"],
            "{path}"
        );
        assert_eq!(
            attrs(&html, "head script[defer]", "src"),
            ["/briefs/js/desk.js"],
            "{path}"
        );
        assert_eq!(
            attrs(
                &html,
                r#"head meta[name="google-site-verification"]"#,
                "content"
            ),
            ["abc123"],
            "{path}"
        );
        assert_eq!(texts(&html, "footer .imprint"), ["Imprint"], "{path}");
    }
    assert_eq!(
        fs::read_to_string(out.join("site.css")).unwrap(),
        ".brief h1 { color: teal; }\n"
    );
}

#[test]
fn a_linked_file_missing_from_static_is_an_error_on_its_line() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    append(&root.join("site.yaml"), "stylesheets:\n  - site.css\n");
    let (code, stderr) = build(&root, &tmp);
    assert_eq!(code, 1, "{stderr}");
    let expected = format!(
        "error: `stylesheets` lists `site.css`, but `static/site.css` does not exist\n  \
         --> {}:14:5\n   |\n14 |   - site.css\n   |     ^^^^^^^^\n   |\nhelp: `stylesheets` \
         names files of `static/`, from it: create `static/site.css`, or fix the path\n",
        root.join("site.yaml").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!tmp.path().join("public").exists(), "nothing written");
}

/// A short `static/style.css` meant to adjust the theme replaces its whole
/// stylesheet: the build says so and points to `stylesheets:`.
#[test]
fn a_short_style_css_that_replaces_the_theme_gets_a_warning() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    write(
        &root,
        "static/style.css",
        "h1 { color: teal; }\nbody { max-width: 60rem; }\n",
    );
    let (code, stderr) = build(&root, &tmp);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: static/style.css (2 lines) replaces the theme's stylesheet (")
            && stderr.contains("lines) whole: the theme's styles are gone from every page\n")
            && stderr.contains("`stylesheets: [site.css]`"),
        "{stderr}"
    );
    // The whole theme's stylesheet, as `briefs theme export` writes it, is no surprise.
    let theme = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/style.css")).unwrap();
    fs::write(root.join("static/style.css"), theme).unwrap();
    let tmp2 = TempDir::new().unwrap();
    let (code, stderr) = build(&root, &tmp2);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("style.css"), "{stderr}");
}

/// Adds `lines` at the top of the front matter of the brief `name`.
fn front_matter_add(root: &Path, name: &str, lines: &str) {
    let path = root.join(format!("content/briefs/{name}.md"));
    let text = fs::read_to_string(&path).unwrap();
    let rest = text.strip_prefix("---\n").expect("front matter first");
    fs::write(&path, format!("---\n{lines}{rest}")).unwrap();
}

/// `aliases:` writes a redirect page at each old address (refresh,
/// canonical, noindex, a plain link) and `_redirects` lines after the
/// site's own.
#[test]
fn an_alias_gets_a_redirect_page_and_a_redirects_line() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    front_matter_add(
        &root,
        "cited",
        "aliases: [/briefs/old-name/, 2024/cited.html]\n",
    );
    write(
        &root,
        "static/_redirects",
        "/briefs/feed /briefs/atom.xml 301",
    );
    let (code, stderr) = build(&root, &tmp);
    assert_eq!(code, 0, "{stderr}");
    let out = tmp.path().join("public");
    let target = "https://example.org/briefs/briefs/cited/";
    for path in ["briefs/old-name/index.html", "2024/cited.html"] {
        let html = page(&out, path);
        assert_eq!(attrs(&html, r#"link[rel="canonical"]"#, "href"), [target]);
        assert_eq!(
            attrs(&html, r#"meta[http-equiv="refresh"]"#, "content"),
            [format!("0; url={target}")]
        );
        assert_eq!(
            attrs(&html, r#"meta[name="robots"]"#, "content"),
            ["noindex"]
        );
        assert_eq!(attrs(&html, "body a", "href"), ["/briefs/briefs/cited/"]);
    }
    assert_eq!(
        fs::read_to_string(out.join("_redirects")).unwrap(),
        "/briefs/feed /briefs/atom.xml 301\n\
         # The aliases of briefs and pages (written by briefs build)\n\
         /briefs/briefs/old-name/ /briefs/briefs/cited/ 301\n\
         /briefs/2024/cited.html /briefs/briefs/cited/ 301\n"
    );
}

#[test]
fn an_alias_at_a_page_of_the_site_is_an_error_at_its_line() {
    let tmp = TempDir::new().unwrap();
    let root = site_copy(&tmp);
    front_matter_add(&root, "cited", "aliases:\n  - /briefs/older/\n");
    let (code, stderr) = build(&root, &tmp);
    assert_eq!(code, 1, "{stderr}");
    let expected = format!(
        "error: alias `/briefs/older/` is the address of a page of this site\n --> {}:3:5\n",
        root.join("content/briefs/cited.md").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!tmp.path().join("public").exists(), "nothing written");
}

/// `briefs new` on an `init`-made site: a 300-character headline gets a
/// slug cut at a word boundary (80 characters at most), pinned by `slug:`,
/// and the site's own `brief.sections` as headings.
#[test]
fn briefs_new_takes_a_long_title_and_the_sites_sections() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("desk");
    briefs().arg("init").arg(&site).assert().success();
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    let init_sections = "  sections: [What happened, Current scale, Competitive context, \
                         What to watch, For practitioners]\n";
    assert!(yaml.contains(init_sections), "{yaml}");
    let yaml = yaml.replace(init_sections, "  sections: [Thesis, Evidence, Risks]\n");
    fs::write(site.join("site.yaml"), yaml).unwrap();
    let words = "Export controls on advanced semiconductors tighten again ";
    let title: String = words.repeat(6).chars().take(300).collect();
    let title = title.trim_end().to_string();
    assert!(title.chars().count() >= 290);
    briefs()
        .args(["new", &title, "--root"])
        .arg(&site)
        .assert()
        .success();
    let slug = "export-controls-on-advanced-semiconductors-tighten-again-export-controls-on";
    assert!(slug.len() <= 80);
    let path = site.join(format!("content/briefs/{slug}.md"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("\nslug: {slug}\n")), "{text}");
    assert!(text.contains(&format!("\ntitle: \"{title}\"\n")), "{text}");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings, ["## Thesis", "## Evidence", "## Risks"]);
    briefs()
        .args(["check", "--drafts", "--root"])
        .arg(&site)
        .assert()
        .success();
}

/// Runs `briefs new args…` in `site`: exit code, stdout, stderr.
fn new_in(site: &Path, args: &[&str]) -> (i32, String, String) {
    let output = briefs()
        .current_dir(site)
        .arg("new")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `briefs new` with a Japanese title (issue 24): kanji are never read as
/// Mandarin (東京エレクトロン 決算 was `dong-jing-erekutoron-jue-suan`); the
/// analyst names the address with `--slug`, and nothing is written before.
/// Kana are read in Hepburn romaji; on a Chinese site Han is read as pinyin.
#[test]
fn briefs_new_never_reads_kanji_as_mandarin_outside_a_chinese_site() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("desk");
    briefs().arg("init").arg(&site).assert().success();
    let title = "東京エレクトロン 決算";
    let (code, stdout, stderr) = new_in(&site, &[title]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: \"東京エレクトロン 決算\" has kanji, which briefs cannot read for a site in `en` \
         (it would read them as Chinese); name the brief's address with --slug, e.g. --slug \
         tokyo-electron-results\n"
    );
    let before: Vec<_> = fs::read_dir(site.join("content/briefs")).unwrap().collect();
    assert_eq!(before.len(), 1, "only init's first brief");

    let (code, stdout, stderr) = new_in(&site, &[title, "--slug", "tokyo-electron-kessan"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "created content/briefs/tokyo-electron-kessan.md\n");
    let text = fs::read_to_string(site.join("content/briefs/tokyo-electron-kessan.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"東京エレクトロン 決算\"\nslug: tokyo-electron-kessan\n"),
        "{text}"
    );
    let (code, _, stderr) = new_in(&site, &["x", "--slug", "Tokyo_Electron"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `Tokyo_Electron` is not a slug: use lowercase letters a-z, digits and hyphens\n"
    );

    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        yaml.replace("language: en", "language: ja"),
    )
    .unwrap();
    let (code, stdout, _) = new_in(&site, &["けっさん ちょっと エレクトロン"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "created content/briefs/kessan-chotto-erekutoron.md\n"
    );

    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        yaml.replace("language: ja", "language: zh-Hans"),
    )
    .unwrap();
    let (code, stdout, _) = new_in(&site, &["台积电 财报"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "created content/briefs/tai-ji-dian-cai-bao.md\n");
    briefs()
        .args(["check", "--drafts", "--root"])
        .arg(&site)
        .assert()
        .success();
}

/// The `run:` line of the workflow step that follows `- name: {name}`.
fn step_run<'a>(workflow: &'a str, name: &str) -> &'a str {
    let step = workflow
        .split_once(&format!("- name: {name}\n"))
        .unwrap_or_else(|| panic!("no step `{name}` in:\n{workflow}"))
        .1;
    let line = step
        .lines()
        .find(|l| l.trim_start().starts_with("run: "))
        .unwrap();
    line.trim_start().strip_prefix("run: ").unwrap()
}

#[test]
fn init_github_pages_writes_a_workflow_that_builds_for_the_project_subpath() {
    let tmp = TempDir::new().unwrap();
    let output = briefs()
        .current_dir(tmp.path())
        .args(["init", "mydesk", "--github-pages"])
        .args(["--briefs-git", "https://git.example.org/desk/briefs.git"])
        .args(["--briefs-rev", "0123abc"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout.contains("with .github/workflows/pages.yml: push it to GitHub and set Settings > Pages > Source to \"GitHub Actions\""), "{stdout}");
    let site = tmp.path().join("mydesk");
    let workflow = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    for line in [
        "  BRIEFS_GIT: \"https://git.example.org/desk/briefs.git\"",
        "  BRIEFS_REV: \"0123abc\"",
        "        uses: actions/configure-pages@v5",
        "      - uses: actions/upload-pages-artifact@v5",
        "          path: public",
        "          include-hidden-files: true",
        "        uses: actions/deploy-pages@v5",
    ] {
        assert!(
            workflow.lines().any(|l| l == line),
            "no `{line}` in:\n{workflow}"
        );
    }
    assert_eq!(
        step_run(&workflow, "Install briefs"),
        r#"cargo install --locked --git "$BRIEFS_GIT" ${BRIEFS_REV:+--rev "$BRIEFS_REV"} briefs"#
    );

    // The build step, run as the runner runs it, with the address
    // configure-pages gives a project site: every link under /mydesk/, the
    // 404 page at the artifact's root, dotfiles in it.
    write(&site, "static/.nojekyll", "");
    write(
        &site,
        "static/.well-known/security.txt",
        "Contact: mailto:desk@example.org\n",
    );
    let bin = assert_cmd::cargo::cargo_bin("briefs");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let build = std::process::Command::new("sh")
        .arg("-c")
        .arg(step_run(&workflow, "Build"))
        .current_dir(&site)
        .env("PATH", path)
        .env("PAGES_URL", "https://octocat.github.io/mydesk")
        .output()
        .unwrap();
    assert!(build.status.success(), "{build:?}");
    let public = site.join("public");
    for file in [
        "404.html",
        ".nojekyll",
        ".well-known/security.txt",
        "index.html",
    ] {
        assert!(public.join(file).is_file(), "{file} is not in the artifact");
    }
    let links = attrs(&page(&public, "index.html"), "link[rel=stylesheet]", "href");
    assert_eq!(links, ["/mydesk/style.css"]);
    let canonical = attrs(
        &page(&public, "about/index.html"),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(canonical, ["https://octocat.github.io/mydesk/about/"]);
}

#[test]
fn init_github_pages_refuses_a_url_that_is_no_git_url_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let output = briefs()
        .current_dir(tmp.path())
        .args([
            "init",
            "mydesk",
            "--github-pages",
            "--briefs-git",
            "github.com/desk/briefs",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: `github.com/desk/briefs` is not a git URL cargo can install from; give an https:// or ssh:// URL\n"
    );
    assert!(!tmp.path().join("mydesk").exists());
    let output = briefs()
        .current_dir(tmp.path())
        .args(["init", "mydesk", "--github-pages"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--briefs-git <URL>"));
}

/// A desk whose site exists (made without `--github-pages`, with its own
/// CI workflow and README) adds the Pages workflow with the same command,
/// run in the site: only `.github/workflows/pages.yml` is written, the same
/// file a new site gets. A second run, or `init` without `--github-pages`,
/// stops and touches nothing.
#[test]
fn init_github_pages_adds_only_the_workflow_to_an_existing_site() {
    let tmp = TempDir::new().unwrap();
    briefs()
        .current_dir(tmp.path())
        .args(["init", "desk"])
        .assert()
        .success();
    let site = tmp.path().join("desk");
    write(&site, ".github/workflows/ci.yml", "name: CI\n");
    write(&site, "README.md", "Our desk.\n");
    let before = common::snapshot_dir(&site);
    let git = ["--briefs-git", "https://git.example.org/desk/briefs.git"];

    let (code, stdout, stderr) = common::run_in(
        &site,
        &[&["init", ".", "--github-pages"], &git[..]].concat(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "added .github/workflows/pages.yml to the site in ./: push it to GitHub and set \
         Settings > Pages > Source to \"GitHub Actions\"\n"
    );
    let mut after = common::snapshot_dir(&site);
    let workflow = after.remove(".github/workflows/pages.yml").unwrap();
    assert_eq!(after, before, "nothing but the workflow is written");
    let fresh = tmp.path().join("fresh");
    briefs()
        .arg("init")
        .arg(&fresh)
        .arg("--github-pages")
        .args(git)
        .assert()
        .success();
    assert_eq!(
        workflow,
        fs::read(fresh.join(".github/workflows/pages.yml")).unwrap()
    );

    write(&site, ".github/workflows/pages.yml", "name: Ours\n");
    let (code, stdout, stderr) = common::run_in(
        tmp.path(),
        &[&["init", "desk", "--github-pages"], &git[..]].concat(),
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: desk/.github/workflows/pages.yml already exists; not overwriting it\n"
    );
    assert_eq!(
        fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap(),
        "name: Ours\n"
    );

    let (code, _, stderr) = common::run_in(tmp.path(), &["init", "desk"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: desk holds a site already (its site.yaml); to add the GitHub Pages workflow \
         to it: briefs init desk --github-pages --briefs-git URL\n"
    );
    let other = tmp.path().join("notes");
    write(&other, "todo.txt", "x\n");
    let (code, _, stderr) = common::run_in(
        tmp.path(),
        &[&["init", "notes", "--github-pages"], &git[..]].concat(),
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: notes is not empty; `briefs init` needs a new or empty folder\n"
    );
    assert!(!other.join(".github").exists());
}
