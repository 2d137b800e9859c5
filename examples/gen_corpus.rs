//! Writes a synthetic `briefs` site for benchmarks: `site.yaml`, N briefs under
//! `content/briefs/` and two free pages under `content/pages/`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --n 10000 --out /tmp/corpus-10000 [--seed 42]
//! ```
//!
//! The output depends only on `--n` and `--seed` (a self-contained splitmix64
//! generator, no clock, no hashing order). Each brief has the shape of a real
//! one: about 700 words of body in six H2 sections, every paragraph and list
//! item of the reporting sections carrying Pandoc citations (`[@a]`,
//! `[@a; @b]`, `[@a, p. 4]`), 2–5 sources with every field, a Markdown table in
//! about a third of the briefs, tags from a pool of 40, entities from a pool of
//! 60 (some with accents), a score with 2–4 factors and a rationale that cites
//! sources, 1–3 watch items (some dated), dates spread over two years and about
//! 5% drafts. Every source is cited, so `briefs check` reports nothing.
//!
//! `--out` must be missing, empty, or a folder this program wrote before (it
//! holds a `.gen_corpus` marker); its `site.yaml` and `content/` are replaced.
//! The marker ends up naming `n` and `seed` once every file is written.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const MARKER: &str = ".gen_corpus";

const TAGS: [&str; 40] = [
    "ai-chips",
    "cloud",
    "supply-chain",
    "memory",
    "hbm",
    "packaging",
    "foundry",
    "networking",
    "optics",
    "power",
    "nuclear",
    "renewables",
    "grid",
    "cooling",
    "data-centres",
    "colocation",
    "financing",
    "debt",
    "private-equity",
    "export-controls",
    "policy",
    "sovereign-ai",
    "europe",
    "asia",
    "north-america",
    "middle-east",
    "inference",
    "training",
    "open-models",
    "frontier-labs",
    "hyperscalers",
    "neoclouds",
    "semiconductors",
    "lithography",
    "edge",
    "storage",
    "software-stack",
    "pricing",
    "m-and-a",
    "earnings",
];

const ENTITIES: [&str; 60] = [
    "Amazon",
    "AWS",
    "Microsoft",
    "Google",
    "Meta",
    "Apple",
    "Oracle",
    "Nvidia",
    "AMD",
    "Intel",
    "Broadcom",
    "Marvell",
    "Qualcomm",
    "Arm",
    "TSMC",
    "Samsung",
    "SK Hynix",
    "Micron",
    "ASML",
    "Applied Materials",
    "Tokyo Electron",
    "OpenAI",
    "Anthropic",
    "Mistral",
    "Cohere",
    "xAI",
    "CoreWeave",
    "Lambda",
    "Nebius",
    "Equinix",
    "Digital Realty",
    "Schneider Electric",
    "Vertiv",
    "Siemens Énergie",
    "Électricité de France",
    "Société Générale",
    "Crédit Agricole",
    "BNP Paribas",
    "Nestlé",
    "Zürich Cloud",
    "Škoda Power",
    "Ørsted",
    "Iberdrola",
    "Enel",
    "Constellation Energy",
    "Vistra",
    "Blackstone",
    "Brookfield",
    "KKR",
    "SoftBank",
    "Foxconn",
    "Quanta",
    "Supermicro",
    "Dell",
    "HPE",
    "Cisco",
    "Arista",
    "Ciena",
    "Coherent",
    "Lumentum",
];

