// Client-side search for a briefs site. No dependencies, no network beyond
// the site: reads what `briefs build` writes under search/, relative to the
// site root given in data-root, so it works from any static host and under
// any subpath. A query fetches index.json (which shard parts exist), the
// parts its words fall in (t/<xx>.json.gz, t/<xx>.<k>.json.gz), facets.json
// (the tags, entities and bands), the bands of the documents it found
// (b/<k>.json.gz, to count them), their score ranks only to sort by score
// (s/<k>.json.gz), their rows only when their tags' or entities' counts are
// opened (r/<k>.json.gz: up to facets.json's `budget` bytes of them, the
// counts estimated from a sample past it), a filter's value
// (v/<id>.json.gz), and the record of each result shown (f/<doc>.json.gz).
(function () {
  "use strict";

  var STOP = ("a an and are as at be but by for from has have in is it its of on or that the their " +
    "this to was were which will with").split(" ");
  // The folding rule of the index (src/search.rs, `for_each_token`), step
  // for step: words are runs of letters, digits and marks; each is
  // decomposed (NFKD), stripped of marks, recomposed (NFC), lowercased and
  // mapped through LETTERS; then split at non-letters, with every Han, Kana
  // and Hangul character a term alone; stop words dropped.
  var LETTERS = { "\u00e6": "ae", "\u0153": "oe", "\u00df": "ss", "\u00f8": "o", "\u0142": "l",
    "\u0111": "d", "\u00f0": "d", "\u00fe": "th", "\u0127": "h", "\u0131": "i", "\u0167": "t",
    "\u03c2": "\u03c3" };
  var WORD_BREAK = /[^\p{Alphabetic}\p{N}\p{M}]+/u;
  var TERM_BREAK = /[^\p{Alphabetic}\p{N}]+/u;
  var CJK = [[0x1100, 0x11FF], [0x3040, 0x30FF], [0x3130, 0x318F], [0x31F0, 0x31FF],
    [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xA960, 0xA97F], [0xAC00, 0xD7FF],
    [0xF900, 0xFAFF], [0x20000, 0x3FFFF]];

  function isCjk(ch) {
    var cp = ch.codePointAt(0);
    return CJK.some(function (r) { return cp >= r[0] && cp <= r[1]; });
  }

  function fold(word) {
    var lower = word.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
    return Array.from(lower).map(function (ch) { return LETTERS[ch] || ch; }).join("");
  }

  // Each CJK character alone, each run of other characters whole.
  function splitCjk(part, push) {
    var run = "";
    Array.from(part).forEach(function (ch) {
      if (isCjk(ch)) {
        if (run) push(run);
        run = "";
        push(ch);
      } else {
        run += ch;
      }
    });
    if (run) push(run);
  }

  function tokens(text) {
    var out = [];
    var push = function (t) { if (STOP.indexOf(t) < 0) out.push(t); };
    text.split(WORD_BREAK).forEach(function (word) {
      if (!word) return;
      fold(word).split(TERM_BREAK).forEach(function (part) {
        if (part) splitCjk(part, push);
      });
    });
    return out;
  }

  // A row's numbers are one character each (src/render/search/facets.rs,
  // `digit`): printable ASCII but space, quote and backslash, then the code
  // points from U+00A1 on, the surrogates skipped.
  var ASCII = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  function number(ch) {
    var cp = ch.codePointAt(0);
    if (cp < 0x7f) return ASCII.indexOf(ch);
    return cp - 0xa1 + ASCII.length - (cp >= 0xe000 ? 0x800 : 0);
  }

  // Node (the test suite) loads this file for its folding; browsers have no `module`.
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { fold: fold, tokens: tokens, number: number };
  }
  if (typeof document === "undefined") return;

  var box = document.getElementById("search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "/";
  var input = document.getElementById("search-input");
  var sortBox = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var facetBox = document.getElementById("search-facets");
  var form = box.querySelector("form");
  var PAGE = 10;
  var KINDS = [["tag", "Tags"], ["entity", "Entities"], ["band", "Score bands"]];
  var SORTS = ["relevance", "score", "date"];
  if (!more) {
    // A site's own search.html from before the button: add it.
    more = el("button", "search-more", "Show more results");
    more.type = "button";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
  }
  if (!facetBox) {
    // A site's own search.html from before facets: add their place.
    facetBox = el("div", "search-facets");
    facetBox.id = "search-facets";
    status.parentNode.insertBefore(facetBox, status);
  }

  // The index's files but index.json and facets.json are gzip-compressed
  // JSON (*.json.gz), so a host that compresses nothing still sends few
  // bytes. A host that sends them with "Content-Encoding: gzip" hands over
  // the JSON itself: only bytes that start as gzip does are decompressed.
  function readJson(response, path) {
    if (!/\.gz$/.test(path)) return response.json();
    return response.arrayBuffer().then(function (buf) {
      var head = new Uint8Array(buf, 0, Math.min(buf.byteLength, 2));
      if (head[0] !== 0x1f || head[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(buf));
      var json = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(json).json();
    });
  }

  var cache = {};
  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(root + path).then(function (r) {
        if (!r.ok) throw new Error("search index: " + r.status + " for " + path);
        return readJson(r, path);
      });
    }
    return cache[path];
  }

  function shardOf(term) {
    return Array.from(term).slice(0, 2).join("");
  }

  // The parts of a shard that may hold `term` (or, for a prefix, any word it
  // starts): `starts` are the first terms of the parts after the first.
  function partsFor(starts, term, prefix) {
    var k = 0;
    while (k < starts.length && starts[k] <= term) k++;
    var found = [k];
    if (prefix) {
      for (var j = k; j < starts.length && starts[j].indexOf(term) === 0; j++) found.push(j + 1);
    }
    return found;
  }

  function loadPart(key, k) {
    return fetchJson("search/t/" + encodeURIComponent(key) + (k ? "." + k : "") + ".json.gz");
  }

  // Postings of one query word: exact matches, and for the last word as
  // typed, every indexed word it starts. Documents are stored as the
  // difference from the one before.
  function postings(index, term, prefix) {
    var key = shardOf(term);
    var starts = index.shards[key];
    if (!starts) return Promise.resolve(new Map());
    var wanted = partsFor(starts, term, prefix && term.length >= 2);
    return Promise.all(wanted.map(function (k) { return loadPart(key, k); })).then(function (loaded) {
      var scores = new Map();
      loaded.forEach(function (shard) {
        Object.keys(shard).forEach(function (word) {
          var exact = word === term;
          if (!exact && !(prefix && term.length >= 2 && word.indexOf(term) === 0)) return;
          var flat = shard[word];
          var bonus = exact ? 2 : 1;
          var doc = 0;
          for (var i = 0; i < flat.length; i += 2) {
            doc += flat[i];
            scores.set(doc, (scores.get(doc) || 0) + flat[i + 1] * bonus);
          }
        });
      });
      return scores;
    });
  }

  // Documents holding every query word, with their summed weights.
  function matching(terms) {
    return fetchJson("search/index.json").then(function (index) {
      return Promise.all(terms.map(function (t, i) { return postings(index, t, i === terms.length - 1); }));
    }).then(function (maps) {
      var total = new Map();
      maps[0].forEach(function (score, doc) {
        var sum = score;
        for (var i = 1; i < maps.length; i++) {
          if (!maps[i].has(doc)) return;
          sum += maps[i].get(doc);
        }
        total.set(doc, sum);
      });
      return total;
    });
  }

  // Reads one string file per `per` documents for each part `docs` fall
  // in: a function from a document to its piece of the string.
  function perDoc(folder, docs, per, split) {
    var files = {};
    docs.forEach(function (d) { files[Math.floor(d / per)] = true; });
    var keys = Object.keys(files);
    return Promise.all(keys.map(function (k) { return fetchJson("search/" + folder + "/" + k + ".json.gz"); }))
      .then(function (texts) {
        var parsed = {};
        keys.forEach(function (k, i) { parsed[k] = split(texts[i]); });
        return function (d) { return parsed[Math.floor(d / per)][d % per]; };
      });
  }

  // Each document's score rank (0: the highest score), to sort by score.
  function ranksOf(docs, facets) {
    return perDoc("s", docs, facets.scores, function (text) { return Array.from(text).map(number); });
  }

  // Each document's band (its value id), to count bands.
  function bandsOf(docs, facets) {
    return perDoc("b", docs, facets.scores, function (text) { return Array.from(text).map(number); });
  }

  // The rows files to read for `docs`, spread over them: files are picked
  // at `m` points evenly spaced along the results (a file holding more of
  // them is more likely picked), with the largest `m` whose files fit in
  // `budget` bytes (at least one file). `held` maps each file to how many
  // of the `total` documents it holds; `keys` are those files in order.
  function spread(keys, held, total, size, budget) {
    var best = null;
    for (var m = 1; m <= keys.length; m++) {
      var picked = [], bytes = 0, at = 0, seen = 0;
      for (var i = 0; i < m; i++) {
        var point = (i + 0.5) * total / m;
        while (seen + held.get(keys[at]) <= point) seen += held.get(keys[at++]);
        if (picked[picked.length - 1] !== keys[at]) {
          picked.push(keys[at]);
          bytes += size(keys[at]);
        }
      }
      if (best && bytes > budget) break;
      best = { keys: picked, m: m };
    }
    return best;
  }

  // How many of `docs` hold each tag and entity, from their rows. Exact
  // when every rows file they fall in is read: when those come to
  // facets.budget bytes or less, or when `all` is asked. Otherwise from
  // the files `spread` picks, each file's counts weighted by the inverse of
  // its chance to be picked, scaled so that the weights of the documents
  // read sum to all of `docs` (so a value every result holds is counted
  // exactly), then rounded. Gives { values, exact, seen (documents read),
  // rest (bytes of the files not read) }.
  function countTerms(docs, facets, all) {
    var per = facets.rows;
    var sizes = facets.rowBytes || [];
    var size = function (k) { return sizes[k] || 0; };
    var held = new Map();
    docs.forEach(function (d) {
      var k = Math.floor(d / per);
      held.set(k, (held.get(k) || 0) + 1);
    });
    var keys = Array.from(held.keys()).sort(function (a, b) { return a - b; });
    var bytes = keys.reduce(function (sum, k) { return sum + size(k); }, 0);
    var budget = typeof facets.budget === "number" ? facets.budget : Infinity;
    var sample = all || bytes <= budget ? null : spread(keys, held, docs.length, size, budget);
    if (sample && sample.keys.length === keys.length) sample = null;
    var read = sample ? sample.keys : keys;
    var weight = function (k) {
      return sample ? 1 / Math.min(1, sample.m * held.get(k) / docs.length) : 1;
    };
    var inRead = new Set(read);
    var mine = docs.filter(function (d) { return inRead.has(Math.floor(d / per)); });
    return perDoc("r", mine, per, function (text) { return text.split(" "); }).then(function (row) {
      var values = new Map();
      var sum = 0;
      mine.forEach(function (d) {
        var w = weight(Math.floor(d / per));
        sum += w;
        Array.from(row(d)).forEach(function (ch) {
          var id = number(ch);
          values.set(id, (values.get(id) || 0) + w);
        });
      });
      if (sample) values.forEach(function (n, id) { values.set(id, Math.max(1, roughly(n * docs.length / sum))); });
      var rest = keys.reduce(function (s, k) { return inRead.has(k) ? s : s + size(k); }, 0);
      return { values: values, exact: !sample, seen: mine.length, rest: rest };
    });
  }

  // An estimate to two significant digits (1,234 → 1,200; 57.4 → 57).
  function roughly(n) {
    if (n < 100) return Math.round(n);
    var unit = Math.pow(10, Math.floor(Math.log10(n)) - 1);
    return Math.round(n / unit) * unit;
  }

  function undelta(flat) {
    var doc = 0;
    return flat.map(function (x) { doc += x; return doc; });
  }

  // The search: documents matching the words and every filter, in the
  // order asked, and how many of them are in each band (with a single
  // filter and no words, how many hold each value: `whole`). The tags and
  // entities of the results are counted only when the reader asks.
  function search(terms, chosen, sort, facets) {
    var found = terms.length ? matching(terms) : Promise.resolve(null);
    var files = Promise.all(chosen.map(function (c) {
      return c.id < 0 ? Promise.resolve({ d: [], c: [] }) : fetchJson("search/v/" + c.id + ".json.gz");
    }));
    return Promise.all([found, files]).then(function (got) {
      var weights = got[0];
      var sets = got[1].map(function (f) { return new Set(undelta(f.d)); });
      var docs = weights ? Array.from(weights.keys()) : Array.from(sets[0]);
      docs = docs.filter(function (d) { return sets.every(function (s) { return s.has(d); }); });
      var counts = null;
      if (!terms.length && chosen.length === 1) {
        var shared = got[1][0].c;
        counts = new Map([[chosen[0].id, docs.length]]);
        for (var i = 0; i < shared.length; i += 2) counts.set(shared[i], shared[i + 1]);
      }
      var needBands = docs.length && !counts;
      var needRanks = docs.length && sort === "score";
      return Promise.all([
        needBands ? bandsOf(docs, facets) : null,
        needRanks ? ranksOf(docs, facets) : null,
      ]).then(function (per) {
        var bandOf = per[0], rank = per[1];
        var whole = !!counts;
        if (!counts) {
          counts = new Map();
          docs.forEach(function (d) {
            var band = bandOf(d);
            counts.set(band, (counts.get(band) || 0) + 1);
          });
        }
        var by;
        if (sort === "score") {
          by = function (a, b) { return rank(a) - rank(b) || a - b; };
        } else if (sort === "relevance" && weights) {
          by = function (a, b) { return weights.get(b) - weights.get(a) || a - b; };
        } else {
          // Documents are numbered newest first.
          by = function (a, b) { return a - b; };
        }
        return { hits: docs.sort(by), counts: counts, whole: whole };
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // `text` with every word that folds to a query term (or starts with the
  // last one, as the search matched it) in <mark>.
  function highlighted(parent, text, terms) {
    var parts = text.split(/([^\p{Alphabetic}\p{N}\p{M}]+)/u);
    parts.forEach(function (part, i) {
      if (i % 2 === 0 && part && terms.length) {
        if (hits(part, terms)) {
          parent.appendChild(el("mark", "", part));
          return;
        }
      }
      if (part) parent.appendChild(document.createTextNode(part));
    });
    return parent;
  }

  // Whether a word of text is one the query matched.
  function hits(word, terms) {
    var last = terms[terms.length - 1];
    return tokens(word).some(function (w) {
      return terms.indexOf(w) >= 0 || (last.length >= 2 && w.indexOf(last) === 0);
    });
  }

  // The first section of the body holding a matched word: its heading's id
  // and some thirty words around the match ("…" where cut).
  function excerpt(sections, terms) {
    for (var s = 0; terms.length && s < (sections || []).length; s++) {
      var parts = sections[s][1].split(/([^\p{Alphabetic}\p{N}\p{M}]+)/u);
      for (var i = 0; i < parts.length; i += 2) {
        if (!parts[i] || !hits(parts[i], terms)) continue;
        var start = Math.max(0, i - 20);
        var end = Math.min(parts.length, i + 40);
        var text = parts.slice(start, end).join("").trim();
        return { id: sections[s][0], text: (start ? "\u2026 " : "") + text + (end < parts.length ? " \u2026" : "") };
      }
    }
    return null;
  }

  function item(d, terms) {
    // d: [title, url, iso, display, score, band, band slug, summary, sections]
    var li = el("li", "search-result");
    var h = el("h2", "search-result-title");
    var a = highlighted(el("a"), d[0], terms);
    var found = excerpt(d[8], terms);
    // The link goes to the section where the words are.
    a.href = found && found.id ? d[1] + "#" + encodeURIComponent(found.id) : d[1];
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "search-result-meta");
    var time = el("time", "", d[3]);
    time.setAttribute("datetime", d[2]);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · "));
    // Read as the pages' badge is ("Score: 7.5, band: Medium"): a label
    // on a plain span is not announced (axe: aria-prohibited-attr).
    var badge = el("span", "score score-band-" + d[6]);
    badge.appendChild(el("span", "visually-hidden", "Score: "));
    badge.appendChild(el("span", "score-value", d[4]));
    badge.appendChild(el("span", "visually-hidden", ", band:"));
    badge.appendChild(document.createTextNode(" "));
    badge.appendChild(el("span", "score-band", d[5]));
    meta.appendChild(badge);
    li.appendChild(meta);
    if (found) li.appendChild(highlighted(el("p", "search-result-excerpt"), found.text, terms));
    else li.appendChild(highlighted(el("p", "search-result-summary"), d[7], terms));
    return li;
  }

  // What the reader asked for: the query, one value per facet, the order.
  var asked = { q: "", tag: "", entity: "", band: "", sort: "relevance" };

  function askedUrl(change) {
    var url = new URL(window.location.href);
    var next = Object.assign({}, asked, change || {});
    ["q", "tag", "entity", "band", "sort"].forEach(function (key) {
      var value = next[key];
      if (key === "q" || (value && !(key === "sort" && value === "relevance"))) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    });
    return url;
  }

  function toUrl(push) {
    var url = askedUrl();
    if (url.href === window.location.href) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  // The values asked for, with their ids in facets.json (-1: none such).
  function chosenOf(facets) {
    var chosen = [];
    KINDS.forEach(function (kind) {
      var slug = asked[kind[0]];
      if (!slug) return;
      var id = facets.values.findIndex(function (v) { return v[0] === kind[0] && v[1] === slug; });
      chosen.push({ kind: kind[0], slug: slug, id: id, label: id < 0 ? slug : facets.values[id][2] });
    });
    return chosen;
  }

  // "3 briefs match “chips”, tagged ai-chips, about Nvidia, in the High band"
  function described(count, query, chosen) {
    var words = chosen.map(function (c) {
      if (c.kind === "tag") return "tagged " + c.label;
      if (c.kind === "entity") return "about " + c.label;
      return "in the " + c.label + " band";
    });
    var text = count === 1 ? "1 brief" : count + " briefs";
    if (query) text += (count === 1 ? " matches" : " match") + " \u201c" + query + "\u201d" + (words.length ? "," : "");
    return words.length ? text + " " + words.join(", ") : text;
  }

  // A toggle button that applies `change` to the search (a button, not a
  // link: crawlers would follow every combination of filters).
  function facetButton(text, change, pressed) {
    var button = el("button", "search-facet-value", text);
    button.type = "button";
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.addEventListener("click", function () {
      Object.assign(asked, change);
      toUrl(true);
      run();
    });
    return button;
  }

  // The facets: the filters chosen, each a button that removes it; then
  // per kind the values the results hold, with how many hold each, each a
  // button that adds it. Tags and entities are counted when their list is
  // opened (`state.tally`, from `countTerms`), unless `whole` says `counts`
  // holds them already.
  function showFacets(facets, counts, whole) {
    var open = {};
    facetBox.querySelectorAll("details").forEach(function (d) { open[d.getAttribute("data-kind")] = d.open; });
    facetBox.textContent = "";
    var chosen = KINDS.filter(function (kind) { return asked[kind[0]]; });
    if (!counts || (!counts.size && !chosen.length)) return;
    var heading = el("h2", "search-facets-title", "Narrow the results");
    heading.id = "search-facets-title";
    facetBox.appendChild(heading);
    if (chosen.length) {
      var p = el("p", "search-chosen", "Filters: ");
      chosen.forEach(function (kind) {
        var change = {};
        change[kind[0]] = "";
        var a = facetButton(kind[0] + ": " + asked[kind[0]], change, true);
        a.appendChild(el("span", "visually-hidden", " (remove this filter)"));
        p.appendChild(a);
        p.appendChild(document.createTextNode(" "));
      });
      facetBox.appendChild(p);
    }
    var tally = whole ? null : state.tally;
    KINDS.forEach(function (kind) {
      var details = el("details", "search-facet");
      details.setAttribute("data-kind", kind[0]);
      details.appendChild(el("summary", "", kind[1]));
      var band = kind[0] === "band";
      var from = whole || band ? counts : tally && tally.values;
      var estimated = !band && tally && !tally.exact;
      var ul = el("ul");
      var ids = [];
      if (from) from.forEach(function (n, id) { if (n && facets.values[id][0] === kind[0]) ids.push(id); });
      ids.sort(function (a, b) { return from.get(b) - from.get(a) || a - b; });
      ids.forEach(function (id) {
        var v = facets.values[id];
        var on = asked[kind[0]] === v[1];
        var change = {};
        change[kind[0]] = on ? "" : v[1];
        var a = facetButton(v[2], change, on);
        var n = from.get(id);
        var count = el("span", "search-facet-count", " ");
        if (estimated) {
          var sign = el("span", "", "\u2248");
          sign.setAttribute("aria-hidden", "true");
          count.appendChild(sign);
          count.appendChild(el("span", "visually-hidden", "about "));
        }
        count.appendChild(document.createTextNode(String(n)));
        a.appendChild(count);
        a.appendChild(el("span", "visually-hidden", n === 1 && !estimated ? " brief" : " briefs"));
        if (on) a.appendChild(el("span", "visually-hidden", " (remove this filter)"));
        var li = el("li");
        li.appendChild(a);
        ul.appendChild(li);
      });
      if (from && !ids.length) return;
      details.appendChild(from ? ul : el("p", "search-facet-note", "Counting\u2026"));
      if (estimated) details.appendChild(sampled(facets, tally, kind[0]));
      details.open = kind[0] in open ? open[kind[0]] : band;
      if (!from) {
        details.addEventListener("toggle", function () { if (details.open) tallyTerms(facets, false); });
        if (details.open) tallyTerms(facets, false);
      }
      facetBox.appendChild(details);
    });
  }

  // Counts the tags and entities of the current results (all of their
  // rows, or a sample: `countTerms`), once per search and once more when
  // the reader asks for every one from the list of kind `all`, then shows them.
  function tallyTerms(facets, all) {
    if (state.counting && !all) return;
    var ticket = pending;
    state.counting = countTerms(state.hits, facets, !!all).then(function (tally) {
      if (ticket !== pending) return;
      state.tally = tally;
      showFacets(facets, state.counts, false);
      // The button pressed is gone: focus goes to its list's summary.
      var summary = all && facetBox.querySelector("details[data-kind=" + all + "] summary");
      if (summary) summary.focus();
    });
  }

  // What an estimate was made from, and a button that counts every result.
  function sampled(facets, tally, kind) {
    var n = state.hits.length;
    var p = el("p", "search-facet-note",
      "Estimated from " + tally.seen + " of the " + n + " results; a value few of them hold may be missing. ");
    var button = el("button", "search-facet-all", "Count all " + n + " results");
    button.type = "button";
    button.appendChild(el("span", "", " (" + Math.max(1, Math.round(tally.rest / 1024)) + " KB more)"));
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Counting\u2026";
      tallyTerms(facets, kind);
    });
    p.appendChild(button);
    return p;
  }

  // All values with their counts over every brief.
  function allCounts(facets) {
    return new Map(facets.values.map(function (v, id) { return [id, v[3]]; }));
  }

  // The current results; `tally` their tags' and entities' counts once
  // counted, `counting` while they are.
  var state = { hits: [], shown: 0, terms: [], query: "", chosen: [], counts: null, tally: null, counting: null };

  // Shows the next page of hits: their records are fetched only now.
  function showMore(ticket) {
    var next = state.hits.slice(state.shown, state.shown + PAGE);
    return Promise.all(next.map(function (d) { return fetchJson("search/f/" + d + ".json.gz"); })).then(function (docs) {
      if (ticket !== pending) return;
      docs.forEach(function (d) { list.appendChild(item(d, state.terms)); });
      state.shown += docs.length;
      more.hidden = state.shown >= state.hits.length;
      var n = state.hits.length;
      status.textContent = described(n, state.query, state.chosen) +
        (n > state.shown ? "; showing the first " + state.shown + "." : ".");
    });
  }

  function message(text) {
    list.textContent = "";
    more.hidden = true;
    status.textContent = text;
  }

  var pending = 0;
  function run() {
    var ticket = ++pending;
    var query = asked.q.trim();
    var terms = tokens(query);
    fetchJson("search/facets.json").then(function (facets) {
      if (ticket !== pending) return;
      var chosen = chosenOf(facets);
      if (!terms.length && !chosen.length) {
        showFacets(facets, allCounts(facets), true);
        message(query ? "\u201c" + query + "\u201d is too common a word to search for; add another word."
          : "Type a word to search the briefs, or narrow them by tag, entity or score band.");
        return;
      }
      return search(terms, chosen, asked.sort, facets).then(function (got) {
        if (ticket !== pending) return;
        list.textContent = "";
        state = { hits: got.hits, shown: 0, terms: terms, query: query, chosen: chosen, counts: got.counts };
        showFacets(facets, got.counts, got.whole);
        if (!got.hits.length) {
          showFacets(facets, new Map(), true);
          message(described(0, query, chosen).replace(/^0/, "No") + ".");
          return;
        }
        return showMore(ticket);
      });
    }).catch(function () {
      if (ticket === pending) message("Search is unavailable: its index could not be loaded.");
    });
  }

  // A site's own search.html from before sort by score offers "score"
  // labelled as relevance: there it means relevance.
  var oldSort = sortBox && !sortBox.querySelector("option[value=relevance]");

  function fromForm() {
    asked.q = input.value.trim();
    var sort = sortBox ? sortBox.value : "relevance";
    asked.sort = oldSort && sort === "score" ? "relevance" : SORTS.indexOf(sort) >= 0 ? sort : "relevance";
  }

  // The search lives in the URL (?q=&tag=&entity=&band=&sort=), so it can
  // be shared and the back button returns to it.
  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    asked.q = params.get("q") || "";
    KINDS.forEach(function (kind) { asked[kind[0]] = params.get(kind[0]) || ""; });
    asked.sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "relevance";
    input.value = asked.q;
    if (sortBox) sortBox.value = oldSort && asked.sort === "relevance" ? "score" : asked.sort;
    run();
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fromForm();
      toUrl(false);
      if (asked.q) run();
    }, 120);
  });
  if (sortBox) {
    sortBox.addEventListener("change", function () {
      fromForm();
      toUrl(true);
      run();
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    fromForm();
    toUrl(true);
    run();
  });
  more.addEventListener("click", function () {
    showMore(pending);
  });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
