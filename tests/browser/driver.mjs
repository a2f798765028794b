// A tiny remote control of one headless Chromium for the pytest browser tests
// (tests/browser/conftest.py). Debian's /usr/bin/chromium driven by npm playwright-core:
// no browser is ever downloaded. Reads one JSON command per line on stdin, answers one JSON
// line on stdout: {"ok": true, "value": ...} or {"ok": false, "error": "..."}.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
let context = null;
let page = null;
const errors = [];

async function open({ width = 1280, height = 800 }) {
  if (context) await context.close();
  context = await browser.newContext({ viewport: { width, height } });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
}

const ops = {
  open,
  goto: ({ url }) => page.goto(url).then(() => page.url()),
  url: () => page.url(),
  click: ({ selector }) => page.locator(selector).first().click(),
  fill: ({ selector, value }) => page.locator(selector).first().fill(value),
  check: ({ selector }) => page.locator(selector).first().check(),
  focus: ({ selector }) => page.locator(selector).first().focus(),
  press: ({ key }) => page.keyboard.press(key),
  text: ({ selector }) => page.locator(selector).first().textContent(),
  texts: ({ selector }) => page.locator(selector).allTextContents(),
  visible: ({ selector }) => page.locator(selector).first().isVisible(),
  eval: ({ expression }) => page.evaluate(expression),
  // Waits until the page's own JavaScript condition holds (the page is never reloaded).
  wait: ({ expression, timeout = 15000 }) =>
    page.waitForFunction(expression, null, { timeout, polling: 100 }).then((h) => h.jsonValue()),
  screenshot: ({ path, fullPage = false }) => page.screenshot({ path, fullPage, type: "png" }),
  errors: () => errors.splice(0),
  close: async () => { await browser.close(); process.exit(0); },
};

const lines = createInterface({ input: process.stdin });
process.stdout.write(JSON.stringify({ ok: true, value: "ready" }) + "\n");
for await (const line of lines) {
  const { op, ...args } = JSON.parse(line);
  let reply;
  try {
    const value = await ops[op](args);
    reply = { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    reply = { ok: false, error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
await browser.close();
