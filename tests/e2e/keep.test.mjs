// "Keep in this browser": off by default; ticked, the inputs are stored in this origin's own
// IndexedDB and the next visit (a reload here) reads them again with a notice that says how
// much they take and how to forget them; Clear and unticking forget them; a full quota stores
// nothing, says why, and loses nothing loaded. Nothing is ever requested from elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLES, SHOTS, appWithFiles, assertPrivate, env, number, settled, text, useEnvironment, violations, waitForInputs } from "./helpers.mjs";

useEnvironment();

const REAL = join(SAMPLES, "real");
const GIVEN = [
  join(REAL, "parsedmarc/mail.ru.json"),
  join(REAL, "isseis-tlsrpt-digest/tlsrpt_failure.eml"),
];
const MORE = join(REAL, "cry-inc-dmarc-report-viewer/microsoft.json");

/** Whether the page asks before it is left: it cancels the `beforeunload` event. */
async function leaving(page) {
  return page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

/** What this origin's IndexedDB holds for the viewer: the stored inputs' names. */
async function storedNames(page) {
  return page.evaluate(
    async () => {
      // Opening a database that does not exist would make it (empty): look first.
      if (!(await indexedDB.databases()).some((db) => db.name === "tlsrpt-viewer-kept")) return [];
      return new Promise((resolve, reject) => {
        const open = indexedDB.open("tlsrpt-viewer-kept");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("inputs")) return resolve([]);
          const all = db.transaction("inputs").objectStore("inputs").getAll();
          all.onsuccess = () => resolve(all.result.map((r) => (r.demo ? "(demo)" : r.name)));
          all.onerror = () => reject(all.error);
        };
      });
    },
  );
}

async function reload(page) {
  await page.reload();
  await page.waitForSelector("[data-testid=welcome], [data-testid=overview-reports], [data-testid=restoring]");
}