/// Publisher, web domain, the kind of source it usually is.
const PUBLISHERS: [(&str, &str, &str); 20] = [
    ("Reuters", "www.reuters.com", "news"),
    ("Bloomberg", "www.bloomberg.com", "news"),
    ("Financial Times", "www.ft.com", "news"),
    ("The Information", "www.theinformation.com", "news"),
    ("TechCrunch", "techcrunch.com", "news"),
    ("Nikkei Asia", "asia.nikkei.com", "news"),
    ("Les Échos", "www.lesechos.fr", "news"),
    ("Handelsblatt", "www.handelsblatt.com", "news"),
    ("Company investor relations", "ir.example.com", "primary"),
    ("Company blog", "blog.example.com", "primary"),
    ("SEC EDGAR", "www.sec.gov", "filing"),
    (
        "Companies House",
        "find-and-update.company-information.service.gov.uk",
        "filing",
    ),
    ("IEA", "www.iea.org", "report"),
    ("SemiAnalysis", "semianalysis.com", "report"),
    ("Uptime Institute", "uptimeinstitute.com", "report"),
    ("EIA", "www.eia.gov", "data"),
    ("TrendForce", "www.trendforce.com", "data"),
    ("Eurostat", "ec.europa.eu", "data"),
    ("Stratechery", "stratechery.com", "interview"),
    ("Dwarkesh Podcast", "www.dwarkesh.com", "interview"),
];

const PRODUCTS: [&str; 16] = [
    "accelerator",
    "HBM stack",
    "custom ASIC",
    "GPU cluster",
    "optical transceiver",
    "liquid-cooled rack",
    "inference service",
    "training campus",
    "switch silicon",
    "power purchase agreement",
    "substation",
    "advanced-packaging line",
    "colocation hall",
    "memory module",
    "co-packaged optics pilot",
    "sovereign compute programme",
];

const VERBS: [&str; 12] = [
    "plans to expand",
    "is in talks to sell",
    "has signed a deal for",
    "is weighing a bid for",
    "delayed its",
    "raised the price of its",
    "secured financing for its",
    "announced a second",
    "cut shipments of its",
    "opened orders for its",
    "is redesigning its",
    "confirmed the launch of its",
];

const UNITS: [&str; 6] = ["MW", "GW", "bn dollars", "m units", "racks", "exaflops"];

const ADJECTIVES: [&str; 12] = [
    "early-stage",
    "sizeable",
    "contested",
    "capacity-constrained",
    "long-dated",
    "unusually large",
    "tentative",
    "firm",
    "partly funded",
    "multi-year",
    "regional",
    "oversubscribed",
];

const FIRST_NAMES: [&str; 10] = [
    "Ana", "Bruno", "Chloé", "Dev", "Elena", "Farid", "Greta", "Hiro", "Inès", "José",
];
const LAST_NAMES: [&str; 10] = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Patel",
    "Novák",
    "Haddad",
    "Schmidt",
    "Tanaka",
    "Dubois",
    "García",
];

const FACTORS: [&str; 6] = [
    "Evidence",
    "Impact",
    "Novelty",
    "Confidence",
    "Timing",
    "Breadth",
];

