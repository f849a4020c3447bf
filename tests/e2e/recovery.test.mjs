// End-to-end tests of the worker's hard cases: a worker that dies mid-load (a panic or
// memory running out reach the page as an uncaught error) leaves a page that says so and
// starts again without a reload; and exports of a 100,000-domain report are built by the
// worker and handed to the download as a Blob, with no long task on the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLES, assertPrivate, assertViewsMatch, env, openApp, settled, summarize, text, useEnvironment, waitForInputs } from "./helpers.mjs";
import { watchedPage } from "./browser.mjs";
import { forgedLoad, longestTask, mailbox, smallReport, watchTasks, wideReport } from "./forge.mjs";

useEnvironment();

const SAMPLE_FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/cry-inc-dmarc-report-viewer/microsoft.json",
].map((p) => join(SAMPLES, p));

test("a worker that dies mid-load: the page says so, and Start again recovers without a reload", { timeout: 300_000 }, async () => {
  const reports = Array.from({ length: 20_000 }, (_, i) => smallReport(`m${i}`, i % 90, ["example.com"]));
  const file = join(mkdtempSync(join(tmpdir(), "tlsrpt-recovery-")), "Big.mbox");
  writeFileSync(file, mailbox(reports));
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  // A reload would lose this mark.
  await page.evaluate(() => (window.notReloaded = true));
  await page.setInputFiles("[data-testid=file-input]", [file]);
  await page.waitForSelector("[data-testid=progress]");
  // What a panic (a wasm trap) or an out-of-memory abort becomes: an uncaught error in the
  // worker, which reaches the page's Worker object.
  const [worker] = page.workers();
  assert.ok(worker, "the engine's worker runs");
  await worker.evaluate(() => setTimeout(() => { throw new Error("simulated crash of the engine"); }, 0));
  await page.waitForSelector("[data-testid=worker-lost]");
  const said = await text(page, "[data-testid=worker-lost]");
  assert.match(said, /The engine that reads your reports stopped/);
  assert.match(said, /Your files are untouched, and nothing was uploaded/);
  assert.match(said, /simulated crash of the engine/);
  assert.equal(await page.locator("[data-testid=progress]").count(), 0, "no load is shown as running");
  await page.screenshot({ path: join(SAMPLES, "../tests/e2e/screenshots/60-worker-lost.png") });

  await page.click("[data-testid=worker-restart]");
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await page.locator("[data-testid=worker-lost]").count(), 0);
  // A new worker, a clean session: a load now holds exactly its own files.
  await page.setInputFiles("[data-testid=file-input]", SAMPLE_FILES);
  await waitForInputs(page, SAMPLE_FILES.length);
  await assertViewsMatch(page, summarize(SAMPLE_FILES));
  assert.equal(await page.evaluate(() => window.notReloaded), true, "no reload");
  // The simulated crash is the one console error.
  assert.ok(watch.errors.every((e) => /simulated crash/.test(e)), watch.errors.join("\n"));
  assert.deepEqual(watch.foreign, []);
  await context.close();
});

test("Clear also recovers from a dead worker", { timeout: 120_000 }, async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.setInputFiles("[data-testid=file-input]", SAMPLE_FILES);
  await waitForInputs(page, SAMPLE_FILES.length);
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { throw new Error("simulated crash after a load"); }, 0));
  await page.waitForSelector("[data-testid=worker-lost]");
  await page.click("[data-testid=clear]");
  await page.waitForSelector("[data-testid=welcome]");
  await page.setInputFiles("[data-testid=file-input]", SAMPLE_FILES.slice(0, 1));
  await waitForInputs(page, 1);
  await assertViewsMatch(page, summarize(SAMPLE_FILES.slice(0, 1)));
  assert.ok(watch.errors.every((e) => /simulated crash/.test(e)), watch.errors.join("\n"));
  await context.close();
});

test("files chosen after the worker died go to a new one, with a clean session", { timeout: 120_000 }, async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.setInputFiles("[data-testid=file-input]", SAMPLE_FILES);
  await waitForInputs(page, SAMPLE_FILES.length);
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { throw new Error("simulated crash before a new load"); }, 0));
  await page.waitForSelector("[data-testid=worker-lost]");
  await page.setInputFiles("[data-testid=file-input]", SAMPLE_FILES.slice(1));
  await waitForInputs(page, SAMPLE_FILES.length - 1);
  assert.equal(await page.locator("[data-testid=worker-lost]").count(), 0);
  await assertViewsMatch(page, summarize(SAMPLE_FILES.slice(1)));
  assert.ok(watch.errors.every((e) => /simulated crash/.test(e)), watch.errors.join("\n"));
  await context.close();
});

test("exports of a 100,000-domain report: built by the worker, no long task, complete", { timeout: 900_000 }, async () => {
  const report = wideReport(100_000);
  const { page, context, watch } = await forgedLoad("wide.json", JSON.stringify(report), "1", "one report with 100,000 policy domains");
  for (const [button, check] of [
    ["export-json", (body) => {
      const json = JSON.parse(body);
      assert.equal(json["per-result"].length, 100_000);
      assert.equal(json.overview["policy-domains"].length, 100_000);
    }],
    ["export-csv", (body) => {
      // The Problems view's CSV: a finding per domain and rule.
      assert.ok(body.split("\n").length > 100_000, `${body.split("\n").length} lines`);
    }],
  ]) {
    await watchTasks(page);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 600_000 }), page.click(`[data-testid=${button}]`)]);
    const body = readFileSync(await download.path(), "utf8");
    const task = await longestTask(page);
    console.log(`# figures: ${button} of 100,000 domains: ${(body.length / 1e6).toFixed(1)} MB; longest main-thread task after the click ${task} ms`);
    check(body);
    assert.ok(task <= 50, `${button}: ${task} ms`);
  }
  assertPrivate(watch);
  await context.close();
});
