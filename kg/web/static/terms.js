// Annotated terms: each is a button; tap, click, Enter or Space opens its meaning in a pop-up under it
// (over it near the bottom of the screen)
// (Escape, a second tap or a tap elsewhere closes it). Text only, never HTML from data.
(function () {
  var tip = document.getElementById("term-tip");
  var dataEl = document.getElementById("term-data");
  if (!tip || !dataEl) return;
  var terms = JSON.parse(dataEl.textContent || "{}");
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var other = lang === "en" ? "zh" : "en";
  var openLabel = lang === "en" ? "Open the term page" : "打开术语页";
  var current = null;

  function line(tag, cls, text, textLang) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (textLang) el.lang = textLang;
    el.textContent = text;
    return el;
  }

  function close() {
    if (!current) return;
    current.setAttribute("aria-expanded", "false");
    tip.hidden = true;
    current = null;
  }

  function place(button) {
    var r = button.getBoundingClientRect();
    var width = Math.min(352, document.documentElement.clientWidth - 16);
    tip.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    tip.style.left = left + "px";
    // Under the term, or over it when it would run past the bottom of the screen and fits above.
    var h = tip.offsetHeight, below = r.bottom + 6 + h <= window.innerHeight - 8, above = r.top - 6 - h >= 8;
    tip.style.top = (below || !above ? r.bottom + 6 : r.top - 6 - h) + window.scrollY + "px";
    if (!below && !above) {
      tip.scrollIntoView({block: "nearest"});  // taller than either side: scrolled into view
    }
  }

  function open(button) {
    var t = terms[button.getAttribute("data-iri")];
    if (!t) return;
    close();
    tip.textContent = "";
    var head = line("p", "tip-head", "", "");
    head.appendChild(line("strong", "", t.zh || "", "zh"));
    if (t.en) head.appendChild(line("span", "en", " " + t.en, "en"));
    tip.appendChild(head);
    if (t.pinyin) tip.appendChild(line("p", "muted", t.pinyin, "zh-Latn"));
    var def = t.definition || {};
    var text = def[lang] || def[other];
    if (text) tip.appendChild(line("p", "", text, def[lang] ? lang : other));
    var link = line("a", "", openLabel, "");
    link.href = t.href;
    var p = document.createElement("p");
    p.appendChild(link);
    tip.appendChild(p);
    tip.hidden = false;
    place(button);
    button.setAttribute("aria-expanded", "true");
    current = button;
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button.term") : null;
    if (button) {
      if (button === current) close(); else open(button);
      return;
    }
    if (current && !tip.contains(ev.target)) close();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && current) {
      var was = current;
      close();
      was.focus();
    }
  });
  window.addEventListener("resize", function () { if (current) place(current); });
})();
