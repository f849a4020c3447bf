// End-to-end tests of reports as they arrive: a mailbox, emails and a zip shown as a tree; a
// folder of a few hundred mixed files, chosen and dropped; pasted text; a large mailbox read
// without freezing the page. Figures are checked against `cargo run --example summarize`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { watchedPage } from "./browser.mjs";
import {
  env, useEnvironment, SAMPLES, SHOTS, text, openApp, waitForInputs, appWithFiles,
  assertPrivate, assertViewsMatch, summarize,
} from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

const EMAILS = [
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
  "real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml",
  "real/isseis-tlsrpt-digest/tlsrpt_success_google_2.eml",
  "real/isseis-tlsrpt-digest/tlsrpt_success_microsoft.eml",
  "real/parsedmarc/google.com_smtp_tls_report.eml",
  "real/robalexdev-tlsrpt-be/test.eml",
];
const NOT_A_REPORT = "From: admin@example.com\nSubject: about the reports\n\nHello,\nFrom now on, see the viewer.\n";

/** A mailbox (mboxrd) of the given messages. */
function mailbox(messages) {
  return messages
    .map((message) => {
      const body = message.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1");
      return `From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n${body.replace(/\n*$/, "\n")}\n`;
    })
    .join("");
}

/** A zip archive of [name, bytes] entries, made by Python's zipfile. */
function zip(path, entries) {
  const script =
    "import base64, json, sys, zipfile\n" +
    "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n" +
    "    for name, data in json.load(sys.stdin):\n" +
    "        z.writestr(name, base64.b64decode(data))\n";
  const input = JSON.stringify(entries.map(([name, bytes]) => [name, Buffer.from(bytes).toString("base64")]));
  execFileSync("python3", ["-c", script, path], { input });
  return path;
}

