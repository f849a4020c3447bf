// End-to-end tests of the built app (dist/) in Debian's Chromium: uploading reports, the
// figures of every view (checked by hand and against `cargo run --example summarize`),
// rejections with their reasons, the drop zone, the demo reports, and privacy: no request
// may go to another origin. Screenshots go to tests/e2e/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { watchedPage } from "./browser.mjs";
import {
  env, useEnvironment, ROOT, SAMPLES, SHOTS, text, openApp, waitForInputs, appWithFiles,
  inputRows, assertPrivate, assertViewsMatch, summarize,
} from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

const UPLOAD = [
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/cry-inc-dmarc-report-viewer/microsoft.json",
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz",
  // The RFC example again, reformatted: a duplicate.
  "real/cry-inc-dmarc-report-viewer/history-bbd2196/full-example.json",
];

test("the first page invites a drop and says nothing is uploaded", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  assert.match(await text(page, "[data-testid=welcome]"), /Nothing is uploaded/);
  await page.screenshot({ path: join(SHOTS, "01-welcome.png") });
  const notice = await page.locator("[data-testid=demo-notice]").getAttribute("href");
  // Fetched, not navigated to: a plain-text page would make Chromium ask for /favicon.ico.
  const response = await context.request.get(new URL(notice, env.server.url).href);
  assert.equal(response.status(), 200);
  assert.match(await response.text(), /^TLS-RPT Viewer: demo reports/);
  assertPrivate(watch);
  await context.close();
});

test("uploading samples, a duplicate and broken files fills every view", async () => {
  const gz = readFileSync(join(SAMPLES, "attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz"));
  const broken = join(env.tmp, "broken.json.gz");
  writeFileSync(broken, gz.subarray(0, gz.length - 30));
  const notes = join(env.tmp, "notes.json");
  writeFileSync(notes, "Dear admin,\nthe report is attached.\n");
  const paths = [...UPLOAD.map((p) => join(SAMPLES, p)), broken, notes];

  const { page, context, watch } = await appWithFiles(paths);

  // Worked out by hand from the files: 53 + 2 + 0 + 5326 + 4523 successful sessions,
  // 0 + 0 + 1 + 303 + 2 failed; Microsoft's tlsa copy of its 2 sessions is not added.
  assert.equal(await text(page, "[data-testid=overview-reports]"), "5");
  assert.equal(await text(page, "[data-testid=overview-successful-sessions]"), "9,904");
  assert.equal(await text(page, "[data-testid=overview-failed-sessions]"), "306");
  assert.equal(await text(page, "[data-testid=overview-success-rate]"), "97.0%");
  assert.equal(await text(page, "[data-testid=overview-date-range]"), "2016-04-01 – 2026-02-08");
  assert.equal(await text(page, "[data-testid=overview-inputs]"), "from 8 files: 1 duplicate, 2 rejected");
  assert.match(await text(page, "[data-testid=overview-counted-once]"), /^2 sessions were reported under both/);
  await page.click("[data-testid=tab-results]");
  await settled(page);
  assert.match(await text(page, "[data-testid=counting-rule]"), /count them once/);
  const exampleCom = '[data-testid="result-row-example-com-sts"]';
  assert.equal(await text(page, `${exampleCom} [data-col=successful]`), "4,576");
  assert.equal(await text(page, `${exampleCom} [data-col=failed]`), "3");
  await page.screenshot({ path: join(SHOTS, "02-overview-and-results.png"), fullPage: true });

  await assertViewsMatch(page, summarize(paths));
  await page.click("[data-testid=tab-sources]");
  await settled(page);
  assert.equal(await text(page, '[data-testid="source-ip-google-inc-192-0-2-1"] [data-col=mx]'), "mail.example.com");
  assert.equal(
    await text(page, "[data-testid=source-mismatch-mail-ru]"),
    "The failure details below count 2 failed sessions, the reports' summaries 1.",
  );
  assert.equal(await page.locator("[data-testid=source-mismatch-company-x]").count(), 0);
  await page.screenshot({ path: join(SHOTS, "03-sources.png"), fullPage: true });

  const outcomes = await inputRows(page);
  assert.equal(outcomes.length, 8);
  assert.deepEqual(outcomes.map((o) => o[1]), ["loaded", "loaded", "loaded", "loaded", "loaded", "duplicate", "rejected", "rejected"]);
  assert.equal(outcomes[5][2], "report 5065427c-23d3-47ca-b6e0-946ea0e8c4be was already loaded from rfc8460.json");
  assert.match(outcomes[6][2], /^truncated gzip: the compressed data ends early/);
  assert.equal(
    outcomes[7][2],
    'not a report: text starting with "Dear admin,"; a TLS-RPT report is JSON, a .json.gz file, or an email carrying one',
  );
  const formats = await page
    .locator("[data-testid=inputs-table] tbody tr [data-col=format]")
    .evaluateAll((tds) => tds.map((td) => td.textContent));
  assert.deepEqual(formats, ["JSON", "JSON", "JSON", "JSON", "gzip → JSON", "JSON", "gzip", "text"]);
  assert.equal(await text(page, "[data-testid=tab-inputs]"), "Inputs (2 rejected)");
  await page.screenshot({ path: join(SHOTS, "04-inputs.png"), fullPage: true });

  assertPrivate(watch);
  await context.close();
});