/// splitmix64: tiny, fast, and good enough to shape test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() - 1)]
    }

    /// Between `lo` and `hi` (inclusive) distinct indices of `0..n`.
    fn some(&mut self, lo: usize, hi: usize, n: usize) -> Vec<usize> {
        let k = self.range(lo, hi);
        self.distinct(k, n)
    }

    /// `k` distinct indices of `0..n`, in the order drawn.
    fn distinct(&mut self, k: usize, n: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = self.range(i, n - 1);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn date(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// 2025-01-01.
const EPOCH_DAY: i64 = 20_089;

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One source of a brief.
struct Source {
    id: String,
    publisher: &'static str,
    domain: &'static str,
    kind: &'static str,
}

/// The material one brief is written from.
struct Story<'r> {
    rng: &'r mut Rng,
    entities: Vec<&'static str>,
    product: &'static str,
    sources: Vec<Source>,
    /// Round-robin over the sources, so each one is cited early.
    next_source: usize,
}

impl Story<'_> {
    fn entity(&mut self) -> &'static str {
        self.rng.pick(&self.entities)
    }

    fn number(&mut self) -> String {
        let whole = self.rng.range(1, 400);
        if self.rng.chance(40) {
            format!("{whole}.{}", self.rng.range(1, 9))
        } else {
            whole.to_string()
        }
    }

    /// A citation bracket: one source, two, or one with a locator.
    fn cite(&mut self) -> String {
        let n = self.sources.len();
        let first = self.next_source % n;
        self.next_source += 1;
        let id = &self.sources[first].id;
        match self.rng.range(0, 9) {
            0..=5 => format!("[@{id}]"),
            6 | 7 => {
                let second = &self.sources[(first + 1 + self.rng.range(0, n - 2)) % n].id;
                format!("[@{id}; @{second}]")
            }
            _ => format!("[@{id}, p. {}]", self.rng.range(1, 60)),
        }
    }

    fn sentence(&mut self) -> String {
        let e = self.entity();
        let e2 = self.entity();
        let p = self.product;
        let a_p = with_article(p);
        let adj = self.rng.pick(&ADJECTIVES);
        let unit = self.rng.pick(&UNITS);
        let num = self.number();
        let year = 2025 + self.rng.range(0, 3);
        let quarter = self.rng.range(1, 4);
        match self.rng.range(0, 13) {
            0 => format!(
                "{e} {} {p} programme, which people familiar with the plan put at about {num} {unit}.",
                self.rng.pick(&VERBS)
            ),
            1 => format!(
                "The company expects the first {p} deliveries in the {} quarter of {year}, later than it had said in its previous update.",
                ["first", "second", "third", "fourth"][quarter - 1]
            ),
            2 => format!(
                "Analysts describe the {adj} commitment from {e2} as the largest single order for {a_p} disclosed so far."
            ),
            3 => format!(
                "Spending on the project rose to roughly {num} {unit} in Q{quarter} {year}, against guidance that had pointed lower."
            ),
            4 => format!(
                "{e} has not named a price, and {e2} declined to comment on the terms or the delivery schedule."
            ),
            5 => format!(
                "Supply remains the binding constraint: lead times for {a_p} stretch well into {year}, and {e2} holds most of the allocation."
            ),
            6 => format!(
                "In a filing, {e} described the arrangement as {adj} and said it could be revised if demand softens."
            ),
            7 => format!(
                "The figure combines several product lines, so it *overstates* what the {p} earns on its own."
            ),
            8 => format!(
                "Executives at {e} argued that customers would gain a **credible second source** alongside {e2}."
            ),
            9 => format!(
                "Regulators in at least {} jurisdictions are reviewing the {p} deal, and one review is not expected to close before {year}.",
                self.rng.range(2, 6)
            ),
            10 => format!(
                "Power for the site comes from a {adj} contract with {e2}, sized at {num} {unit} over the first phase."
            ),
            11 => format!(
                "Competitors including {e2} have answered with discounts of up to {}% on comparable capacity.",
                self.rng.range(5, 35)
            ),
            12 => format!(
                "The plan still depends on {e2}, which controls the packaging step that every {p} has to pass through."
            ),
            _ => format!(
                "None of this has yet been confirmed by {e}, which said only that it is \"evaluating options\" for the {p}."
            ),
        }
    }

    /// A paragraph of `n` sentences; with `cited`, a citation ends one or two of them.
    fn paragraph(&mut self, n: usize, cited: bool) -> String {
        let mut out = String::new();
        let cite_at = self.rng.range(0, n - 1);
        for i in 0..n {
            let mut s = self.sentence();
            if cited && (i == cite_at || i == n - 1) {
                s.pop(); // the full stop goes after the citation
                s.push(' ');
                s.push_str(&self.cite());
                s.push('.');
            }
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&s);
        }
        wrap(&out)
    }

    fn table(&mut self) -> String {
        let mut out =
            String::from("| Party | Committed capacity | Scope | Source |\n|---|---:|---|---|\n");
        let rows = self.rng.range(2, 4);
        for _ in 0..rows {
            let e = self.entity();
            let num = self.number();
            let unit = self.rng.pick(&UNITS);
            let scope = self.rng.pick(&ADJECTIVES);
            let cite = self.cite();
            let _ = writeln!(out, "| {e} | {num} {unit} | {scope} | {cite} |");
        }
        out
    }

    fn watch_item(&mut self) -> String {
        let e = self.entity();
        let label = self.rng.pick(&[
            "Named customers.",
            "Capacity deals.",
            "Pricing.",
            "Regulatory review.",
            "Financing terms.",
            "Delivery format.",
        ]);
        let body = self.sentence();
        let cite = self.cite();
        format!(
            "- **{label}** A statement from {e} would settle the open question. {} {cite}.",
            body.trim_end_matches('.')
        )
    }
}

