// The query page: YASGUI (vendored) on our own endpoint, with the curated queries preloaded.
(function () {
  var curated = JSON.parse(document.getElementById("curated-data").textContent);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: new URL("/sparql", window.location.href).href, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: new URL("/sparql", window.location.href).href }]; },
    },
    persistenceId: null,
  });
  window.kgYasgui = yasgui;
  // Results readable by default: values without datatype noise ("simple view"), labels not cut short.
  function readable(tab) {
    var yasr = tab && tab.getYasr && tab.getYasr();
    var table = yasr && yasr.plugins && yasr.plugins.table;
    if (table) {
      table.persistentConfig = Object.assign({}, table.persistentConfig, { compact: true, isEllipsed: false });
    }
  }
  readable(yasgui.getTab());
  yasgui.on("tabAdd", function (instance, id) { readable(yasgui.getTab(id)); });
  var select = document.getElementById("curated");
  function load(name) {
    var tab = yasgui.getTab();
    tab.setQuery(curated[name]);
  }
  select.addEventListener("change", function () { load(select.value); });
  load(select.value);
})();
