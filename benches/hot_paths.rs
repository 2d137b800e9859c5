//! Criterion micro-benchmarks of the hot paths of a build, on content from
//! `examples/gen_corpus.rs` (included below, so the bench and the whole-build
//! script measure the same shape of brief).
//!
//! ```sh
//! cargo bench --bench hot_paths
//! ```
//!
//! - `markdown_citations/one_brief`: one generated brief's body (about 700
//!   words, six sections, citations on every reporting paragraph) through
//!   `briefs::internals::markdown::render` with a fresh `briefs::internals::citation::Citations`.
//! - `check/200_briefs`: `briefs::check` of a generated 200-brief site: read,
//!   parse, validate and render every page, writing nothing. A proxy for a
//!   build without the file writes.
//!
//! One group per super-linear blow-up guarded in `tests/regressions.rs`,
//! named after its test there, each at a small size and ten times it: a
//! linear path takes ten times as long at the larger size, a quadratic one a
//! hundred times (the throughput, in elements a second, then drops tenfold).
//!
//! - `many_identical_headings/{n}`: `n` lines of `## a` through
//!   `markdown::render` (each heading claims its own id).
//! - `many_bad_citations_in_the_rationale/{n}`: `briefs::check` of a brief
//!   whose score rationale holds `n` unknown citations.
//! - `many_unknown_citations_with_many_sources/{n}`: `briefs::check` of a
//!   brief with `n` sources and `n` unknown citations in its body.
//! - `many_diagnostics_in_one_file/{n}`: `briefs::check` of a brief with `n`
//!   unknown citations, one per line (each error is located in the file).

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use briefs::internals::citation::Citations;
use briefs::internals::config::RawHtml;
use briefs::internals::markdown::{self, IdSet};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[allow(dead_code)] // its `main` is the example's, unused here
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

const SEED: u64 = 42;

/// The body of a brief file and its source ids, in list order.
fn body_and_ids(text: &str) -> (&str, Vec<&str>) {
    let rest = text
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let end = rest.find("\n---\n").expect("front matter is closed");
    let yaml = &rest[..end];
    let body = &rest[end + "\n---\n".len()..];
    let ids = yaml
        .lines()
        .filter_map(|line| line.strip_prefix("  - id: "))
        .collect();
    (body, ids)
}

fn first_brief(site: &Path) -> String {
    let mut files: Vec<_> = fs::read_dir(site.join("content/briefs"))
        .expect("generated briefs")
        .map(|e| e.expect("a readable entry").path())
        .collect();
    files.sort();
    fs::read_to_string(&files[0]).expect("a readable brief")
}

fn markdown_citations(c: &mut Criterion) {
    let site = tempfile::tempdir().expect("a temp dir");
    gen_corpus::generate(site.path(), 20, SEED).expect("generated site");
    let text = first_brief(site.path());
    let (body, ids) = body_and_ids(&text);
    assert!(ids.len() >= 2, "a generated brief has 2-5 sources");

    let mut group = c.benchmark_group("markdown_citations");
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function("one_brief", |b| {
        b.iter(|| {
            let mut citations = Citations::new(ids.iter().copied());
            let mut id_set = IdSet::default();
            let rendered = markdown::render(
                black_box(body),
                0,
                Some(&mut citations),
                RawHtml::Sanitize,
                &mut id_set,
            );
            assert!(citations.problems.is_empty());
            rendered
        })
    });
    group.finish();
}

fn check_site(c: &mut Criterion) {
    let site = tempfile::tempdir().expect("a temp dir");
    gen_corpus::generate(site.path(), 200, SEED).expect("generated site");
    let options = briefs::Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let report = briefs::check(&options).expect("the generated site checks clean");
    assert!(
        report.diagnostics.is_empty(),
        "the generated site has no warnings"
    );

    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("200_briefs", |b| {
        b.iter(|| briefs::check(black_box(&options)).expect("checks clean"))
    });
    group.finish();
}

fn many_identical_headings(c: &mut Criterion) {
    let mut group = c.benchmark_group("many_identical_headings");
    for n in [600, 6_000] {
        let md = "## a\n".repeat(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &md, |b, md| {
            b.iter(|| {
                let rendered = markdown::render(
                    black_box(md),
                    0,
                    None,
                    RawHtml::Sanitize,
                    &mut IdSet::default(),
                );
                assert_eq!(rendered.toc.len(), n);
                rendered
            })
        });
    }
    group.finish();
}

/// A one-brief site in a temp folder, and the options that check it.
fn one_brief_site(brief: &str) -> (tempfile::TempDir, briefs::Options) {
    let site = tempfile::tempdir().expect("a temp dir");
    fs::write(
        site.path().join("site.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    )
    .expect("site.yaml written");
    fs::create_dir_all(site.path().join("content/briefs")).expect("content folder");
    fs::write(site.path().join("content/briefs/x.md"), brief).expect("brief written");
    let options = briefs::Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    (site, options)
}

/// `briefs::check` of the site: its number of errors.
fn error_count(options: &briefs::Options) -> usize {
    match briefs::check(options) {
        Ok(_) => 0,
        Err(briefs::Error::Content(d)) => d.error_count(),
        Err(e) => panic!("{e}"),
    }
}

/// Benchmarks `briefs::check` of the brief `brief(n)` for each `n`, which
/// must give exactly `n` errors.
fn check_errors(c: &mut Criterion, name: &str, sizes: [usize; 2], brief: fn(usize) -> String) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for n in sizes {
        let (_site, options) = one_brief_site(&brief(n));
        assert_eq!(error_count(&options), n, "{name}/{n}");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &options, |b, options| {
            b.iter(|| error_count(black_box(options)))
        });
    }
    group.finish();
}

fn bad_citations_in_the_rationale(n: usize) -> String {
    format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore:\n  value: 5\n  rationale: |\n{}\
         sources: [{{ id: a, publisher: P, title: T }}]\n---\nBody [@a].\n",
        "    [@x]\n".repeat(n)
    )
}

fn unknown_citations_with_many_sources(n: usize) -> String {
    let sources: String = (0..n)
        .map(|i| format!("  - {{ id: s{i}, publisher: P, title: T }}\n"))
        .collect();
    let body: String = (0..n).map(|i| format!("[@u{i}]\n")).collect();
    format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         sources:\n{sources}---\n{body}"
    )
}

fn diagnostics_in_one_file(n: usize) -> String {
    format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         sources: [{{ id: a, publisher: P, title: T }}]\n---\nBody [@a].\n{}",
        "[@x]\n".repeat(n)
    )
}

fn regressions(c: &mut Criterion) {
    check_errors(
        c,
        "many_bad_citations_in_the_rationale",
        [400, 4_000],
        bad_citations_in_the_rationale,
    );
    check_errors(
        c,
        "many_unknown_citations_with_many_sources",
        [300, 3_000],
        unknown_citations_with_many_sources,
    );
    check_errors(
        c,
        "many_diagnostics_in_one_file",
        [1_500, 15_000],
        diagnostics_in_one_file,
    );
}

criterion_group!(
    benches,
    markdown_citations,
    check_site,
    many_identical_headings,
    regressions
);
criterion_main!(benches);
