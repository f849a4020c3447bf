// The offline service worker. On install it stores the app itself (index.html and the files
// it names: script, wasm, stylesheet, icon) in this browser's Cache Storage; afterwards the
// app opens from there with no network at all. It stores nothing else: reports, including
// ?src= files, are never cached, and it fetches nothing from any other origin.
const CACHE = "tlsrpt-viewer-v1";
// The engine's worker is named by its script, not by index.html: its three files are listed here.
const SHELL = [
  "./", "index.html", "boot.js", "favicon.svg", "DEMO-NOTICE.txt", "embed.html",
  "tlsrpt-worker_loader.js", "tlsrpt-worker.js", "tlsrpt-worker_bg.wasm",
];

async function shellFiles() {
  const response = await fetch("index.html", { cache: "no-cache" });
  const html = await response.text();
  const named = [...html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)]
    .map((match) => match[1])
    .filter((url) => !/^[a-z]+:/i.test(url) && !url.startsWith("//"));
  // As absolute URLs: addAll refuses the same file twice ("boot.js" and "./boot.js").
  return [...new Set([...SHELL, ...named].map((url) => new URL(url, self.registration.scope).href))];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(await shellFiles());
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// The app's own files: the network first (so a new version shows at once), the cache when
// offline. Anything else goes to the network untouched.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const key = request.mode === "navigate" ? "index.html" : request;
      const cached = await cache.match(key, { ignoreSearch: request.mode === "navigate" });
      try {
        const response = await fetch(request);
        if (response.ok && cached) await cache.put(key, response.clone());
        return response;
      } catch (error) {
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
