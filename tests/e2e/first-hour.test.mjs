// A user's first hour: files that are not reports say so at once, where the findings would
// be; opening a domain is a step Back undoes without leaving the page; and leaving the page
// with one's own reports loaded asks first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLES, SHOTS, appWithFiles, assertPrivate, openFinding, settled, text, useEnvironment, violations } from "./helpers.mjs";

useEnvironment();

/** Files in a fresh folder, from name → content. */
function files(contents) {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-first-hour-"));
  return Object.entries(contents).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
}

/** One report a day for three days, each with a policy for every one of `count` domains. */
function portfolio(count) {
  const domains = Array.from({ length: count }, (_, i) => `shop-${i}.example`);
  const contents = {};
  for (let day = 1; day <= 3; day++) {
    const date = `2026-03-0${day}`;
    contents[`google-${date}.json`] = JSON.stringify({
      "organization-name": "Google LLC",
      "date-range": { "start-datetime": `${date}T00:00:00Z`, "end-datetime": `${date}T23:59:59Z` },
      "contact-info": "smtp-tls-reporting@google.com",
      "report-id": `google-${date}`,
      policies: domains.map((domain, i) => ({
        policy: { "policy-type": "sts", "policy-domain": domain, "policy-string": ["version: STSv1", "mode: testing", `mx: mx.${domain}`, "max_age: 86400"] },
        summary: { "total-successful-session-count": 100 + i, "total-failure-session-count": i % 3 },
        "failure-details": i % 3 ? [{ "result-type": "certificate-expired", "receiving-mx-hostname": `mx.${domain}`, "failed-session-count": i % 3 }] : [],
      })),
    });
  }
  return files(contents);
}

/** Whether the page asks before it is left: it cancels the `beforeunload` event. */
async function leaving(page) {
  return page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

test("files that are not reports: the Problems view says nothing was loaded, and why, not that every rule passed", { timeout: 120_000 }, async () => {
  const given = files({
    "dmarc-aggregate.xml": '<?xml version="1.0"?><feedback><report_metadata><org_name>example</org_name></report_metadata></feedback>',
    "empty.json": "",
  });
  const { page, context, watch } = await appWithFiles(given);
  const line = await text(page, "[data-testid=problems-count]");
  assert.equal(line, "No report was loaded: none of the 2 files given holds a TLS report, so nothing was checked.");
  assert.doesNotMatch(line, /every rule passed/);
  // On the first screen: the notice, with each file and why; the focus is on it.
  const alert = page.locator("[data-testid=load-alert]");
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "load-alert");
  assert.equal(await text(page, "[data-testid=load-alert] .load-alert-title"), "No report was loaded: none of the 2 files given holds a TLS report.");
  const listed = await text(page, "[data-testid=load-alert-list]");
  assert.match(listed, /dmarc-aggregate\.xml: \S/);
  assert.match(listed, /empty\.json: \S/);
  await page.setViewportSize({ width: 1280, height: 800 });
  const box = await alert.boundingBox();
  assert.ok(box.y + box.height <= 800, `the notice is on the first screen: ${JSON.stringify(box)}`);
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} load notice`)));
  }
  assert.deepEqual(found, []);
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: join(SHOTS, "nothing-loaded.png") });
  await page.click("[data-testid=load-alert-inputs]");
  await settled(page);
  assert.equal(await page.locator("[data-testid=tab-inputs]").getAttribute("aria-selected"), "true");
  assertPrivate(watch);
  await context.close();
});

test("reports and a file that is not one: the reports load, and a notice on the first screen names the other and why", { timeout: 120_000 }, async () => {
  const given = [
    join(SAMPLES, "real/parsedmarc/rfc8460.json"),
    ...files({ "dmarc-aggregate.xml": '<?xml version="1.0"?><feedback></feedback>' }),
  ];
  const { page, context, watch } = await appWithFiles(given);
  assert.equal(await text(page, "[data-testid=load-alert] .load-alert-title"), "1 input was set aside; every other input loaded.");
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "load-alert");
  assert.match(await text(page, "[data-testid=load-alert-list]"), /^dmarc-aggregate\.xml: \S/);
  assert.doesNotMatch(await text(page, "[data-testid=problems-count]"), /No report was loaded/);
  const box = await page.locator("[data-testid=load-alert]").boundingBox();
  assert.ok(box.y + box.height <= 900, JSON.stringify(box));
  await page.screenshot({ path: join(SHOTS, "load-alert.png") });
  // A clean load says nothing of the kind.
  const clean = await appWithFiles([join(SAMPLES, "real/parsedmarc/rfc8460.json")]);
  assert.equal(await clean.page.locator("[data-testid=load-alert]").count(), 0);
  await clean.page.waitForFunction(() => document.activeElement?.id === "problems-title");
  await clean.context.close();
  assertPrivate(watch);
  await context.close();
});

test("opening a domain from the table is a step: Back returns to every domain, with the reports still loaded; leaving asks first", { timeout: 180_000 }, async () => {
  const given = portfolio(8);
  const { page, context, watch } = await appWithFiles(given);
  await page.waitForSelector("[data-testid=domains-table]");
  // On a phone each domain is a card: its name across the top, the figures below it.
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  const overlaps = await page.locator("[data-testid=domains-table] tbody tr").evaluateAll((rows) => rows.slice(0, 3).map((row) => {
    const name = row.querySelector("th").getBoundingClientRect();
    const first = row.querySelector("td").getBoundingClientRect();
    return name.bottom > first.top + 1 || name.right > row.getBoundingClientRect().right + 1;
  }));
  assert.deepEqual(overlaps, [false, false, false], "the domain's name sits above its figures");
  await page.locator("[data-testid=domains-table]").screenshot({ path: join(SHOTS, "domains-phone.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await settled(page);
  const before = page.url();
  await page.click("[data-testid=domain-row-shop-4-example] [data-testid=domain-open]");
  await settled(page);
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-4\.example/);
  await page.goBack();
  await settled(page);
  assert.equal(page.url(), before, "still this page");
  assert.match(await text(page, "[data-testid=filter-summary]"), /Filters: none/);
  assert.match(await text(page, "[data-testid=overview-inputs]"), /^from 3 files/);
  await page.waitForSelector("[data-testid=domains-table]");
  // Forward opens the domain again.
  await page.goForward();
  await settled(page);
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-4\.example/);
  // Opening a tab is a step too: Back returns to the tab before, with the same filter.
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  await page.goBack();
  await settled(page);
  assert.equal(await page.locator("[data-testid=tab-problems]").getAttribute("aria-selected"), "true");
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-4\.example/);
  // "← All domains" leads back to every domain, and is a step Back undoes too.
  assert.equal(await page.locator("[data-testid=all-domains]").innerText(), "← All domains");
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} one domain open`)));
  }
  await page.emulateMedia({ colorScheme: "light" });
  assert.deepEqual(found, []);
  await page.click("[data-testid=all-domains]");
  await settled(page);
  assert.match(await text(page, "[data-testid=filter-summary]"), /Filters: none/);
  await page.waitForSelector("[data-testid=domains-table]");
  assert.equal(await page.locator("[data-testid=all-domains]").count(), 0, "no way back needed with every domain shown");
  await page.goBack();
  await settled(page);
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-4\.example/);
  assert.equal(page.url(), before, "still this page");
  // Closing the tab (or reloading it) with one's own reports loaded asks first: the page
  // cancels the unload, which makes the browser ask. (The question itself is the browser's;
  // headless Chromium's own dialog for it closes the browser, so the event is sent here.)
  assert.equal(await leaving(page), true);
  await page.click("[data-testid=clear]");
  await settled(page);
  assert.equal(await leaving(page), false, "nothing loaded: no question");
  assertPrivate(watch);
  await context.close();
});

