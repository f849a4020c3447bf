// The offline service worker. On install it stores the app's own files, and nothing else, in
// this browser's Cache Storage; afterwards the app opens from there with no network at all.
//
// - What it stores is an explicit list made at release time: scripts/stamp_sw.mjs, a Trunk
//   post-build hook, writes the two lines below from the build's files (index.html, boot.js,
//   the hashed scripts, wasm and stylesheet, the icon, the demo reports' notice), and names
//   the cache after a hash of their contents. A new release is a new sw.js: the browser
//   installs it, it stores the new files under a new name, takes over, and deletes the old
//   caches. Unstamped (a source checkout opened as is), it stores nothing.
// - It only ever answers for those files: the network first, so that a new version shows at
//   once, and the stored copy when offline. It never writes to the cache at that point.
// - Everything else (reports, ?src= files, any other page) it leaves alone: the browser
//   fetches it under the page's Content-Security-Policy, which this worker is not bound by.
// - It never follows a redirect: its fetches use `redirect: "error"`, and a page load passes
//   a redirect back to the browser untouched.
const CACHE = null;
const SHELL = [];

const scope = () => self.registration.scope;
const absolute = (path) => new URL(path, scope()).href;
// One origin can host several copies of the app (at sub-paths), and they share its Cache
// Storage: the cache's name carries this copy's scope, and only this scope's older caches
// (and the unscoped one of the first releases) are ever deleted.
const cacheName = () => CACHE && `${CACHE} ${scope()}`;
const ours = (name) =>
  name === "tlsrpt-viewer-v1" || (name.startsWith("tlsrpt-viewer-") && name.endsWith(` ${scope()}`));

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (CACHE) {
        const cache = await caches.open(cacheName());
        // One by one rather than addAll, so that no redirect is followed. The page is fetched
        // at the scope's own address, as people open it (some hosts send /index.html to /).
        for (const path of SHELL) {
          const from = path === "index.html" ? scope() : absolute(path);
          const response = await fetch(from, { redirect: "error", cache: "no-cache" });
          if (!response.ok) throw new Error(`${path}: ${response.status}`);
          await cache.put(absolute(path), response);
        }
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (ours(key) && key !== cacheName()) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

/// The stored file that answers a request, or null when the request is not for the app's own
/// files. The app's page answers under its address with any query (?src=…, ?embed=1).
function shellKey(request) {
  if (!CACHE || request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  url.hash = "";
  if (request.mode === "navigate") {
    url.search = "";
    if (url.href === scope() || url.href === absolute("index.html")) return absolute("index.html");
  }
  const key = url.href;
  return SHELL.some((path) => absolute(path) === key) ? key : null;
}

self.addEventListener("fetch", (event) => {
  const key = shellKey(event.request);
  if (!key) return;
  event.respondWith(
    (async () => {
      try {
        // A page load keeps its own redirect mode ("manual": the browser follows, not this
        // worker); the app's files are fetched with redirects refused.
        return event.request.mode === "navigate"
          ? await fetch(event.request)
          : await fetch(event.request, { redirect: "error" });
      } catch (error) {
        const cached = await caches.match(key, { cacheName: cacheName() });
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