/// `a word` or `an word`.
fn with_article(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// Wraps prose at about 78 columns, as analysts' editors do.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 70);
    let mut col = 0;
    for word in text.split(' ') {
        if col > 0 && col + 1 + word.len() > 78 {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

/// The front matter's opening lines: title, dates, slug, summary, authors,
/// status, tags and entities.
fn header_yaml(
    rng: &mut Rng,
    title: &str,
    slug: &str,
    day: i64,
    tags: &[&str],
    entities: &[&str],
) -> String {
    let mut fm = String::with_capacity(3000);
    fm.push_str("---\n");
    let _ = writeln!(fm, "title: {}", q(title));
    if rng.chance(10) {
        let _ = writeln!(
            fm,
            "date: {}T{:02}:{:02}:00Z",
            date(day),
            rng.range(6, 20),
            rng.range(0, 59)
        );
    } else {
        let _ = writeln!(fm, "date: {}", date(day));
    }
    if rng.chance(20) {
        let _ = writeln!(fm, "updated: {}", date(day + rng.range(1, 30) as i64));
    }
    if rng.chance(15) {
        let _ = writeln!(fm, "slug: {slug}");
    }
    let adjective = rng.pick(&ADJECTIVES);
    let _ = writeln!(
        fm,
        "summary: >\n  {title}: {} step that would reshape procurement\n  for {} if it goes ahead.",
        with_article(adjective),
        entities[entities.len() - 1],
    );
    if rng.chance(25) {
        let a = format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES));
        let _ = writeln!(fm, "authors: [{}, Research Desk]", q(&a));
    }
    if rng.chance(5) {
        fm.push_str("status: draft\n");
    } else if rng.chance(50) {
        fm.push_str("status: published\n");
    }
    let _ = writeln!(fm, "tags: [{}]", tags.join(", "));
    let quoted: Vec<String> = entities.iter().map(|e| q(e)).collect();
    let _ = writeln!(fm, "entities: [{}]", quoted.join(", "));

    fm
}

/// The brief's Markdown body: the reporting sections, cited, then the rest.
fn body(story: &mut Story<'_>) -> String {
    let mut body = String::with_capacity(6000);
    let intro = story.paragraph(2, true);
    let _ = writeln!(body, "{intro}\n");
    for (heading, paragraphs, cited) in [
        ("What happened", 2, true),
        ("Background", 2, true),
        ("Current scale", 2, true),
        ("Competitive context", 2, true),
    ] {
        let _ = writeln!(body, "## {heading}\n");
        for p in 0..paragraphs {
            let n = story.rng.range(2, 4);
            let para = story.paragraph(n, cited);
            let _ = writeln!(body, "{para}\n");
            if heading == "Current scale" && p == 0 && story.rng.chance(35) {
                let table = story.table();
                let _ = writeln!(body, "{table}");
            }
        }
    }
    body.push_str("## What to watch\n\n");
    for _ in 0..story.rng.range(3, 4) {
        let item = story.watch_item();
        let _ = writeln!(body, "{}", wrap(&item).replace('\n', "\n  "));
    }
    body.push_str("\n## For practitioners\n\n");
    let practice = story.paragraph(3, false);
    let _ = writeln!(body, "{practice}\n");
    let practice = story.paragraph(2, false);
    let _ = writeln!(body, "{practice}");

    body
}

/// The `score:` block: value, a cited rationale and factors.
fn score_yaml(story: &mut Story<'_>, fm: &mut String) {
    let score = story.rng.range(10, 95) as f64 / 10.0;
    let _ = writeln!(fm, "score:\n  value: {score}\n  rationale: |");
    for _ in 0..2 {
        let para = story.paragraph(3, true);
        for line in para.lines() {
            let _ = writeln!(fm, "    {line}");
        }
        fm.push('\n');
    }
    fm.pop(); // no blank line at the end of the block scalar
    fm.push_str("  factors:\n");
    for k in story.rng.some(2, 4, FACTORS.len()) {
        let value = story.rng.range(0, 10);
        if story.rng.chance(60) {
            let note = story.sentence();
            let _ = writeln!(
                fm,
                "    - {{ name: {}, value: {value}, note: {} }}",
                FACTORS[k],
                q(note.trim_end_matches('.'))
            );
        } else {
            let _ = writeln!(fm, "    - {{ name: {}, value: {value} }}", FACTORS[k]);
        }
    }
}

/// The `sources:` list, one entry per source the story cites.
fn sources_yaml(story: &mut Story<'_>, fm: &mut String, day: i64, i: usize) {
    fm.push_str("sources:\n");
    let kinds = ["news", "primary", "filing", "report", "data", "interview"];
    for k in 0..story.sources.len() {
        let headline = story.sentence();
        let s = &story.sources[k];
        let published = day - story.rng.range(0, 20) as i64;
        let kind = if story.rng.chance(70) {
            s.kind
        } else {
            story.rng.pick(&kinds)
        };
        let headline = headline.trim_end_matches('.');
        let _ = writeln!(fm, "  - id: {}", s.id);
        let _ = writeln!(fm, "    publisher: {}", q(s.publisher));
        let _ = writeln!(fm, "    title: {}", q(headline));
        let _ = writeln!(
            fm,
            "    url: https://{}/{}/{}-{}",
            s.domain,
            date(published).replace('-', "/"),
            slugify(headline).chars().take(60).collect::<String>(),
            i
        );
        let _ = writeln!(fm, "    date: {}", date(published));
        let _ = writeln!(fm, "    accessed: {}", date(day));
        let _ = writeln!(fm, "    kind: {kind}");
    }
}

/// The `watch:` list.
fn watch_yaml(story: &mut Story<'_>, fm: &mut String, day: i64) {
    let product = story.product;
    fm.push_str("watch:\n");
    for _ in 0..story.rng.range(1, 3) {
        let e = story.entity();
        let item = format!("{e} names a customer or a delivery date for the {product}");
        if story.rng.chance(50) {
            let by = date(day + story.rng.range(60, 400) as i64);
            let _ = writeln!(fm, "  - {{ item: {}, by: {by} }}", q(&item));
        } else {
            let _ = writeln!(fm, "  - {}", q(&item));
        }
    }
}

fn brief(rng: &mut Rng, i: usize, width: usize) -> (String, String) {
    let entities: Vec<&'static str> = rng
        .some(2, 6, ENTITIES.len())
        .into_iter()
        .map(|k| ENTITIES[k])
        .collect();
    let tags: Vec<&'static str> = rng
        .some(1, 4, TAGS.len())
        .into_iter()
        .map(|k| TAGS[k])
        .collect();
    let product = rng.pick(&PRODUCTS);
    let verb = rng.pick(&VERBS);
    let title = format!("{} {verb} {product}", entities[0]);
    let slug = format!("{}-{i:0width$}", slugify(&title));
    let day = EPOCH_DAY + rng.range(0, 729) as i64;

    let sources: Vec<Source> = rng
        .some(2, 5, PUBLISHERS.len())
        .into_iter()
        .map(|k| {
            let (publisher, domain, kind) = PUBLISHERS[k];
            Source {
                id: slugify(publisher),
                publisher,
                domain,
                kind,
            }
        })
        .collect();

    let mut fm = header_yaml(rng, &title, &slug, day, &tags, &entities);
    let mut story = Story {
        rng,
        entities: entities.clone(),
        product,
        sources,
        next_source: 0,
    };

    // Body first, so the round-robin cites every source in the reporting sections.
    let body = body(&mut story);
    score_yaml(&mut story, &mut fm);
    sources_yaml(&mut story, &mut fm, day, i);
    watch_yaml(&mut story, &mut fm, day);
    if story.rng.chance(10) {
        let region = story.rng.pick(&TAGS[22..26]);
        let _ = writeln!(fm, "extra: {{ region: {} }}", q(region));
    }
    fm.push_str("---\n");
    fm.push_str(&body);
    (slug, fm)
}

const SITE_YAML: &str = "\
title: Synthetic Briefs
description: A generated corpus for benchmarking briefs
base_url: https://example.org/briefs/
language: en
authors: [Research Desk]
per_page: 20
scoring:
  scale: 10
  bands:
    - { min: 8, label: High }
    - { min: 5, label: Medium }
    - { min: 0, label: Low }
markdown:
  raw_html: sanitize
extra: {}
";

const ABOUT: &str = "\
---
title: About
summary: What this generated site is for.
---
This site is generated by `examples/gen_corpus.rs` to measure how fast
`briefs` builds a large desk's archive.

## What it contains

Synthetic briefs with the shape of real ones: six sections, citations,
sources, scores, tags, entities and watch items.
";

const METHODOLOGY: &str = "\
---
title: Methodology
summary: How the synthetic briefs are scored.
---
Scores run from 0 to 10.

## Bands

| Band | From |
|---|---:|
| High | 8 |
| Medium | 5 |
| Low | 0 |
";

struct Args {
    n: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut n = None;
    let mut out = None;
    let mut seed = 42;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--n" => n = Some(value("--n")?.parse().map_err(|e| format!("--n: {e}"))?),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "-h" | "--help" => {
                return Err("usage: gen_corpus --n N --out DIR [--seed 42]".to_string());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        n: n.ok_or("--n is required")?,
        out: out.ok_or("--out is required")?,
        seed,
    })
}

