// Client-side search for a briefs site. No dependencies, no network beyond
// the site: reads search/docs.json and the term shards search/t/<xx>.json
// that `briefs build` writes, relative to the site root given in
// data-root, so it works from any static host and under any subpath.
(function () {
  "use strict";

  var box = document.getElementById("search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "/";
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var form = box.querySelector("form");
  var MAX_RESULTS = 50;
  var STOP = ("a an and are as at be but by for from has have in is it its of on or that the their " +
    "this to was were which will with").split(" ");

  var docs = null;
  var shards = {};

  function fetchJson(path) {
    return fetch(root + path).then(function (r) {
      if (r.status === 404) return {};
      if (!r.ok) throw new Error("search index: " + r.status + " for " + path);
      return r.json();
    });
  }

  // The same splitting as the index: words, accents folded, lowercased.
  function tokens(text) {
    var out = [];
    text.split(/[^\p{L}\p{N}]+/u).forEach(function (word) {
      word.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .split(/[^a-z0-9]+/).forEach(function (t) {
          if (t && STOP.indexOf(t) < 0) out.push(t);
        });
    });
    return out;
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