test("the demo reports, or none at all, leave without a question", { timeout: 120_000 }, async () => {
  const { watchedPage } = await import("./browser.mjs");
  const { env, openApp } = await import("./helpers.mjs");
  const { page, context } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.click("[data-testid=load-demo]");
  await page.waitForSelector("[data-testid=progress]", { state: "detached" });
  await settled(page);
  assert.match(await page.locator("[data-testid=overview-reports]").innerText(), /[1-9]/);
  assert.equal(await leaving(page), false);
  await context.close();
});

test("files chosen while the page turns are read: Clear empties the page at once, and a chooser opened before it still hands its files over", { timeout: 180_000 }, async () => {
  const { waitForInputs } = await import("./helpers.mjs");
  const first = [join(SAMPLES, "real/parsedmarc/mail.ru.json")];
  const second = [join(SAMPLES, "real/cry-inc-dmarc-report-viewer/google.json"), join(SAMPLES, "real/parsedmarc/mail.ru.json")];
  const { page, context, watch } = await appWithFiles(first);
  // The chooser the header's "Choose files" opens, as the user opened it before pressing
  // Clear: picked after the page turned to the welcome, its files are read all the same.
  const chooser = await page.$("[data-testid=file-input]");
  await page.click("[data-testid=clear]");
  await page.waitForSelector("[data-testid=welcome]");
  await chooser.setInputFiles(second);
  await waitForInputs(page, second.length);
  assert.ok(await chooser.evaluate((input) => input.isConnected), "the page's file input is the same element");
  // Clear, then files chosen at once, again and again: each load is read and counted, and no
  // answer of the session Clear ended comes back.
  for (let round = 0; round < 8; round++) {
    await page.click("[data-testid=clear]");
    assert.equal(await page.locator("[data-testid=overview-inputs]").count(), 0, `round ${round}: the figures are gone with Clear`);
    const files = round % 2 ? first : second;
    await page.setInputFiles("[data-testid=file-input]", files);
    await waitForInputs(page, files.length);
  }
  assertPrivate(watch);
  await context.close();
});

