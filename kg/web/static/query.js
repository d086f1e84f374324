// The query page: YASGUI (vendored) on our own endpoint, with the curated queries preloaded.
(function () {
  var curated = JSON.parse(document.getElementById("curated-data").textContent);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: "/sparql", method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: "/sparql" }]; } },
    persistenceId: null,
  });
  window.kgYasgui = yasgui;
  var select = document.getElementById("curated");
  function load(name) {
    var tab = yasgui.getTab();
    tab.setQuery(curated[name]);
  }
  select.addEventListener("change", function () { load(select.value); });
  load(select.value);
})();
