// Client-side search for a briefs site. No dependencies, no network beyond
// the site: reads what `briefs build` writes under search/, relative to the
// site root given in data-root, so it works from any static host and under
// any subpath. A query fetches index.json (which shard parts exist), the
// parts its words fall in (t/<xx>.json, t/<xx>.<k>.json) and the record of
// each result shown (f/<doc>.json), nothing else.
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

  // Node (the test suite) loads this file for its folding; browsers have no `module`.
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { fold: fold, tokens: tokens };
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
  var form = box.querySelector("form");
  var PAGE = 10;
  if (!more) {
    // A site's own search.html from before the button: add it.
    more = el("button", "search-more", "Show more results");
    more.type = "button";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
  }

  var manifest = null;
  var parts = {};
  var records = {};

  function fetchJson(path) {
    return fetch(root + path).then(function (r) {
      if (!r.ok) throw new Error("search index: " + r.status + " for " + path);
      return r.json();
    });
  }

  function loadManifest() {
    if (!manifest) manifest = fetchJson("search/index.json");
    return manifest;
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
    var path = "search/t/" + encodeURIComponent(key) + (k ? "." + k : "") + ".json";
    if (!parts[path]) parts[path] = fetchJson(path);
    return parts[path];
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

  // The matching documents, best first (or newest first: documents are
  // numbered newest first).
  function search(terms, sort) {
    return loadManifest().then(function (index) {
      var lists = terms.map(function (t, i) { return postings(index, t, i === terms.length - 1); });
      return Promise.all(lists);
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
      return Array.from(total.entries())
        .sort(sort === "date" ? function (a, b) { return a[0] - b[0]; }
          : function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .map(function (e) { return e[0]; });
    });
  }

  function record(doc) {
    if (!records[doc]) records[doc] = fetchJson("search/f/" + doc + ".json");
    return records[doc];
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
    var last = terms[terms.length - 1];
    var parts = text.split(/([^\p{Alphabetic}\p{N}\p{M}]+)/u);
    parts.forEach(function (part, i) {
      if (i % 2 === 0 && part) {
        var words = tokens(part);
        var hit = words.some(function (w) {
          return terms.indexOf(w) >= 0 || (last.length >= 2 && w.indexOf(last) === 0);
        });
        if (hit) {
          parent.appendChild(el("mark", "", part));
          return;
        }
      }
      if (part) parent.appendChild(document.createTextNode(part));
    });
    return parent;
  }

  function item(d, terms) {
    // d: [title, url, iso, display, score, band, band slug, summary]
    var li = el("li", "search-result");
    var h = el("h2", "search-result-title");
    var a = highlighted(el("a"), d[0], terms);
    a.href = d[1];
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "search-result-meta");
    var time = el("time", "", d[3]);
    time.setAttribute("datetime", d[2]);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · "));
    var badge = el("span", "score score-band-" + d[6]);
    badge.appendChild(el("span", "score-value", d[4]));
    badge.appendChild(document.createTextNode(" "));
    badge.appendChild(el("span", "score-band", d[5]));
    badge.setAttribute("aria-label", "Score " + d[4] + ", band " + d[5]);
    meta.appendChild(badge);
    li.appendChild(meta);
    li.appendChild(highlighted(el("p", "search-result-summary"), d[7], terms));
    return li;
  }

  var state = { hits: [], shown: 0, terms: [], query: "" };

  // Shows the next page of hits: their records are fetched only now.
  function showMore(ticket) {
    var next = state.hits.slice(state.shown, state.shown + PAGE);
    return Promise.all(next.map(record)).then(function (docs) {
      if (ticket !== pending) return;
      docs.forEach(function (d) { list.appendChild(item(d, state.terms)); });
      state.shown += docs.length;
      more.hidden = state.shown >= state.hits.length;
      var n = state.hits.length;
      status.textContent = (n === 1 ? "1 brief matches" : n + " briefs match") + " \u201c" +
        state.query + "\u201d" + (n > state.shown ? "; showing the first " + state.shown + "." : ".");
    });
  }

  function message(text) {
    list.textContent = "";
    more.hidden = true;
    status.textContent = text;
  }

  var pending = 0;
  function run() {
    var query = input.value.trim();
    var sort = sortBox && sortBox.value === "date" ? "date" : "score";
    var ticket = ++pending;
    if (!query) {
      message("Type a word to search the briefs.");
      return;
    }
    var terms = tokens(query);
    if (!terms.length) {
      message("\u201c" + query + "\u201d is too common a word to search for; add another word.");
      return;
    }
    search(terms, sort).then(function (hits) {
      if (ticket !== pending) return;
      list.textContent = "";
      state = { hits: hits, shown: 0, terms: terms, query: query };
      if (!hits.length) {
        message("No briefs match \u201c" + query + "\u201d.");
        return;
      }
      return showMore(ticket);
    }).catch(function () {
      if (ticket === pending) message("Search is unavailable: its index could not be loaded.");
    });
  }

  // The search lives in the URL (?q=&sort=), so it can be shared and the
  // back button returns to it.
  function toUrl(push) {
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    if (sortBox && sortBox.value === "date") url.searchParams.set("sort", "date");
    else url.searchParams.delete("sort");
    if (url.href === window.location.href) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (sortBox) sortBox.value = params.get("sort") === "date" ? "date" : "score";
    if (input.value) run();
    else message("");
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      toUrl(false);
      if (input.value.trim()) run();
    }, 120);
  });
  if (sortBox) {
    sortBox.addEventListener("change", function () {
      toUrl(true);
      run();
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    toUrl(true);
    run();
  });
  more.addEventListener("click", function () {
    showMore(pending);
  });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
