// The first command's server (scripts/serve.sh builds dist/ once, then runs
// scripts/serve_dist.mjs): no file watcher, the app's files with the right types and headers,
// nothing outside dist/, and the app working from it with the demo reports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { ROOT, SAMPLES, assertPrivate, env, summarize, useEnvironment, waitForInputs, assertViewsMatch } from "./helpers.mjs";
import { watchedPage } from "./browser.mjs";
import { serveDist } from "../../scripts/serve_dist.mjs";

useEnvironment();

/** A raw GET, so that paths such as `/../x` reach the server as written. */
function get(url, path) {
  return new Promise((done, fail) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path, method: "GET" }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

test("serve.sh builds once and serves dist/ with a static server, not Trunk's watcher", () => {
  const script = readFileSync(join(ROOT, "scripts/serve.sh"), "utf8");
  const commands = script.split("\n").filter((line) => !line.trim().startsWith("#"));
  assert.ok(!commands.some((line) => /\btrunk\s+(serve|watch)\b/.test(line)), "no trunk serve or watch");
  assert.ok(commands.some((line) => /\btrunk build --release\b/.test(line)), "a release build");
  assert.ok(commands.some((line) => /node scripts\/serve_dist\.mjs/.test(line)), "the static server");
});

test("the static server serves the app's files with their types and headers, and nothing outside dist/", async () => {
  const server = await serveDist(join(ROOT, "dist"), 0);
  try {
    const index = await get(server.url, "/");
    assert.equal(index.status, 200);
    assert.match(index.headers["content-type"], /^text\/html/);
    assert.equal(index.headers["content-security-policy"], "frame-ancestors 'self'");
    assert.equal(index.headers["x-content-type-options"], "nosniff");
    const wasm = /data-wasm="\.\/([^"]+\.wasm)"/.exec(index.body.toString())?.[1];
    assert.ok(wasm, "index.html names the wasm");
    const module = await get(server.url, `/${wasm}`);
    assert.equal(module.status, 200);
    assert.equal(module.headers["content-type"], "application/wasm");
    assert.deepEqual([...module.body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], "a wasm module");
    assert.match((await get(server.url, "/sw.js")).headers["content-type"], /^text\/javascript/);
    for (const path of ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/..%2fCargo.toml", "/%00", "/missing.js", "/samples/"]) {
      assert.equal((await get(server.url, path)).status, 404, path);
    }
  } finally {
    await server.close();
  }
});

test("the app served this way loads the demo reports and matches the native summary", async () => {
  const server = await serveDist(join(ROOT, "dist"), 0);
  const origin = server.url.replace(/\/$/, "");
  const { page, context, watch } = await watchedPage(env.browser, origin);
  try {
    await page.goto(server.url);
    await page.waitForSelector("[data-testid=welcome]");
    const demoSource = readFileSync(join(ROOT, "src/worker/demo.rs"), "utf8");
    const demo = [...demoSource.matchAll(/sample!\("([^"]+)"\)/g)].map((m) => join(SAMPLES, m[1]));
    await page.click("[data-testid=load-demo]");
    await waitForInputs(page, demo.length);
    await assertViewsMatch(page, summarize(demo));
    assertPrivate(watch);
  } finally {
    await context.close();
    await server.close();
  }
});
