// Starts the app. It lives in its own file, not inline in index.html, so that the
// Content-Security-Policy can forbid inline scripts. scripts/build_page.sh writes the names of
// the wasm-bindgen module and the wasm binary (in app-HASH/) into this script's data attributes.
const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.js, base).href);
await init({ module_or_path: new URL(tag.dataset.wasm, base) });

// Offline: after this first visit, the app opens with no network (see sw.js). Registering
// fails quietly where service workers are not available (a file:// page, a private window).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(new URL("sw.js", base)).catch(() => {});
}
