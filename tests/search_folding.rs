//! The search index and `search.js` fold words by one rule: the real
//! `search.js`, run under node, turns each word a brief holds into the terms
//! the build indexed, and finds the brief by each of them.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Accented Latin, ligatures, special letters, Greek, Cyrillic, CJK, digits,
/// hyphens, compatibility forms and decomposed accents.
const WORDS: &[&str] = &[
    "Æneid",
    "Œuvre",
    "Straße",
    "Łódź",
    "Ørsted",
    "Þórshöfn",
    "Société Générale",
    "naïve",
    "nai\u{308}ve",
    "ﬁnance",
    "Αθήνα",
    "ΟΔΥΣΣΕΥΣ",
    "Москва",
    "Ёлка",
    "東京タワー",
    "ｶﾀｶﾅ",
    "서울",
    "2026",
    "5G",
    "AI-chips",
    "state-of-the-art",
    "İstanbul",
];

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Builds a one-brief site holding every word; returns the indexed terms.
fn indexed_terms(site: &Path) -> BTreeMap<String, Vec<u32>> {
    fs::write(
        site.join("site.yaml"),
        "title: T\nbase_url: https://desk.example/\n",
    )
    .unwrap();
    fs::create_dir_all(site.join("content/briefs")).unwrap();
    let body = WORDS.join(", ");
    fs::write(
        site.join("content/briefs/words.md"),
        format!(
            "---\ntitle: Words\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: \"R [@a]\" }}\n\
             sources: [{{ id: a, publisher: P, title: T }}]\n---\n{body} [@a].\n"
        ),
    )
    .unwrap();
    let options = briefs::Options {
        root: site.to_path_buf(),
        output: Some(site.join("public")),
        ..Default::default()
    };
    briefs::build(&options).unwrap();
    let mut terms = BTreeMap::new();
    for entry in fs::read_dir(site.join("public/search/t")).unwrap() {
        // Each part is gzip-compressed JSON, as search.js reads it.
        let file = fs::File::open(entry.unwrap().path()).unwrap();
        let shard: BTreeMap<String, Vec<u32>> =
            serde_json::from_reader(flate2::read::GzDecoder::new(file)).unwrap();
        terms.extend(shard);
    }
    // One brief: its document number, 0, is the first (undifferenced) one.
    terms
}

/// `tokens(word)` of the real `search.js` for each word, under node.
fn js_tokens(words: &[&str]) -> Vec<Vec<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/search.js");
    let program = format!(
        "const s = require({}); const words = JSON.parse(process.argv[1]);\n\
         console.log(JSON.stringify(words.map(w => s.tokens(w))));",
        serde_json::to_string(&script.display().to_string()).unwrap()
    );
    let output = Command::new("node")
        .args(["-e", &program, &serde_json::to_string(words).unwrap()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn search_js_folds_every_word_as_the_index_did_and_finds_it() {
    if !node_available() {
        eprintln!("skipped: `node` is not installed, so search.js cannot be run");
        return;
    }
    let site = tempfile::tempdir().unwrap();
    let terms = indexed_terms(site.path());
    let queried = js_tokens(WORDS);
    for (word, js) in WORDS.iter().zip(&queried) {
        let rust: Vec<String> = briefs::internals::search::tokens(word).collect();
        assert_eq!(js, &rust, "`{word}` folds differently in search.js");
        assert!(!js.is_empty(), "`{word}` gives no search term");
        for term in js {
            let postings = terms.get(term);
            assert!(
                postings.is_some_and(|p| p.first() == Some(&0)),
                "`{word}`: the query term `{term}` is not in the index"
            );
        }
    }
    let expected: &[&[&str]] = &[
        &["aeneid"],
        &["oeuvre"],
        &["strasse"],
        &["lodz"],
        &["orsted"],
        &["thorshofn"],
        &["societe", "generale"],
        &["naive"],
        &["naive"],
        &["finance"],
        &["αθηνα"],
        &["οδυσσευσ"],
        &["москва"],
        &["елка"],
        &["東", "京", "タ", "ワ", "ー"],
        &["カ", "タ", "カ", "ナ"],
        &["서", "울"],
        &["2026"],
        &["5g"],
        &["ai", "chips"],
        &["state", "art"],
        &["istanbul"],
    ];
    assert_eq!(queried, expected);
}

/// The rows of the facet files write each number as one character
/// (`facets::digit`); the real `search.js` reads every one back.
#[test]
fn search_js_reads_back_every_facet_digit() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: `node` is not installed, so search.js cannot be run");
        return;
    }
    let numbers: Vec<usize> = (0..200).chain(55_100..55_300).chain([200_000]).collect();
    let text: String = numbers
        .iter()
        .map(|&n| briefs::internals::search::facets::digit(n))
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/search.js");
    let program = format!(
        "const s = require({});\n\
         console.log(JSON.stringify(Array.from(JSON.parse(process.argv[1])).map(s.number)));",
        serde_json::to_string(&script.display().to_string()).unwrap()
    );
    let output = Command::new("node")
        .args(["-e", &program, &serde_json::to_string(&text).unwrap()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Vec<usize> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(read, numbers);
}
