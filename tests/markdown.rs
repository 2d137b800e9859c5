//! The Markdown analysts bring from Pandoc, Quarto and GitHub, as a reader
//! gets it: each feature asserted on the built page of the `markdown`
//! fixture site.

mod common;

use common::{attrs, build_site, fixture, page, texts};

#[test]
fn footnotes_are_numbered_at_the_end_with_back_links_and_bracketed_marks() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("footnote"), "{stderr}");
    let html = page(&out, "briefs/footnotes/index.html");
    // Marks are bracketed and labelled; a citation's mark stays a bare number.
    assert_eq!(
        texts(&html, ".brief-body sup.footnote-ref"),
        ["[1]", "[2]", "[1]"]
    );
    assert_eq!(
        attrs(&html, ".brief-body sup.footnote-ref a", "aria-label"),
        ["Footnote 1", "Footnote 2", "Footnote 1"]
    );
    assert_eq!(texts(&html, ".brief-body sup.cite")[0], "1");
    // The notes close the body, in the order first referenced, after the
    // last section and before the scoring section.
    assert_eq!(
        texts(&html, ".brief-body > section.footnotes > ol > li"),
        [
            "At constant exchange rates; the report gives both. A second paragraph of the note. ↩ ↩",
            "Including leases. ↩",
        ]
    );
    assert_eq!(
        attrs(&html, ".brief-body > section.footnotes li", "id"),
        ["fn-1", "fn-2"]
    );
    assert_eq!(
        attrs(
            &html,
            ".brief-body section.footnotes a.footnote-back",
            "href"
        ),
        ["#fnref-1", "#fnref-1-1", "#fnref-2"]
    );
    assert_eq!(
        attrs(&html, ".brief-body sup.footnote-ref a", "id"),
        ["fnref-1", "fnref-2", "fnref-1-1"]
    );
    // The rationale's note stays in the rationale, numbered on.
    assert_eq!(
        texts(&html, "#scoring-rationale section.footnotes li"),
        ["Contracted, not optional. ↩"]
    );
    assert_eq!(
        attrs(&html, "#scoring-rationale section.footnotes ol", "start"),
        ["3"]
    );
    assert_eq!(texts(&html, "#scoring-rationale sup.footnote-ref"), ["[3]"]);
}

#[test]
fn alerts_definition_lists_heading_attributes_task_lists_and_strikethrough() {
    let (_tmp, out, _, _) = build_site(&fixture("markdown"), &[]);
    let html = page(&out, "briefs/extensions/index.html");
    // GitHub alerts are titled callouts; a plain quote stays a quote.
    assert_eq!(
        attrs(&html, ".brief-body div.callout", "class"),
        ["callout callout-warning", "callout callout-tip"]
    );
    assert_eq!(
        texts(&html, ".brief-body div.callout"),
        [
            "Warning Figures are unaudited1.",
            "Tip Compare with last year."
        ]
    );
    assert_eq!(texts(&html, ".brief-body blockquote"), ["A plain quote."]);
    assert_eq!(texts(&html, ".brief-body dl > dt"), ["Run rate"]);
    assert_eq!(
        texts(&html, ".brief-body dl > dd"),
        ["Annualised revenue of the latest quarter1."]
    );
    assert_eq!(attrs(&html, ".brief-body h2", "id"), ["glossary"]);
    assert_eq!(attrs(&html, ".brief-body h2", "class"), ["terms"]);
    assert_eq!(
        attrs(&html, ".brief-body li > input[type=checkbox]", "disabled").len(),
        2
    );
    assert_eq!(
        attrs(&html, ".brief-body li > input[checked]", "type"),
        ["checkbox"]
    );
    assert_eq!(texts(&html, ".brief-body del"), ["old"]);
    assert_eq!(
        texts(&html, ".brief-body > p")[0],
        "The deal is “firm” – or so it’s said…1"
    );
}

#[test]
fn smart_punctuation_can_be_turned_off() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("markdown"), &root);
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        yaml.replace("markdown:\n", "markdown:\n  smart_punctuation: false\n"),
    )
    .unwrap();
    let (_tmp, out, _, _) = build_site(&root, &[]);
    let html = page(&out, "briefs/extensions/index.html");
    assert_eq!(
        texts(&html, ".brief-body > p")[0],
        "The deal is \"firm\" -- or so it's said...1"
    );
}