test("kept inputs come back on the next visit, with a notice of their size and how to forget them", { timeout: 180_000 }, async () => {
  const { page, context, watch } = await appWithFiles(GIVEN);
  const reports = number(await text(page, "[data-testid=overview-reports]"));
  const box = page.locator("[data-testid=keep-local]");
  assert.equal(await box.isChecked(), false, "off by default");
  assert.equal(await leaving(page), true, "not kept: leaving asks first");
  assert.deepEqual(await storedNames(page), [], "nothing stored before the box is ticked");

  // Ticked after the load: what is loaded is stored.
  await box.check();
  const status = page.locator("[data-testid=keep-status]");
  await status.filter({ hasText: "Kept in this browser" }).waitFor();
  const kept = await status.innerText();
  assert.match(kept, /^Kept in this browser: 2 inputs \((\d[\d.]*) KiB\)/);
  assert.match(kept, /To forget them, untick “Keep in this browser” or press Clear\./);
  assert.deepEqual(await storedNames(page), ["mail.ru.json", "tlsrpt_failure.eml"]);
  assert.equal(await leaving(page), false, "kept: leaving loses nothing, so it asks nothing");

  // The next visit reads them again, and says so.
  await reload(page);
  await waitForInputs(page, 2);
  assert.equal(number(await text(page, "[data-testid=overview-reports]")), reports);
  const notice = await text(page, "[data-testid=kept-restored]");
  assert.match(notice, /^Restored from this browser: 2 inputs \(\d[\d.]* KiB\), stored in this browser's own storage for this page only and never sent anywhere/);
  assert.equal(await page.locator("[data-testid=keep-local]").isChecked(), true);
  await page.screenshot({ path: join(SHOTS, "keep-restored.png") });
  // The box and the notice, in both themes.
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} restored`)));
  }
  await page.emulateMedia({ colorScheme: "light" });
  assert.deepEqual(found, []);

  // A file given now is stored beside them.
  await page.setInputFiles("[data-testid=file-input]", [MORE]);
  await waitForInputs(page, 3);
  await status.filter({ hasText: "3 inputs" }).waitFor();
  assert.deepEqual(await storedNames(page), ["mail.ru.json", "tlsrpt_failure.eml", "microsoft.json"]);
  await reload(page);
  await waitForInputs(page, 3);
  assert.match(await text(page, "[data-testid=kept-restored]"), /3 inputs/);

  // Clear forgets them: the next visit opens on the welcome page.
  await page.click("[data-testid=clear]");
  await settled(page);
  assert.deepEqual(await storedNames(page), []);
  await reload(page);
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await page.locator("[data-testid=kept-restored]").count(), 0);

  // The box stays ticked after Clear: the next files are kept as they are given; unticking
  // forgets them.
  await page.setInputFiles("[data-testid=file-input]", [MORE]);
  await waitForInputs(page, 1);
  await status.filter({ hasText: "1 input " }).waitFor();
  assert.deepEqual(await storedNames(page), ["microsoft.json"]);
  await page.locator("[data-testid=keep-local]").uncheck();
  await page.waitForFunction(() => !document.querySelector("[data-testid=keep-status]"));
  assert.deepEqual(await storedNames(page), []);
  assert.equal(await leaving(page), true, "no longer kept: leaving asks again");
  await reload(page);
  await page.waitForSelector("[data-testid=welcome]");
  assertPrivate(watch);
  await context.close();
});

test("the demo reports are kept as the demo, and a page that preloads reports restores nothing", { timeout: 120_000 }, async () => {
  const { watchedPage } = await import("./browser.mjs");
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await page.click("[data-testid=load-demo]");
  // The load's end (its timing is set then).
  await page.waitForSelector(".app[data-load-ms]", { state: "attached" });
  await settled(page);
  const reports = await text(page, "[data-testid=overview-reports]");
  await page.locator("[data-testid=keep-local]").check();
  await page.locator("[data-testid=keep-status]").filter({ hasText: "1 input" }).waitFor();
  assert.deepEqual(await storedNames(page), ["(demo)"]);
  await reload(page);
  await page.waitForSelector("[data-testid=kept-restored]");
  // The demo loads in the worker as it did when clicked.
  await page.waitForSelector(".app[data-load-ms]", { state: "attached" });
  await settled(page);
  assert.equal(await text(page, "[data-testid=overview-reports]"), reports);
  // A documentation page's sample: shown as asked, the kept inputs left alone.
  await page.goto(`${env.server.url}?src=samples/rfc8460.json`).catch(() => {});
  await page.waitForSelector("[data-testid=overview-reports]");
  await settled(page);
  assert.equal(await page.locator("[data-testid=kept-restored]").count(), 0);
  assert.equal(await page.locator("[data-testid=keep-local]").count(), 0, "a sample is not offered to keep");
  assert.deepEqual(await storedNames(page), ["(demo)"], "still kept for a visit of one's own");
  assertPrivate(watch);
  await context.close();
});

test("a full quota stores nothing, says so, and loses nothing loaded", { timeout: 120_000 }, async () => {
  // A report of about 300 KB, against a quota of 64 KiB.
  const big = join(env.tmp, "big-report.json");
  const policies = Array.from({ length: 1200 }, (_, i) => ({
    policy: { "policy-type": "sts", "policy-domain": `shop-${i}.example`, "policy-string": ["version: STSv1", "mode: testing", `mx: mx.shop-${i}.example`, "max_age: 86400"] },
    summary: { "total-successful-session-count": 100, "total-failure-session-count": 1 },
    "failure-details": [{ "result-type": "certificate-expired", "receiving-mx-hostname": `mx.shop-${i}.example`, "failed-session-count": 1 }],
  }));
  writeFileSync(big, JSON.stringify({
    "organization-name": "Google LLC",
    "date-range": { "start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z" },
    "contact-info": "smtp-tls-reporting@google.com",
    "report-id": "big-one",
    policies,
  }));
  const { page, context, watch } = await appWithFiles([big]);
  const before = await text(page, "[data-testid=overview-failed-sessions]");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: env.server.origin, quotaSize: 64 * 1024 });
  // A click, not check(): the box may untick again before check() looks, as storing fails.
  await page.locator("[data-testid=keep-local]").click();
  const alert = page.locator("[data-testid=keep-status][role=alert]");
  await alert.waitFor();
  const message = await alert.innerText();
  assert.match(message, /^Not kept: this browser has no room left for this page's storage, and these inputs take \d+ KiB\. Everything loaded is still loaded in this tab; leaving or reloading the page will ask first\.$/);
  assert.equal(await page.locator("[data-testid=keep-local]").isChecked(), false);
  assert.deepEqual(await storedNames(page), [], "no part of it stored");
  assert.equal(await text(page, "[data-testid=overview-failed-sessions]"), before, "everything loaded still loaded");
  assert.equal(await leaving(page), true);
  await page.screenshot({ path: join(SHOTS, "keep-quota.png") });
  assert.deepEqual(await violations(page, "quota"), []);
  await reload(page);
  await page.waitForSelector("[data-testid=welcome]");
  assertPrivate(watch);
  await context.close();
});

test("kept inputs that cannot be read are kept still, and the page says so rather than forgetting them", { timeout: 120_000 }, async () => {
  const { watchedPage } = await import("./browser.mjs");
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await page.waitForSelector("[data-testid=welcome]");
  // The box was ticked on a visit, and the database is there without its store (as a broken
  // or foreign database would be).
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        localStorage.setItem("tlsrpt-viewer.keep", "1");
        const open = indexedDB.open("tlsrpt-viewer-kept", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("something-else");
        open.onsuccess = () => { open.result.close(); resolve(); };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.reload();
  const alert = page.locator("[data-testid=keep-status][role=alert]");
  await alert.waitFor();
  assert.match(await alert.innerText(), /^The inputs kept in this browser could not be read \(.+\)\. They are still stored: reload the page to try again, or untick “Keep in this browser” to forget them\.$/);
  assert.equal(await page.evaluate(() => localStorage.getItem("tlsrpt-viewer.keep")), "1", "the box stays ticked");
  assert.ok(await page.evaluate(async () => (await indexedDB.databases()).some((db) => db.name === "tlsrpt-viewer-kept")), "nothing deleted");
  assertPrivate(watch);
  await context.close();
});