test("the keyboard alone opens the file chooser", async () => {
  const { page, context } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  // Listen first: Playwright turns on its file-chooser interception asynchronously.
  const chooserOpened = page.waitForEvent("filechooser");
  // The theme toggle comes first in the header, then the welcome's Choose files.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "theme-toggle");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "choose-files");
  await page.keyboard.press("Enter");
  const chooser = await chooserOpened;
  assert.ok(chooser.isMultiple(), "several files at once");
  await chooser.setFiles([join(SAMPLES, "real/parsedmarc/mail.ru.json")]);
  await waitForInputs(page, 1);
  assert.equal(await text(page, "[data-testid=overview-reports]"), "1");
  await context.close();
});

test("files dropped anywhere on the page are read", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  const gz = readFileSync(join(SAMPLES, "attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz")).toString("base64");
  const json = readFileSync(join(SAMPLES, "real/parsedmarc/mail.ru.json"), "utf8");
  await page.evaluate(() => {
    window.dropTransfer = new DataTransfer();
    document.querySelector(".app").dispatchEvent(new DragEvent("dragenter", { bubbles: true, dataTransfer: window.dropTransfer }));
  });
  await page.waitForSelector("[data-testid=drop-overlay]");
  await page.screenshot({ path: join(SHOTS, "05-drop-overlay.png") });
  await page.evaluate(([gz, json]) => {
    const bytes = Uint8Array.from(atob(gz), (c) => c.charCodeAt(0));
    // Named .txt on purpose: content decides, not the name.
    window.dropTransfer.items.add(new File([bytes], "report.txt"));
    window.dropTransfer.items.add(new File([json], "mail.ru.json"));
    const target = document.querySelector("[data-testid=drop-overlay]");
    target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: window.dropTransfer }));
  }, [gz, json]);
  await waitForInputs(page, 2);
  assert.equal(await page.locator("[data-testid=drop-overlay]").count(), 0);
  assert.equal(await text(page, "[data-testid=overview-reports]"), "2");
  assert.equal(await text(page, "[data-testid=overview-failed-sessions]"), "3");
  assertPrivate(watch);
  await context.close();
});