#[test]
fn math_is_mathml_and_dollar_amounts_stay_prose() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("math"), "{stderr}");
    let html = page(&out, "briefs/math/index.html");
    let paragraphs = texts(&html, ".brief-body > p");
    // Inline formulas are MathML elements, read as their symbols.
    assert_eq!(
        attrs(&html, ".brief-body > p math", "display"),
        ["inline", "inline", "block"]
    );
    assert_eq!(paragraphs[0], "Utilisation u=hH rose, with α2 above plan1.");
    assert_eq!(
        texts(&html, ".brief-body > p:first-child math mfrac > mrow"),
        ["h", "H"]
    );
    // Currency is not math: a closing `$` before a digit, `\$` and code.
    assert_eq!(
        paragraphs[1],
        "Prices ran from $5 to $10, then $20-$30; $x$ is not math, nor $y$."
    );
    assert_eq!(texts(&html, ".brief-body > p code"), ["$y$"]);
    // `$$…$$` is displayed; math works in tables and in the rationale.
    assert_eq!(
        texts(&html, ".brief-body math[display=block] munderover > mo"),
        ["∑"]
    );
    assert_eq!(
        texts(&html, ".brief-body td math mtext"),
        ["EBIT", "Revenue"]
    );
    assert_eq!(texts(&html, "#scoring-rationale math msub"), ["we"]);
    // No script renders it.
    assert_eq!(texts(&html, "script").len(), 0);
}

#[test]
fn code_blocks_are_highlighted_with_classes_unless_the_language_is_unknown() {
    let (_tmp, out, _, _) = build_site(&fixture("markdown"), &[]);
    let html = page(&out, "briefs/code/index.html");
    // Known languages: classes for the light and the dark theme, no styles.
    assert_eq!(
        attrs(&html, ".brief-body pre.giallo > code", "data-lang"),
        ["python", "sql"]
    );
    assert_eq!(
        texts(&html, ".brief-body pre.giallo")[0],
        "# hours used over hours available u = used / (24 * 365) # \"<b>\" stays text"
    );
    let comment = attrs(&html, ".brief-body pre.giallo span[class]", "class");
    assert!(
        comment
            .iter()
            .all(|c| c.starts_with("hl-") || c == "giallo-l"),
        "{comment:?}"
    );
    assert!(
        comment
            .iter()
            .any(|c| c.contains("hl-l-") && c.contains("hl-d-")),
        "{comment:?}"
    );
    assert!(attrs(&html, ".brief-body pre *", "style").is_empty());
    // An unknown language and a block without a language stay plain.
    assert_eq!(
        attrs(&html, ".brief-body pre:not(.giallo) > code", "class"),
        ["language-no-such-language"]
    );
    assert_eq!(
        texts(&html, ".brief-body pre:not(.giallo) > code"),
        ["keep <this> plain", "no language"]
    );
}

#[test]
fn quarto_callouts_are_titled_callouts_like_github_alerts() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("callout"), "{stderr}");
    let html = page(&out, "briefs/callouts/index.html");
    assert_eq!(
        attrs(&html, ".brief-body div.callout", "class"),
        [
            "callout callout-note",
            "callout callout-tip",
            "callout callout-warning",
            "callout callout-caution",
        ]
    );
    // The title: `title="…"`, else a heading right after the fence, else the kind.
    assert_eq!(
        texts(&html, ".brief-body .callout > p.callout-title"),
        ["Note", "Read with care", "Heads up", "Caution"]
    );
    assert_eq!(
        texts(&html, ".brief-body div.callout"),
        [
            "Note Figures are unaudited1.",
            "Read with care Compare with last year. A second paragraph.",
            "Heads up Margins are thin.",
            "Caution Outer. A div that is not a callout.",
        ]
    );
    // Another fenced div is a div with its classes, as Pandoc writes it.
    assert_eq!(
        texts(&html, ".brief-body .callout-caution > div.column > p"),
        ["A div that is not a callout."]
    );
    assert_eq!(texts(&html, ".brief-body .callout em"), ["unaudited"]);
    // The heading became the title, not a section; fences in code stay code.
    assert_eq!(attrs(&html, ".brief-body h2", "id"), ["after"]);
    assert_eq!(attrs(&html, ".brief-body h2", "class"), ["late"]);
    assert_eq!(
        texts(&html, ".brief-body pre code"),
        ["::: {.callout-note} in code"]
    );
    assert_eq!(
        texts(&html, "#scoring-rationale div.callout-important"),
        ["Important The rationale’s callout."]
    );
}

