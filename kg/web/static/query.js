// The query page: YASGUI (vendored) on our own endpoint, the curated queries preloaded, readable
// result cells, and the server's own message whenever a query is refused (400, 403, 408, 503 …).
(function () {
  var lib = window.kgQuery;
  var curated = JSON.parse(document.getElementById("curated-data").textContent);
  var strings = JSON.parse(document.getElementById("query-strings").textContent);
  var endpoint = new URL("/sparql", window.location.href).href;
  var box = document.getElementById("query-error");

  // YASGUI throws the body of a refused answer away with its status: remember both here.
  var last = null;
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input && input.url;
    var ours = url && url.split("?")[0] === endpoint;
    var pending = realFetch(input, init);
    if (!ours) return pending;
    last = null;
    return pending.then(function (response) {
      if (!response.ok) {
        last = { status: response.status, statusText: response.statusText, body: null };
        response.clone().text().then(function (body) { last.body = body; show(); }, function () { show(); });
      }
      return response;
    }, function (err) {
      last = { status: 0, statusText: "", body: String((err && err.message) || err) };
      show();
      throw err;
    });
  };

  function show() {
    if (!last) return;
    box.textContent = lib.errorMessage(last.status, last.statusText, last.body, strings);
    box.hidden = false;
    var yasr = document.querySelector("#yasgui .yasr");
    if (yasr && box.nextSibling !== yasr) yasr.parentNode.insertBefore(box, yasr);
  }
  function hide() { box.hidden = true; box.textContent = ""; }

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    // IRIs in results: the query's own PREFIX declarations (YASGUI adds them) and the well-known ones.
    yasr: { prefixes: lib.WELL_KNOWN },
    persistenceId: null,
  });
  window.kgYasgui = yasgui;

  // Results readable by default: values without datatype noise, labels never cut short.
  function readable(tab) {
    var yasr = tab && tab.getYasr && tab.getYasr();
    var table = yasr && yasr.plugins && yasr.plugins.table;
    if (table) {
      table.persistentConfig = Object.assign({}, table.persistentConfig, { compact: true, isEllipsed: false });
    }
  }
  function watch(tab) {
    readable(tab);
    var yasqe = tab && tab.getYasqe && tab.getYasqe();
    if (!yasqe || yasqe.kgWatched) return;
    yasqe.kgWatched = true;
    yasqe.on("query", hide);
    yasqe.on("error", function (err) {
      if (!last) last = { status: 0, statusText: "", body: String((err && err.message) || err) };
      show();
    });
  }
  // YASGUI's editor and endpoint field come without names, its scroller cannot take focus:
  // name them in the page's language and let the keyboard reach them (axe-core checks this).
  function accessible() {
    var zh = document.documentElement.lang === "zh";
    var names = [
      ["textarea", zh ? "SPARQL 查询" : "SPARQL query"],
      ["input.autocomplete", zh ? "查询端点" : "Endpoint"],
      ["select.tableSizer", zh ? "每页行数" : "Rows per page"],
    ];
    names.forEach(function (pair) {
      document.querySelectorAll("#yasgui " + pair[0] + ":not([aria-label])").forEach(function (el) {
        el.setAttribute("aria-label", pair[1]);
      });
    });
    document.querySelectorAll("#yasgui .CodeMirror-scroll").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");  // CodeMirror sets -1
    });
  }
  accessible();
  new MutationObserver(accessible).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  watch(yasgui.getTab());
  yasgui.on("tabAdd", function (instance, id) { watch(yasgui.getTab(id)); });
  yasgui.on("tabSelect", function (instance, id) { hide(); setTimeout(function () { watch(yasgui.getTab(id)); }, 0); });

  var select = document.getElementById("curated");
  function load(name) { yasgui.getTab().setQuery(curated[name]); }
  select.addEventListener("change", function () { load(select.value); });
  load(select.value);
})();
