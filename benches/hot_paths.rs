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

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use briefs::internals::citation::Citations;
use briefs::internals::config::RawHtml;
use briefs::internals::markdown::{self, IdSet};
use criterion::{Criterion, criterion_group, criterion_main};

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

criterion_group!(benches, markdown_citations, check_site);
criterion_main!(benches);
