// Pure helpers of the query page (no DOM; node runs them in the tests): the prefixes IRIs are
// compacted with, and the message shown when the server refuses a query.
(function (root) {
  var WELL_KNOWN = {
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
    owl: "http://www.w3.org/2002/07/owl#",
    skos: "http://www.w3.org/2004/02/skos/core#",
    dcterms: "http://purl.org/dc/terms/",
    prov: "http://www.w3.org/ns/prov#",
    oa: "http://www.w3.org/ns/oa#",
    org: "http://www.w3.org/ns/org#",
    nmt: "https://w3id.org/nanmatou/ns#",
    term: "https://w3id.org/nanmatou/term/",
    dim: "https://w3id.org/nanmatou/dimension/",
    report: "https://w3id.org/nanmatou/report/",
  };

  // PREFIX declarations of a query (comments and strings are not read as declarations).
  function queryPrefixes(query) {
    var out = {};
    var re = /^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gim;
    var m;
    while ((m = re.exec(query || "")) !== null) out[m[1] || ""] = m[2];
    return out;
  }

  // The well-known prefixes, then the query's own (which win on a clash of names).
  function prefixesFor(query) {
    return Object.assign({}, WELL_KNOWN, queryPrefixes(query));
  }

  // An IRI as prefix:local with the longest matching namespace, or <iri> when none matches.
  function compact(iri, prefixes) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (ns && iri.indexOf(ns) === 0 && (best === null || ns.length > prefixes[best].length)) best = p;
    });
    if (best === null) return "<" + iri + ">";
    var local = iri.slice(prefixes[best].length);
    return /^[\w.-]*$/.test(local) ? best + ":" + local : "<" + iri + ">";
  }

  // What the page says when the endpoint refuses a query: the server's own words, with the status.
  function errorMessage(status, statusText, body, strings) {
    strings = strings || {};
    var text = String(body || "").trim();
    if (!status) return (strings["error.network"] || "The server could not be reached") + (text ? ": " + text : "");
    var head = (strings.error || "The query was refused") + " (" + (strings["error.status"] || "status") + " " +
      status + (statusText ? " " + statusText : "") + ")";
    return text ? head + ":\n" + text : head;
  }

  var api = { WELL_KNOWN: WELL_KNOWN, queryPrefixes: queryPrefixes, prefixesFor: prefixesFor, compact: compact,
    errorMessage: errorMessage };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.kgQuery = api;
})(this);