#[test]
fn images_alone_are_figures_and_fig_references_link_to_them() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("fig-"), "{stderr}");
    let html = page(&out, "briefs/figures/index.html");
    // An image alone in its paragraph, with alt text, is a captioned figure;
    // `{#fig-…}` numbers it.
    assert_eq!(
        attrs(&html, ".brief-body figure:not(.table)", "id"),
        ["fig-capex", "fig-power"]
    );
    assert_eq!(
        texts(&html, ".brief-body figure:not(.table) > figcaption"),
        [
            "Figure 1: Capital spending, 2020–2026",
            "Figure 2: Power draw by site",
            "Plain figure, no number",
        ]
    );
    assert_eq!(
        texts(&html, ".brief-body figcaption em"),
        ["2020–2026", "capacity"]
    );
    assert_eq!(
        attrs(&html, ".brief-body figure > img", "alt"),
        [
            "Capital spending, 2020–2026",
            "Power draw by site",
            "Plain figure, no number"
        ]
    );
    // An inline image and one without alt text stay images in paragraphs.
    assert_eq!(
        attrs(&html, ".brief-body p > img", "src"),
        [
            "https://charts.example/icon.png",
            "https://charts.example/no-alt.png"
        ]
    );
    // `@fig-…` reads "Figure n", linked to the figure; never a citation.
    assert_eq!(
        texts(&html, ".brief-body > p:not(:last-of-type) a.crossref"),
        ["Figure 1", "Figure 2", "Table 1", "Table 2"]
    );
    assert_eq!(
        texts(&html, ".brief-body > p")[0],
        "As Figure 1 shows, spending doubled1; Figure 2 repeats it."
    );
    // A caption paragraph (`: …` after, `Table: …` before) captions its
    // table; `{#tbl-…}` numbers it and `@tbl-…` links to it.
    assert_eq!(
        attrs(&html, ".brief-body figure.table", "id"),
        ["tbl-sites", "tbl-prices"]
    );
    assert_eq!(
        texts(&html, ".brief-body figure.table > figcaption"),
        ["Table 1: Sites by capacity", "Table 2: GPU prices"]
    );
    assert_eq!(
        texts(&html, ".brief-body figure.table > table th")[0],
        "Site"
    );
    assert_eq!(texts(&html, ".brief-body > table th"), ["Plain", "table"]);
    assert_eq!(
        attrs(
            &html,
            ".brief-body > p:not(:last-of-type) a.crossref",
            "href"
        ),
        ["#fig-capex", "#fig-power", "#tbl-sites", "#tbl-prices"]
    );
    assert_eq!(
        texts(&html, ".brief-body > p")[3],
        "Table 1 lists the sites; Table 2 the prices."
    );
}

#[test]
fn fig_references_in_brackets_read_as_in_quarto() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("fig-"), "{stderr}");
    let html = page(&out, "briefs/figures/index.html");
    // `[@fig-x]` drops its brackets, a prefix replaces the word, `-@` leaves
    // the number alone, and a list is joined by commas; a source's key in
    // brackets is still a citation.
    assert_eq!(
        texts(&html, ".brief-body > p").last().unwrap(),
        "In brackets, as in Quarto: Figure 1, Fig. 2, 1 and Figure 1, Table 2; a source stays a citation1."
    );
    let last = ".brief-body > p:last-of-type";
    assert_eq!(
        texts(&html, &format!("{last} a.crossref")),
        ["Figure 1", "Fig. 2", "1", "Figure 1", "Table 2"]
    );
    assert_eq!(
        attrs(&html, &format!("{last} a.crossref"), "href"),
        [
            "#fig-capex",
            "#fig-power",
            "#tbl-sites",
            "#fig-capex",
            "#tbl-prices"
        ]
    );
    assert_eq!(texts(&html, &format!("{last} sup.cite")), ["1"]);
}

