// Drives the official browser SDK (@amplitude/analytics-browser, pinned in package.json) in
// headless Debian chromium (playwright-core, executablePath /usr/bin/chromium: no browser
// download) against the served mock, for tests/contract/test_browser_sdk.py.
// Usage: node driver.js '<json config>'. Config: {mockUrl, apiKey, events: [{insert_id,
// device_id, user_id}]}. Prints one JSON line: {"results": [{code, message}], "origin": ...}.
//
// The page comes from another origin: this driver serves it on its own port (0: a free one)
// with the SDK's published script build (lib/scripts/amplitude-min.js, from node_modules, no
// CDN), so every call to the mock is a cross-origin fetch with a CORS preflight.
//
// After a 429 the SDK pauses throttled events with setTimeout(fn, 30000) (analytics-core
// destination.js: `throttleTimeout = 30000`). As in ../node/driver.js, a timer of exactly that
// length first moves the mock clock forward 30 s (POST /_mock/clock) and then fires soon.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const config = JSON.parse(process.argv[2]);
const SDK = path.join(__dirname, '..', '..', '..', 'node_modules', '@amplitude',
  'analytics-browser', 'lib', 'scripts', 'amplitude-min.js');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];

const PAGE = '<!doctype html><html><head><script src="/amplitude-min.js"></script></head>'
  + '<body>currents-sim browser contract</body></html>';

function servePage() {
  const sdk = fs.readFileSync(SDK);
  const server = http.createServer((req, res) => {
    if (req.url === '/amplitude-min.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end(sdk);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(PAGE);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Runs in the page before any of its scripts: the 30 s throttle pause on the shared clock.
function sharedClock(adminUrl) {
  const realSetTimeout = window.setTimeout.bind(window);
  window.setTimeout = (fn, ms, ...args) => {
    if (ms === 30000) {
      return realSetTimeout(() => {
        fetch(`${adminUrl}/clock`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ advance_s: 30 }),
        }).then(() => fn(...args));
      }, 20);
    }
    return realSetTimeout(fn, ms, ...args);
  };
}

// Runs in the page: init the SDK offline (no remote config), track each event, await results.
async function trackAll(cfg) {
  const { amplitude } = window;
  await amplitude.init(cfg.apiKey, {
    serverUrl: `${cfg.mockUrl}/2/httpapi`,
    fetchRemoteConfig: false,
    remoteConfig: { fetchRemoteConfig: false },
    autocapture: false,
    flushIntervalMillis: 100,
    logLevel: 0,
  }).promise;
  const pending = cfg.events.map((e) => amplitude.track('Played', { source: 'browser' }, e).promise);
  const results = await Promise.all(pending);
  return results.map((r) => ({ code: r.code, message: r.message }));
}

(async () => {
  const server = await servePage();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript(sharedClock, `${config.mockUrl}/_mock`);
    await page.goto(`${origin}/`);
    const results = await page.evaluate(trackAll, config);
    process.stdout.write(`${JSON.stringify({ results, origin })}\n`);
  } finally {
    await browser.close();
    server.close();
  }
})().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
