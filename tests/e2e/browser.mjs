// Launches Debian's Chromium through playwright-core (no browser download), and watches a page
// for requests to other origins, console errors and Content-Security-Policy violations.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A new page that records every request it makes and every error it logs. */
export async function watchedPage(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const watch = { requests: [], foreign: [], errors: [] };
  page.on("request", (request) => {
    const url = request.url();
    watch.requests.push(url);
    if (!url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("blob:")) {
      watch.foreign.push(url);
    }
  });
  page.on("console", (message) => {
    if (message.type() === "error") watch.errors.push(message.text());
  });
  page.on("pageerror", (error) => watch.errors.push(String(error)));
  return { page, context, watch };
}