#[test]
fn an_unknown_fig_reference_in_brackets_is_an_error_at_its_key() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("markdown"), &root);
    let file = root.join("content/briefs/figures.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!(
            "{text}
See [Fig. @fig-capx].
"
        ),
    )
    .unwrap();
    let output = common::run_build(&root, &tmp.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cross-reference `@fig-capx` names no figure of this text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/briefs/figures.md:46:11"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `@fig-capex`?"), "{stderr}");
}

#[test]
fn a_fig_reference_in_a_bracket_of_citations_is_named_as_such() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("markdown"), &root);
    let file = root.join("content/briefs/figures.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nSee [@fig-capex; @one].\n")).unwrap();
    let output = common::run_build(&root, &tmp.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: `@fig-capex` is a cross-reference, in a bracket of citations"),
        "{stderr}"
    );
    assert!(stderr.contains("content/briefs/figures.md:46:"), "{stderr}");
    assert!(
        stderr.contains("write `@fig-capex [@…]`, or each in its own bracket"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown source `fig-capex`"), "{stderr}");
}

#[test]
fn mermaid_blocks_are_diagrams_and_only_their_pages_load_the_script() {
    let (_tmp, out, _, _) = build_site(&fixture("markdown"), &[]);
    let html = page(&out, "briefs/diagrams/index.html");
    // The source, as written, is the text of the `<pre>` (readable without
    // JavaScript); Mermaid draws it from there.
    let source = std::fs::read_to_string(out.join("briefs/diagrams/index.html")).unwrap();
    assert!(source.contains(
        "<pre class=\"mermaid\">flowchart LR\n  A[&quot;Capex &amp; leases&quot;] --&gt; B{&quot;Utilisation &lt; 60%?&quot;}\n  B --&gt;|yes| C[Impairment]\n</pre>"
    ));
    assert_eq!(
        texts(&html, ".brief-body pre.mermaid"),
        [
            "flowchart LR A[\"Capex & leases\"] --> B{\"Utilisation < 60%?\"} B -->|yes| C[Impairment]",
            "sequenceDiagram Lender->>Issuer: loan",
        ]
    );
    // A diagram in the rationale is one too.
    assert_eq!(
        texts(&html, "#scoring-rationale pre.mermaid"),
        ["pie \"Owned\" : 60 \"Leased\" : 40"]
    );
    assert!(attrs(&html, "pre.mermaid *", "class").is_empty());
    // One script: it loads Mermaid's, beside it, when a diagram comes near
    // the screen.
    assert_eq!(
        attrs(&html, "head script[defer]", "src"),
        ["/mermaid/diagrams.js"]
    );
    assert_eq!(
        attrs(&html, "head link[rel=stylesheet]", "href"),
        ["/style.css", "/mermaid/diagrams.css"]
    );
    // Pages without a diagram load no script.
    let plain = page(&out, "briefs/code/index.html");
    assert!(attrs(&plain, "script", "src").is_empty());
    // The script, its licence and the theme's drawing script are written
    // beside the site, Mermaid's unchanged from npm.
    let script = std::fs::read(out.join("mermaid/mermaid.min.js")).unwrap();
    assert!(script.ends_with(
        b"globalThis[\"mermaid\"] = globalThis.__esbuild_esm_mermaid_nm[\"mermaid\"].default;\n"
    ));
    let licence = std::fs::read_to_string(out.join("mermaid/LICENSE")).unwrap();
    assert!(licence.starts_with("The MIT License (MIT)"), "{licence}");
    let draw = std::fs::read_to_string(out.join("mermaid/diagrams.js")).unwrap();
    assert!(draw.contains("prefers-color-scheme: dark"), "{draw}");
    assert!(draw.contains("new URL('mermaid.min.js', document.currentScript.src)"));
}

#[test]
fn a_site_without_diagrams_gets_no_diagram_script() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    assert!(out.join("index.html").exists());
    assert!(!out.join("mermaid").exists());
}