/// Makes `out` ready: missing, empty, or one of ours (then its content goes).
fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(format!(
                "{} is not empty and was not written by gen_corpus; refusing to touch it",
                out.display()
            ));
        }
        let content = out.join("content");
        if content.exists() {
            fs::remove_dir_all(&content).map_err(|e| format!("{}: {e}", content.display()))?;
        }
    }
    for dir in ["content/briefs", "content/pages"] {
        fs::create_dir_all(out.join(dir)).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    fs::write(
        out.join(MARKER),
        "written by examples/gen_corpus.rs: incomplete\n",
    )
    .map_err(|e| format!("{}: {e}", out.display()))
}

/// Writes a site of `n` briefs into `out` (missing, empty, or written here
/// before). `benches/hot_paths.rs` includes this file to call it.
pub fn generate(out: &Path, n: usize, seed: u64) -> Result<(), String> {
    prepare(out)?;
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(out.join("site.yaml"), SITE_YAML)?;
    write(out.join("content/pages/about.md"), ABOUT)?;
    write(out.join("content/pages/methodology.md"), METHODOLOGY)?;
    let width = n.to_string().len();
    let mut rng = Rng(seed);
    let briefs = out.join("content/briefs");
    for i in 1..=n {
        let (slug, text) = brief(&mut rng, i, width);
        write(briefs.join(format!("{slug}.md")), &text)?;
    }
    // Last, so a complete corpus is recognisable (benches/build.sh reuses one).
    write(
        out.join(MARKER),
        &format!("written by examples/gen_corpus.rs\nn={n}\nseed={seed}\n"),
    )
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            return ExitCode::from(2);
        }
    };
    match generate(&args.out, args.n, args.seed) {
        Ok(()) => {
            println!("wrote {} briefs to {}", args.n, args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
