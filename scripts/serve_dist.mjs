// Serves a built dist/ on 127.0.0.1 with a plain static file server: what `scripts/serve.sh`
// runs after `trunk build --release`. No file watcher is involved (Trunk's, built on notify,
// can panic on an inotify event without a path and abort the whole process), nothing is
// rebuilt, and the files are served as any static host would serve them.
//
//   node scripts/serve_dist.mjs [--root DIR] [--port N]   (port 0 picks a free one)
//
// It prints "serving DIR at URL" once it listens. Besides the files, it sends the headers a
// static host should send for this app (see README, "Security and privacy"): no framing by
// another site, no MIME sniffing, no referrer.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const HEADERS = {
  "content-security-policy": "frame-ancestors 'self'",
  "x-frame-options": "SAMEORIGIN",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

/** The file under `root` that a request path names, or null for one outside it. */
export function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(new URL(urlPath, "http://x").pathname);
  } catch {
    return null;
  }
  if (path.includes("\0")) return null;
  if (path.endsWith("/")) path += "index.html";
  const file = resolve(root, "." + path);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** Starts the server; resolves to its URL and a `close` function. */
export async function serveDist(root, port) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const file = fileFor(base, req.url ?? "/");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, HEADERS).end();
      return;
    }
    try {
      if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, { ...HEADERS, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { ...HEADERS, "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
  };
  const root = option("--root", "dist");
  const port = Number(option("--port", "8080"));
  try {
    await stat(join(root, "index.html"));
  } catch {
    console.error(`${root}/index.html is missing: build the app first (trunk build --release)`);
    process.exit(1);
  }
  const { url } = await serveDist(root, port);
  console.log(`serving ${resolve(root)} at ${url} (Ctrl+C stops it)`);
}