#[test]
fn iframes_from_embed_hosts_are_kept_sandboxed_and_lazy_and_others_dropped_with_a_warning() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    let html = page(&out, "briefs/embeds/index.html");
    let frames = ".brief-body iframe";
    assert_eq!(
        attrs(&html, frames, "src"),
        [
            "https://datawrapper.dwcdn.net/AbC12/1/",
            "https://flo.uri.sh/visualisation/123/embed"
        ]
    );
    let sandbox = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";
    assert_eq!(attrs(&html, frames, "sandbox"), [sandbox, sandbox]);
    assert_eq!(attrs(&html, frames, "loading"), ["lazy", "lazy"]);
    assert_eq!(
        attrs(&html, frames, "title"),
        ["Chart: GPU lease rates, 2023–2026"]
    );
    assert_eq!(attrs(&html, frames, "height"), ["400"]);
    let style = "display:block;width:100%;border:0";
    assert_eq!(attrs(&html, frames, "style"), [style, style]);
    for obsolete in ["frameborder", "scrolling", "data-external"] {
        assert!(attrs(&html, frames, obsolete).is_empty(), "{obsolete}");
    }
    // What is dropped leaves the text around it.
    assert!(texts(&html, ".brief-body p").contains(&"Inline, then text.".to_string()));
    // Each problem is a warning at its tag.
    let path = "tests/fixtures/markdown/content/briefs/embeds.md";
    for (at, message) in [
        (
            "19:1",
            "warning: an embedded `<iframe>` has no `title`: screen readers announce a frame by its title",
        ),
        (
            "23:1",
            "warning: an `<iframe>` from `tracker.example` is dropped: it is not in `markdown.embeds`",
        ),
        (
            "25:9",
            "warning: an `<iframe>` from `http://datawrapper.dwcdn.net/AbC12/1/` is dropped: embeds must be https",
        ),
    ] {
        assert!(
            stderr.contains(&format!("{message}\n  --> {path}:{at}\n")),
            "{message} at {at}: {stderr}"
        );
    }
    assert!(stderr.contains(
        "help: add its host to `markdown.embeds` in site.yaml if you trust it, or link to it\n"
    ));
}

#[test]
fn an_embed_host_written_as_a_url_is_an_error_in_site_yaml() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("markdown"), &root);
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let yaml = yaml.replace("flo.uri.sh", "https://flo.uri.sh/");
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let output = common::run_build(&root, &tmp.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "error: `markdown.embeds` lists `https://flo.uri.sh/`, which is not a host name\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("site.yaml:7:"), "{stderr}");
}

#[test]
fn bundle_images_get_their_size_later_images_load_lazily_and_no_alt_is_a_warning() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    let html = page(&out, "briefs/images/index.html");
    let body = ".brief-body img";
    assert_eq!(
        attrs(&html, body, "src"),
        [
            "chart.svg",
            "img/site%20photo.png",
            "https://charts.example/remote.png"
        ]
    );
    // Sizes come from the files (an SVG's width and height, a PNG's header);
    // a remote image has none.
    assert_eq!(attrs(&html, body, "width"), ["640", "3"]);
    assert_eq!(attrs(&html, body, "height"), ["360", "2"]);
    // The first image of the body loads at once, the later ones lazily, and
    // every image of the rationale (below the first screen) lazily.
    assert_eq!(attrs(&html, body, "loading"), ["lazy", "lazy"]);
    assert_eq!(
        attrs(&html, "figure#fig-rates img", "loading"),
        Vec::<String>::new()
    );
    assert_eq!(attrs(&html, "#scoring-rationale img", "loading"), ["lazy"]);
    assert_eq!(attrs(&html, "figure#fig-rates img", "width"), ["640"]);
    // An image without alt text is a warning at its place.
    assert!(
        stderr.contains(
            "warning: an image has no alt text: a screen reader skips it or reads its file name\n  --> tests/fixtures/markdown/content/briefs/images/index.md:22:1\n"
        ),
        "{stderr}"
    );
}

#[test]
fn an_image_without_alt_text_is_an_error_under_strict() {
    let tmp = tempfile::TempDir::new().unwrap();
    let output = common::run_build(&fixture("markdown"), &tmp.path().join("out"), &["--strict"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: an image has no alt text"),
        "{stderr}"
    );
}
