// Starts the app. It lives in its own file, not inline in index.html, so that the
// Content-Security-Policy can forbid inline scripts. Trunk writes the hashed names of the
// wasm-bindgen module and the wasm binary into the data attributes of this script's tag.
const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.js, base).href);
await init({ module_or_path: new URL(tag.dataset.wasm, base) });