test("the keyboard: focus lands in the page after a load, a skip link, arrow keys between tabs, a drill-down that keeps and returns the focus", { timeout: 180_000 }, async () => {
  const { page, context, watch } = await appWithFiles(portfolio(8));
  const focused = () => page.evaluate(() => {
    const active = document.activeElement;
    return active?.id || active?.dataset?.testid || active?.tagName;
  });
  // After the load the focus is on the open view's heading (no input was set aside), not on
  // the document.
  await page.waitForFunction(() => document.activeElement?.id === "problems-title");
  // The skip link comes first, and leads to the tabs (the open one).
  const first = await page.evaluate(() => document.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])")?.dataset.testid);
  assert.equal(first, "skip-link", "the first stop of the page");
  await page.focus("[data-testid=skip-link]");
  const shown = await page.locator("[data-testid=skip-link]").boundingBox();
  assert.ok(shown.y >= 0, "in sight once focused");
  await page.keyboard.press("Enter");
  assert.equal(await focused(), "tab-button-problems");
  // The tabs are one stop; the arrow keys, Home and End move between them and open them.
  await page.focus("[data-testid=tab-problems]");
  await page.keyboard.press("ArrowRight");
  await settled(page);
  assert.equal(await focused(), "tab-button-timeline");
  assert.equal(await page.locator("[data-testid=tab-timeline]").getAttribute("aria-selected"), "true");
  await page.keyboard.press("End");
  assert.equal(await focused(), "tab-button-inputs");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focused(), "tab-button-problems", "round from the last to the first");
  assert.equal(await page.locator("[data-testid=tab-timeline]").getAttribute("tabindex"), "-1");
  await settled(page);
  // A drill-down keeps the focus while open, and gives it back to what opened it.
  await page.focus("[data-testid=overview-reports-list]");
  await page.keyboard.press("Enter");
  await page.waitForSelector("[data-testid=drill] [data-testid=drill-close]");
  await page.waitForSelector("[data-testid=drill-waiting]", { state: "detached" });
  for (let i = 0; i < 40; i++) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => !!document.activeElement.closest("[data-testid=drill]")), true, "Tab stays in the panel");
  for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => !!document.activeElement.closest("[data-testid=drill]")), true, "and Shift+Tab too");
  await page.keyboard.press("Escape");
  await page.waitForSelector("[data-testid=drill]", { state: "detached" });
  assert.equal(await focused(), "overview-reports-list");
  assertPrivate(watch);
  await context.close();
});

test("a shared link with a filter says on the welcome page that its filter waits for the reports, then applies it, on the tab it names", { timeout: 120_000 }, async () => {
  const { watchedPage } = await import("./browser.mjs");
  const { env, waitForInputs } = await import("./helpers.mjs");
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(`${env.server.url}#domain=shop-4.example&tab=timeline`);
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await text(page, "[data-testid=filter-waiting]"), "This link sets a filter (domain shop-4.example) and opens the Timeline tab: both apply to the reports you load.");
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} welcome with a shared link`)));
  }
  assert.deepEqual(found, []);
  const given = portfolio(8);
  await page.setInputFiles("[data-testid=file-input]", given);
  await waitForInputs(page, given.length);
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-4\.example/);
  // The link named the tab too, and a link made here names it again.
  assert.equal(await page.locator("[data-testid=tab-timeline]").getAttribute("aria-selected"), "true");
  await page.click("[data-testid=link-to-view]");
  assert.match(await page.locator("[data-testid=view-link]").inputValue(), /#domain=shop-4\.example&tab=timeline$/);
  assertPrivate(watch);
  await context.close();
});

test("a finding shows that it opens, and each command and host in its fix has a button that copies it", { timeout: 120_000 }, async () => {
  // Three domains: a finding per domain, each with its own fix steps.
  const { page, context, watch } = await appWithFiles(portfolio(3));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  const card = page.locator("[data-testid=findings] > li").filter({ hasText: "certificate" }).first();
  const chevron = () => card.locator("summary").evaluate((summary) => getComputedStyle(summary, "::before").transform);
  // With three findings or fewer the most severe is open by itself: close it to begin.
  if (await card.locator("details").evaluate((d) => d.open)) {
    await card.locator("summary").click();
    await page.waitForFunction((el) => !el.open, await card.locator("details").elementHandle());
  }
  const closed = await chevron();
  await openFinding(page, card);
  assert.notEqual(await chevron(), closed, "the chevron turns when the card opens");
  const command = card.locator("[data-testid=finding-fix] code").filter({ hasText: "openssl" }).first();
  const wanted = await command.innerText();
  await card.locator("[data-testid=copy-command]").first().click();
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=copy-command]")].some((b) => b.textContent === "Copied"));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), wanted);
  // The hosts the steps name can be copied too, and none is a link.
  const name = card.locator("[data-testid=copy-name]").first();
  const host = await name.evaluate((button) => button.previousElementSibling.textContent);
  assert.match(host, /^mx\.shop-\d+\.example$/);
  await name.click();
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=copy-name]")].some((b) => b.textContent === "Copied"));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), host);
  assert.equal(await card.locator("[data-testid=finding-fix] a").count(), 0);
  await card.screenshot({ path: join(SHOTS, "finding-copy.png") });
  assertPrivate(watch);
  await context.close();
});
