// End-to-end test of ?src= against files over the limit for one input: the page refuses a
// file whose announced size is too large before reading it, and stops reading a file that
// announces no size as soon as it passes the limit, with the reason in the Inputs view.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { watchedPage } from "./browser.mjs";
import { ROOT, env, useEnvironment, settled } from "./helpers.mjs";
import { startSite } from "./server.mjs";

useEnvironment();

const MIB = 1024 * 1024;
const LIMIT = 256 * MIB;

/** Answers with `chunk` again and again (up to `most` bytes), counting what went out. */
function endless(sent, headers, most) {
  const chunk = Buffer.alloc(MIB, 0x20);
  return (req, res) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    const more = () => {
      while (sent.bytes < most && !res.destroyed) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return res.once("drain", more);
      }
      res.end();
    };
    res.on("close", () => (sent.closed = true));
    more();
  };
}

test("?src= stops at the limit for one input, announced or not, and says why", { timeout: 180_000 }, async () => {
  const announced = { bytes: 0 };
  const unannounced = { bytes: 0 };
  const site = await startSite({
    root: join(ROOT, "dist"),
    routes: {
      "/announced.json": endless(announced, { "content-length": String(1536 * MIB) }, 1536 * MIB),
      "/unannounced.json": endless(unannounced, {}, 1536 * MIB),
    },
  });
  const { page, context } = await watchedPage(env.browser, site.origin);
  await page.goto(`${site.url}?src=announced.json&src=unannounced.json&src=samples/rfc8460.json`);
  await page.waitForSelector("[data-testid=overview-reports]", { timeout: 120_000 });
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  const rows = await page.locator("[data-testid=inputs-table] tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("[data-col=name] .mono").textContent, tr.dataset.outcome, tr.querySelector("[data-col=reason]").textContent]),
  );
  assert.deepEqual(rows.map((r) => r.slice(0, 2)), [
    ["announced.json", "rejected"],
    ["unannounced.json", "rejected"],
    ["samples/rfc8460.json", "loaded"],
  ]);
  assert.match(rows[0][2], /^not preloaded: the file is 1\.5 GiB, over the 256 MiB limit for one input/);
  assert.match(rows[1][2], /^not preloaded: the file is over the 256 MiB limit for one input/);
  // The announced file was refused before its body was read: the server stopped early
  // (what it wrote sits in socket buffers); the other was read up to the limit, not beyond.
  assert.ok(announced.bytes < 64 * MIB, `announced: ${announced.bytes / MIB} MiB sent`);
  assert.ok(unannounced.bytes >= LIMIT && unannounced.bytes < LIMIT + 64 * MIB, `unannounced: ${unannounced.bytes / MIB} MiB sent`);
  await context.close();
  await site.close();
});