function write(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

const sample = (relative) => readFileSync(join(SAMPLES, relative));
const n = (count) => count.toLocaleString("en-US");

/** The report-bearing outcome of a summarize node: loaded and duplicate are both "report". */
const kindOf = (outcome) => (outcome.kind === "loaded" || outcome.kind === "duplicate" ? "report" : outcome.kind);

test("a mailbox, an email and a zip archive show as a tree, every piece accounted for", async () => {
  const mbox = write(join(env.tmp, "tree/Inbox.mbox"), mailbox([...EMAILS.map((e) => sample(e).toString("utf8")), NOT_A_REPORT]));
  const eml = join(SAMPLES, "real/isseis-tlsrpt-digest/tlsrpt_success_microsoft.eml");
  const archive = zip(join(env.tmp, "tree/reports.zip"), [
    ["emails/google.eml", sample("real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml")],
    ["rfc8460.json", sample("real/parsedmarc/rfc8460.json")],
    ["README.txt", Buffer.from("Reports for example.com\n")],
  ]);
  const paths = [mbox, eml, archive];
  const summary = summarize(paths);
  const { page, context, watch } = await appWithFiles(paths);
  await assertViewsMatch(page, summary);
  // By hand: the mailbox gives 6 reports and a message without a report; the email file and
  // the zip's email repeat mailbox reports, the zip's rfc8460.json repeats the report-id of
  // test.eml's attachment, and its README.txt is no report.
  assert.equal(await text(page, "[data-testid=overview-inputs]"), "from 3 files, 9 emails: 3 duplicate, 1 rejected, 1 without a report");

  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  assert.equal(
    await text(page, "[data-testid=inputs-summary]"),
    "3 files, 9 emails: 6 reports loaded, 3 duplicate, 1 rejected; 1 email without a report.",
  );
  const counts = summary["input-counts"];
  assert.deepEqual([counts.files, counts.messages, counts.loaded, counts.duplicates], [3, 9, 6, 3]);

  // The mailbox and its seven messages, open by default.
  const row = (path) => page.locator(`[data-testid="input-row-${path}"]`);
  assert.equal(await row("0").getAttribute("data-outcome"), "unpacked");
  assert.equal(await text(page, '[data-testid="input-row-0"] [data-col=reason]'), summary.inputs[0].message);
  assert.equal(await text(page, '[data-testid="input-row-0"] [data-col=reason]'), "7 messages: 6 reports loaded; 1 message without a report");
  for (let i = 0; i < 7; i++) assert.equal(await row(`0-${i}`).getAttribute("data-role"), "message");
  assert.equal(
    await text(page, '[data-testid="input-row-0-0"] .email-subject'),
    "Report Domain: example.com Submitter: google.com Report-ID: <2026.05.12T00.00.00Z+example.com@google.com>",
  );
  assert.match(await text(page, '[data-testid="input-row-0-0"] [data-col=email]'), /TLS-Report-Domain example\.com · Submitter google\.com/);
  assert.equal(await text(page, '[data-testid="input-row-0-0-0"] [data-col=format]'), "application/tlsrpt+gzip → gzip → JSON");
  assert.equal(await row("0-0-0").getAttribute("data-outcome"), "loaded");
  assert.equal(await row("0-6").getAttribute("data-outcome"), "rejected");
  assert.match(await text(page, '[data-testid="input-row-0-6"] [data-col=reason]'), /^email has no TLS-RPT attachment: it holds only text\/plain body/);

  // The same report in the mailbox and as an email file counts once, and says where it was first.
  assert.equal(await row("1-0").getAttribute("data-outcome"), "duplicate");
  assert.match(await text(page, '[data-testid="input-row-1-0"] [data-col=reason]'), /was already loaded from Inbox\.mbox › message 4 › /);
  // Inside the zip: an email, a report and a text file, with the text file's reason.
  assert.equal(await row("2-0").getAttribute("data-role"), "entry");
  assert.equal(await row("2-0-0").getAttribute("data-outcome"), "duplicate");
  assert.equal(await row("2-1").getAttribute("data-outcome"), "duplicate");
  assert.match(await text(page, '[data-testid="input-row-2-2"] [data-col=reason]'), /^not a report: text starting with "Reports for example\.com"/);
  await page.screenshot({ path: join(SHOTS, "09-inputs-tree.png"), fullPage: true });

  // A container closes and opens again; the rows around it are patched, not drawn anew (the
  // tree is a keyed list): the zip's rows stay the very elements they were.
  const mark = () => page.evaluate(() => {
    for (const path of ["2", "2-1", "1-0"]) document.querySelector(`[data-testid="input-row-${path}"]`).keptMark = path;
  });
  const kept = () => page.evaluate(() =>
    ["2", "2-1", "1-0"].filter((path) => document.querySelector(`[data-testid="input-row-${path}"]`)?.keptMark === path));
  await mark();
  await page.click('[data-testid="toggle-0"]');
  assert.equal(await row("0-0").count(), 0);
  assert.equal(await page.getAttribute('[data-testid="toggle-0"]', "aria-expanded"), "false");
  assert.deepEqual(await kept(), ["2", "2-1", "1-0"]);
  await page.click('[data-testid="toggle-0"]');
  assert.equal(await row("0-6").count(), 1);
  assert.deepEqual(await kept(), ["2", "2-1", "1-0"]);
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: join(SHOTS, "11-inputs-tree-narrow.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});

/** A folder of a few hundred mixed files: reports, gzip, emails, a mailbox, a zip, clutter. */
function mixedFolder(root) {
  const template = JSON.parse(sample("real/parsedmarc/rfc8460.json").toString("utf8"));
  const organizations = ["Company-X", "Example Sender", "Another Reporter"];
  for (let i = 0; i < 250; i++) {
    const report = { ...template, "organization-name": organizations[i % 3], "report-id": `folder-${i % 240}` };
    // The last ten repeat earlier ids with the same content: duplicates.
    if (i >= 240) report["organization-name"] = organizations[(i - 240) % 3];
    write(join(root, `reports/json/${String(Math.floor(i / 50))}/report-${String(i).padStart(3, "0")}.json`), JSON.stringify(report, null, i % 2 ? 2 : 0));
  }
  for (let i = 0; i < 20; i++) {
    const report = { ...template, "report-id": `gz-${i}` };
    write(join(root, `reports/gz/report-${i}.json.gz`), gzipSync(JSON.stringify(report)));
  }
  const emails = EMAILS;
  for (const email of emails) copyFileSync(join(SAMPLES, email), write(join(root, "emails", email.split("/").pop()), ""));
  write(join(root, "mail/Inbox.mbox"), mailbox([...emails.map((e) => sample(e).toString("utf8")), NOT_A_REPORT]));
  zip(join(root, "archive.zip"), [
    ["a/mail.ru.json", sample("real/parsedmarc/mail.ru.json")],
    ["a/google.json.gz", gzipSync(sample("real/phi-ag-mta-sts-exporter/google.json"))],
  ]);
  const gz = sample("attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz");
  write(join(root, "broken/cut.json.gz"), gz.subarray(0, 100));
  write(join(root, "broken/notes.txt"), "Dear admin,\nthe reports are attached.\n");
  write(join(root, "broken/empty.json"), "");
  write(join(root, "broken/dmarc.xml"), '<?xml version="1.0"?>\n<feedback><report_metadata/></feedback>\n');
  write(join(root, ".DS_Store"), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
  write(join(root, "a/b/c/d/deep.json"), JSON.stringify({ ...template, "report-id": "deep" }));
  return 250 + 20 + emails.length + 1 + 1 + 4 + 1 + 1;
}

/** Checks the page's Inputs view against summarize for a folder, name by name. */
async function assertFolderAccounted(page, folder, parent, fileCount) {
  const summary = summarize([folder]);
  await assertViewsMatch(page, summary);
  const counts = summary["input-counts"];
  assert.equal(counts.files, fileCount);
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  // Long lists come 200 inputs at a time.
  while (await page.locator("[data-testid=inputs-more]").count()) {
    await page.click("[data-testid=inputs-more]");
    await settled(page);
  }
  const rows = await page.locator("[data-testid=inputs-table] tbody tr.depth-0").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("[data-col=name] .mono").textContent, tr.dataset.outcome]),
  );
  assert.equal(rows.length, fileCount, "one row per file");
  const expected = new Map(summary.inputs.map((input) => [input.name.slice(parent.length + 1), kindOf(input.outcome)]));
  for (const [name, outcome] of rows) {
    assert.ok(expected.has(name), `${name} is a file of the folder`);
    assert.equal(outcome === "loaded" || outcome === "duplicate" ? "report" : outcome, expected.get(name), name);
  }
  assert.equal(new Set(rows.map((r) => r[0])).size, fileCount, "no file twice");
  const emailPart = counts.messages ? `, ${counts.messages} emails` : "";
  const rejected = counts.rejected - counts["messages-without-report"];
  assert.equal(
    await text(page, "[data-testid=inputs-summary]"),
    `${n(counts.files)} files${emailPart}: ${n(counts.loaded)} reports loaded, ${n(counts.duplicates)} duplicate, ${n(rejected)} rejected; ` +
      `${n(counts["messages-without-report"])} email without a report.`,
  );
  return counts;
}

test("a folder of a few hundred mixed files, chosen with Choose folder, is read whole", async () => {
  const parent = join(env.tmp, "chosen");
  const folder = join(parent, "mixed");
  const fileCount = mixedFolder(folder);
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  assert.equal(await page.getAttribute("[data-testid=folder-input]", "webkitdirectory"), "");
  await page.setInputFiles("[data-testid=folder-input]", folder);
  await waitForInputs(page, fileCount);
  const counts = await assertFolderAccounted(page, folder, parent, fileCount);
  assert.equal(counts.rejected - counts["messages-without-report"], 5, "4 broken files and .DS_Store");
  assert.match(await text(page, '[data-testid=inputs-table] tr[data-testid^="input-row"]:has-text(".DS_Store") [data-col=reason]'), /macOS folder settings/);
  assert.match(await text(page, '[data-testid=inputs-table] tr:has-text("dmarc.xml") [data-col=reason]'), /^a DMARC aggregate report \(XML\)/);
  await page.screenshot({ path: join(SHOTS, "10-folder-inputs.png") });
  assertPrivate(watch);
  await context.close();
});

test("a folder of two thousand files dropped on the page is read recursively", async () => {
  const parent = join(env.tmp, "dropped");
  const folder = join(parent, "mixed");
  let fileCount = mixedFolder(folder);
  // Thousands of files: the browser lists a folder 100 entries at a time.
  const template = JSON.parse(sample("real/phi-ag-mta-sts-exporter/google.json").toString("utf8"));
  for (let i = 0; i < 1800; i++) {
    write(join(folder, `bulk/${String(Math.floor(i / 600))}/r${i}.json`), JSON.stringify({ ...template, "report-id": `bulk-${i}` }));
  }
  fileCount += 1800;
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  // Chromium's own drag and drop of a real folder, as a file manager does it.
  const cdp = await context.newCDPSession(page);
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ["dragEnter", "dragOver", "drop"]) {
    await cdp.send("Input.dispatchDragEvent", { type, x: 400, y: 300, data });
  }
  await waitForInputs(page, fileCount);
  await assertFolderAccounted(page, folder, parent, fileCount);
  assertPrivate(watch);
  await context.close();
});

test("JSON pasted with Ctrl+V loads like a file, and other text is refused with a reason", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.origin });
  await openApp(page);
  const paste = async (textToPaste) => {
    await page.evaluate((t) => navigator.clipboard.writeText(t), textToPaste);
    await page.keyboard.press("Control+V");
  };
  await paste(sample("real/parsedmarc/mail.ru.json").toString("utf8"));
  await waitForInputs(page, 1);
  assert.equal(await text(page, "[data-testid=overview-organizations]"), "Mail.ru");
  assert.equal(await text(page, "[data-testid=overview-failed-sessions]"), "1");
  await paste("Thanks for the report!");
  await waitForInputs(page, 2);
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  assert.equal(await text(page, '[data-testid="input-row-0"] [data-col=name]'), "pasted text 1");
  assert.equal(await page.getAttribute('[data-testid="input-row-0"]', "data-outcome"), "loaded");
  assert.equal(await text(page, '[data-testid="input-row-1"] [data-col=name]'), "pasted text 2");
  assert.match(await text(page, '[data-testid="input-row-1"] [data-col=reason]'), /^not a report: text starting with "Thanks for the report!"/);
  // The same report pasted again is a duplicate of the first paste.
  await paste(sample("real/parsedmarc/mail.ru.json").toString("utf8"));
  await waitForInputs(page, 3);
  assert.match(await text(page, '[data-testid="input-row-2"] [data-col=reason]'), /already loaded from pasted text 1$/);
  assertPrivate(watch);
  await context.close();
});