test("the demo reports load and match the native summary", async () => {
  const demoSource = readFileSync(join(ROOT, "src/worker/demo.rs"), "utf8");
  const demo = [...demoSource.matchAll(/sample!\("([^"]+)"\)/g)].map((m) => join(SAMPLES, m[1]));
  assert.ok(demo.length >= 10, "demo list found");
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.click("[data-testid=load-demo]");
  await waitForInputs(page, demo.length);
  await assertViewsMatch(page, summarize(demo));
  await page.screenshot({ path: join(SHOTS, "06-demo-sources.png"), fullPage: true });
  await page.click("[data-testid=tab-results]");
  await settled(page);
  await page.screenshot({ path: join(SHOTS, "06-demo-results.png"), fullPage: true });
  await page.setViewportSize({ width: 420, height: 900 });
  await page.screenshot({ path: join(SHOTS, "07-demo-narrow.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});

test("the Content-Security-Policy blocks requests to any other origin", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  const before = env.otherOrigin.requests.length;
  const outcome = await page.evaluate(async (target) => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
    let fetched;
    try {
      await fetch(target);
      fetched = "fetched";
    } catch {
      fetched = "blocked";
    }
    const img = new Image();
    img.src = target + "pixel.png";
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { fetched, violations };
  }, env.otherOrigin.url);
  assert.equal(outcome.fetched, "blocked");
  assert.deepEqual(outcome.violations.sort(), ["connect-src", "img-src"]);
  assert.equal(env.otherOrigin.requests.length, before, "the other origin was never contacted");
  const html = readFileSync(join(ROOT, "dist/index.html"), "utf8");
  assert.match(html, /Content-Security-Policy/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
  // The blocked attempts are the only errors, and they are ours.
  assert.ok(watch.errors.every((e) => /Content Security Policy|Failed to fetch/.test(e)), watch.errors.join("\n"));
  await context.close();
});

test("two thousand files load with a progress bar, every file accounted for", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-many-"));
  const template = JSON.parse(readFileSync(join(SAMPLES, "real/parsedmarc/rfc8460.json"), "utf8"));
  const paths = [];
  for (let i = 0; i < 2000; i++) {
    const path = join(dir, `report-${i}.json`);
    template["report-id"] = `many-${i % 1990}`; // the last 10 repeat earlier ids
    writeFileSync(path, JSON.stringify(template));
    paths.push(path);
  }
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.evaluate(() => {
    window.sawProgress = false;
    window.longestTask = 0;
    // Chromium attaching 2000 files to the input is one long task of its own: count from the
    // change event on, which is where the app's work starts.
    window.changeAt = Infinity;
    window.addEventListener("change", () => (window.changeAt = performance.now()), true);
    new MutationObserver(() => {
      if (document.querySelector("[data-testid=progress]")) window.sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= window.changeAt) window.longestTask = Math.max(window.longestTask, entry.duration);
      }
    }).observe({ type: "longtask" });
  });
  const start = Date.now();
  await page.setInputFiles("[data-testid=file-input]", paths);
  await waitForInputs(page, paths.length);
  const elapsed = Date.now() - start;
  assert.equal(await text(page, "[data-testid=overview-reports]"), "1,990");
  assert.equal(await text(page, "[data-testid=overview-inputs]"), "from 2,000 files: 10 duplicate");
  assert.equal(await text(page, "[data-testid=overview-successful-sessions]"), (5326 * 1990).toLocaleString("en-US"));
  assert.ok(await page.evaluate(() => window.sawProgress), "the progress bar was shown");
  const longest = await page.evaluate(() => window.longestTask);
  // A figure to watch, not a pass/fail threshold.
  console.log(`# figures: 2000 files read in ${elapsed} ms; longest main-thread task while loading ${longest.toFixed(0)} ms (0: none over 50 ms)`);
  assertPrivate(watch);
  await context.close();
});

test("every kind of bad input gets a clear reason while the good file loads", async () => {
  const { gzipSync } = await import("node:zlib");
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-bad-"));
  const write = (name, data) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const gz = readFileSync(join(SAMPLES, "attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz"));
  const member = gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  let junk = "[";
  while (junk.length < 12 << 20) junk += '"junk",12345,{"x":null},'.repeat(4096);
  const cases = [
    [write("empty.json", ""), /^the file is empty; save it again if it should hold a report$/],
    [write("binary.json", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 4, 5])), /^not a report: binary data starting with bytes 89 50 4e 47/],
    [write("truncated.json.gz", gz.subarray(0, 200)), /^truncated gzip/],
    [write("bomb.json.gz", Buffer.concat(Array(1024).fill(member))), /^gzip data decompresses to more than 16 MiB.*decompression bomb/],
    [write("latin1.json", Buffer.from('{"organization-name": "M\xfcller", "policies": []}', "latin1")), /^not valid UTF-8 text \(bad byte at offset 24\)/],
    [write("deep.json", "{\"a\":".repeat(100000) + "1" + "}".repeat(100000)), /^JSON nested too deeply/],
    [write("junk.json", junk + "0]"), /^valid JSON but not a TLS-RPT report: the top level is a list/],
    [write("syntax.json", '{\n  "policies": [\n    {"policy": }\n  ]\n}'), /^JSON syntax error at line 3, column 16/],
  ];
  const good = join(SAMPLES, "real/parsedmarc/rfc8460.json");
  const paths = [cases[0][0], cases[1][0], cases[2][0], good, ...cases.slice(3).map((c) => c[0])];

  const { page, context, watch } = await appWithFiles(paths);
  assert.equal(await text(page, "[data-testid=overview-reports]"), "1");
  assert.equal(await text(page, "[data-testid=overview-successful-sessions]"), "5,326");
  const rows = await inputRows(page);
  for (const [path, reason] of cases) {
    const name = path.split("/").pop();
    const row = rows.find((r) => r[0] === name);
    assert.ok(row, `${name} is listed`);
    assert.equal(row[1], "rejected", name);
    assert.match(row[2], reason, name);
  }
  assert.equal(rows.find((r) => r[0] === "rfc8460.json")[1], "loaded");
  await page.screenshot({ path: join(SHOTS, "08-bad-inputs.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});
