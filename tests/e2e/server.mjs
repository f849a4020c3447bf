// A static file server on 127.0.0.1 for the end-to-end tests. It serves dist/ under a
// chosen path prefix and records every request it receives.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export async function startServer(root, prefix = "/") {
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    let relative = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, "");
    if (relative === "" || relative === ".") relative = "index.html";
    else if (relative.endsWith("/")) relative += "index.html";
    try {
      const body = await readFile(join(root, relative));
      res.writeHead(200, { "content-type": TYPES[extname(relative)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A server of a copy of the app that a test controls: it serves `site.root` (which the test
 * may change, as a redeploy would), and answers the paths of `site.routes` with their own
 * handlers, `(request, response) => …`. It records every request's path.
 */
export async function startSite(site) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    const route = site.routes?.[path];
    if (route) {
      route(req, res);
      return;
    }
    let relative = normalize(path).replace(/^(\.\.[/\\])+/, "").replace(/^\/+/, "");
    if (relative === "" || relative.endsWith("/")) relative += "index.html";
    try {
      const body = await readFile(join(site.root, relative));
      res.writeHead(200, { "content-type": TYPES[extname(relative)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    requests,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
