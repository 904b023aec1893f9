// Modules a page imports on demand, fetched with their Subresource Integrity.
//
// A module's import() cannot carry an integrity value. The build (portal_site/integrity.py) lists,
// in the page's <template id="portal-modules">, one <link rel="modulepreload" integrity=...> per
// module the page may import later. Inert until then: nothing is fetched with the page. When the
// page needs them, the links are added to the document; the browser fetches each module, checks
// its hash and keeps it in its module map, where import() then finds it. A module that is not the
// released one fails to load instead of running.
export function importVerified(load) {
  const template = document.getElementById("portal-modules");
  if (!template) return load();
  const links = [...template.content.querySelectorAll("link")].map((link) => link.cloneNode());
  template.remove();
  const loaded = links.map(
    (link) =>
      new Promise((resolve, reject) => {
        link.addEventListener("load", resolve, { once: true });
        link.addEventListener("error", () => reject(new Error(`integrity: ${link.href}`)), { once: true });
      }),
  );
  document.head.append(...links);
  return Promise.all(loaded).then(load);
}