test("a mailbox of two thousand report emails is read in slices with progress", async () => {
  const template = JSON.parse(sample("real/parsedmarc/rfc8460.json").toString("utf8"));
  const messages = [];
  for (let i = 0; i < 2000; i++) {
    const report = JSON.stringify({ ...template, "report-id": `mbox-${i}` });
    messages.push(
      `From: tlsrpt@mail.sender.example.com\nSubject: Report Domain: example.com Submitter: sender Report-ID: <mbox-${i}>\n` +
        `TLS-Report-Domain: example.com\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary="b"\n\n` +
        `--b\nContent-Type: text/plain\n\nA report.\n--b\nContent-Type: application/tlsrpt+gzip\nContent-Transfer-Encoding: base64\n` +
        `Content-Disposition: attachment; filename="r${i}.json.gz"\n\n${gzipSync(report).toString("base64").replace(/.{76}/g, "$&\n")}\n--b--\n`,
    );
  }
  const path = write(join(env.tmp, "big/Archive.mbox"), mailbox(messages));
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  await page.evaluate(() => {
    window.progressLines = [];
    window.longestTask = 0;
    window.changeAt = Infinity;
    window.addEventListener("change", () => (window.changeAt = performance.now()), true);
    new MutationObserver(() => {
      const line = document.querySelector("[data-testid=progress]")?.textContent;
      if (line) window.progressLines.push(line);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= window.changeAt) window.longestTask = Math.max(window.longestTask, entry.duration);
      }
    }).observe({ type: "longtask" });
  });
  const start = Date.now();
  await page.setInputFiles("[data-testid=file-input]", [path]);
  await waitForInputs(page, 1);
  const elapsed = Date.now() - start;
  assert.equal(await text(page, "[data-testid=overview-reports]"), "2,000");
  assert.equal(await text(page, "[data-testid=overview-inputs]"), "from 1 file, 2,000 emails");
  const lines = await page.evaluate(() => window.progressLines);
  assert.ok(lines.some((line) => /items in Archive\.mbox/.test(line)), `progress inside the mailbox: ${lines.slice(0, 3)}`);
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  // 2,000 messages start closed; the mailbox row says what it held.
  assert.equal(await page.getAttribute('[data-testid="toggle-0"]', "aria-expanded"), "false");
  assert.equal(await text(page, '[data-testid="input-row-0"] [data-col=reason]'), "2,000 messages: 2,000 reports loaded");
  const longest = await page.evaluate(() => window.longestTask);
  console.log(`# figures: a 2,000-message mailbox (${(readFileSync(path).length / 1e6).toFixed(1)} MB) read in ${elapsed} ms; longest main-thread task ${longest.toFixed(0)} ms (0: none over 50 ms)`);
  assertPrivate(watch);
  await context.close();
});
