/*
 * The portal's search worker: Material's own worker, plus matching without diacritics.
 *
 * Vietnamese readers often type without diacritics ("to giac" for "tố giác"). So every word of the
 * index is indexed twice: as written (in NFC) and without diacritics. Query terms cannot be folded
 * instead, because Material adds a trailing wildcard to every term and lunr runs no pipeline on
 * wildcard terms; a query typed with diacritics matches the first form, one typed without them
 * the second. Vietnamese keyboards send precomposed (NFC) or decomposed (NFD) letters, so queries
 * are brought to NFC before Material sees them.
 *
 * Started by Material (overrides/main.html sets it as the worker) with ?material=<file name of
 * Material's worker>, which portal_site finds in the installed Material package.
 */
"use strict";

/* Registered before Material's own listener, so it runs first and Material reads the result. */
self.addEventListener("message", function normalizeQuery(event) {
  var message = event.data;
  if (message && typeof message.data === "string") {
    message.data = message.data.normalize("NFC");
  }
});

/*
 * The search index loads only when someone searches. Every page starts this worker and Material
 * sends it the page language's search/search_index.json, which the build leaves without documents
 * (portal_site/search_index.py): Material builds an empty index and the page is ready. The
 * documents (search/documents.json, the largest file of the site) are fetched at the first query
 * that is not empty; the index is then built again with them (Material answers "ready", which the
 * page does not need again and is not told), and the query waits for that, then runs.
 */
(function loadDocumentsOnFirstQuery() {
  var SETUP = 0, READY = 1, QUERY = 2; /* Material's SearchMessageType */
  var setup = null; /* the data of Material's setup message, without documents */
  var state = "waiting"; /* then "loading", then "loaded" */
  var queued = null; /* the latest query sent while the documents load */
  var replaying = false;
  var post = self.postMessage.bind(self);

  function replay(message) {
    replaying = true;
    try {
      self.dispatchEvent(new MessageEvent("message", { data: message }));
    } finally {
      replaying = false;
    }
  }

  /* Material's answer to the second setup is swallowed; the query that waited goes in after it. */
  self.postMessage = function (message) {
    if (state === "loading" && message && message.type === READY) {
      state = "loaded";
      if (queued) replay(queued);
      queued = null;
      return;
    }
    post(message);
  };

  self.addEventListener("message", function (event) {
    var message = event.data;
    if (replaying || !message) return;
    if (message.type === SETUP) {
      setup = message.data;
      return; /* Material builds the empty index and answers "ready" */
    }
    var documents = setup && setup.config && setup.config.portal_documents;
    if (message.type !== QUERY || state === "loaded" || !documents || !message.data) return;
    event.stopImmediatePropagation(); /* Material sees the query once its documents are in */
    queued = message;
    if (state === "loading") return;
    state = "loading";
    var site = new URL("../../../", self.location.href);
    fetch(new URL(documents, site), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("search documents: HTTP " + response.status);
        return response.json();
      })
      .then(function (docs) {
        replay({ type: SETUP, data: { config: setup.config, docs: docs, options: setup.options } });
      })
      .catch(function (error) {
        state = "loaded"; /* searching goes on with the empty index: no result, no endless wait */
        console.warn(error);
        if (queued) replay(queued);
        queued = null;
      });
  });
})();

(function loadMaterialWorker() {
  var name = new URLSearchParams(self.location.search).get("material") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) {
    throw new Error("portal-search: unexpected Material worker name: " + name);
  }
  importScripts(name); /* same folder; defines self.lunr and handles the messages */
})();

(function addDiacriticFolding(lunr) {
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D");
  }

  /* Pipeline step: the word in NFC, plus its form without diacritics (same position, so that
     Material still highlights the word as written). */
  function portalFoldDiacritics(token) {
    var nfc = token.toString().normalize("NFC");
    var written = token.update(function () { return nfc; });
    var folded = fold(nfc);
    return folded === nfc ? written : [written, written.clone(function () { return folded; })];
  }
  lunr.Pipeline.registerFunction(portalFoldDiacritics, "portalFoldDiacritics");

  /* lunr.vi forgets to register its stop word filter, which makes lunr warn on the console. */
  var use = lunr.Builder.prototype.use;
  lunr.Builder.prototype.use = function () {
    if (lunr.vi && lunr.vi.stopWordFilter && !lunr.vi.stopWordFilter.label) {
      lunr.Pipeline.registerFunction(lunr.vi.stopWordFilter, "stopWordFilter-vi");
    }
    return use.apply(this, arguments);
  };

  /* Material builds its index inside lunr(...) after choosing the languages; add the step last,
     just before the first document goes in. */
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.portalFolding) {
      this.pipeline.add(portalFoldDiacritics);
      this.portalFolding = true;
    }
    return add.call(this, doc, attributes);
  };
})(self.lunr);
