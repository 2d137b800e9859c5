// Client-side search for a briefs site. No dependencies, no network beyond
// the site: reads search/docs.json and the term shards search/t/<xx>.json
// that `briefs build` writes, relative to the site root given in
// data-root, so it works from any static host and under any subpath.
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
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var form = box.querySelector("form");
  var MAX_RESULTS = 50;

  var docs = null;
  var shards = {};

  function fetchJson(path) {
    return fetch(root + path).then(function (r) {
      if (r.status === 404) return {};
      if (!r.ok) throw new Error("search index: " + r.status + " for " + path);
      return r.json();
    });
  }

  function shardOf(term) {
    return Array.from(term).slice(0, 2).join("");
  }

  function loadShard(key) {
    if (!shards[key]) shards[key] = fetchJson("search/t/" + encodeURIComponent(key) + ".json");
    return shards[key];
  }

  // Postings of one query word: exact matches, and for the last word as
  // typed, every indexed word it starts.
  function postings(term, prefix) {
    return loadShard(shardOf(term)).then(function (shard) {
      var scores = new Map();
      Object.keys(shard).forEach(function (word) {
        if (word === term || (prefix && term.length >= 2 && word.indexOf(term) === 0)) {
          var flat = shard[word];
          var bonus = word === term ? 2 : 1;
          for (var i = 0; i < flat.length; i += 2) {
            scores.set(flat[i], (scores.get(flat[i]) || 0) + flat[i + 1] * bonus);
          }
        }
      });
      return scores;
    });
  }

  function search(query) {
    var terms = tokens(query);
    if (!terms.length) return Promise.resolve(null);
    var docsReady = docs ? Promise.resolve(docs) : fetchJson("search/docs.json").then(function (d) {
      docs = d;
      return d;
    });
    var lists = terms.map(function (t, i) { return postings(t, i === terms.length - 1); });
    return Promise.all([docsReady].concat(lists)).then(function (all) {
      var maps = all.slice(1);
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
        .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .map(function (e) { return e[0]; });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(query, hits) {
    list.textContent = "";
    if (hits === null) {
      status.textContent = "";
      return;
    }
    var shown = hits.slice(0, MAX_RESULTS);
    shown.forEach(function (doc) {
      var d = docs[doc]; // [title, url, iso, display, score, band, band slug, summary]
      var li = el("li", "search-result");
      var h = el("h2", "search-result-title");
      var a = el("a", "", d[0]);
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
      li.appendChild(el("p", "search-result-summary", d[7]));
      list.appendChild(li);
    });
    var n = hits.length;
    status.textContent = n === 0 ? "No briefs match \u201c" + query + "\u201d."
      : (n === 1 ? "1 brief matches" : n + " briefs match") + " \u201c" + query + "\u201d" +
        (n > MAX_RESULTS ? "; showing the first " + MAX_RESULTS + "." : ".");
  }

  var pending = 0;
  function run() {
    var query = input.value.trim();
    var ticket = ++pending;
    search(query).then(function (hits) {
      if (ticket === pending) render(query, hits);
    }).catch(function () {
      if (ticket === pending) status.textContent = "Search is unavailable: its index could not be loaded.";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    window.history.replaceState(null, "", url);
    run();
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();
