// Results as you type: calls /api/search and renders the list (text only, never HTML from data).
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  if (!input || !list) return;
  var matched = JSON.parse(list.getAttribute("data-matched") || "{}");
  var none = list.getAttribute("data-none") || "No match";
  var timer = null, seq = 0;
  function how(kind) {
    var on = (matched.on || {})[kind] || (matched.on || {})[""] || "";
    return (matched.label || "{how}").replace("{how}", on);
  }
  function render(items) {
    list.textContent = "";
    items.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/term/" + r.iri.split("/term/")[1];
      a.lang = "zh";
      a.textContent = r.label.zh;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "en";
      var py = r.pinyin && r.pinyin !== r.label.zh ? r.pinyin + " — " : "";  // 1+2+3+7 is its own pinyin
      meta.textContent = "  " + py + (r.label.en || "") + " (" + how(r.matched_on) + ")";
      li.appendChild(meta);
      list.appendChild(li);
    });
    if (!items.length && input.value.trim()) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = none;
      list.appendChild(li);
    }
  }
  function run() {
    var q = input.value.trim(), mine = ++seq;
    if (!q) { render([]); return; }
    fetch("/api/search?limit=12&q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (mine === seq) render(data.results || []); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  if (input.value) run();
})();
