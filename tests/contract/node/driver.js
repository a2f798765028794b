// Drives the official Node SDK (@amplitude/analytics-node, pinned in package.json) against the
// served mock for tests/contract/test_node_sdk.py. Usage: node driver.js '<json config>'.
// Config: {serverUrl, adminUrl, apiKey, scenario, n, flushQueueSize}. Prints one JSON line:
// {"codes": {"200": n, ...}, "messages": {...}, "byId": {insert_id: code}}.
//
// The SDK pauses its whole queue for 30 s after a 429 with setTimeout(fn, throttleTimeout)
// (analytics-core lib/cjs/plugins/destination.js: `throttleTimeout = 30000`, `schedule()`).
// Rather than sleeping, this driver shares a virtual clock with the mock: a timer of exactly
// that length first moves the mock clock forward by 30 s (POST /_mock/clock) and then fires.
'use strict';
const http = require('http');
const amplitude = require('@amplitude/analytics-node');

const config = JSON.parse(process.argv[2]);
const THROTTLE_TIMEOUT_MS = 30000;

function advanceMock(seconds) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ advance_s: seconds });
    const req = http.request(`${config.adminUrl}/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

const realSetTimeout = global.setTimeout;
global.setTimeout = function shared(fn, ms, ...args) {
  if (ms === THROTTLE_TIMEOUT_MS) {
    return realSetTimeout(() => { advanceMock(ms / 1000).then(() => fn(...args)); }, 20);
  }
  return realSetTimeout(fn, ms, ...args);
};

function eventFor(i) {
  const id = `ins-${String(i).padStart(6, '0')}`;
  const options = { insert_id: id, user_id: `user-${String(i % 20).padStart(4, '0')}`,
    device_id: `device-${String(i % 20).padStart(4, '0')}` };
  const props = {};
  if (config.scenario === 'throttle') {
    options.user_id = 'user-hot1';
    options.device_id = 'device-hot1';
  } else if (config.scenario === 'invalid' && (i === 3 || i === 7)) {
    options.user_id = i === 3 ? 'abc' : 'null';
    delete options.device_id;
  } else if (config.scenario === 'oversize') {
    props.blob = 'x'.repeat(1000);
    props.more = Array(6).fill('y'.repeat(1000));
  }
  return { id, props, options };
}

(async () => {
  await amplitude.init(config.apiKey, {
    serverUrl: config.serverUrl,
    flushIntervalMillis: config.flushIntervalMillis || 100,
    flushQueueSize: config.flushQueueSize || 100,
    logLevel: 0,
  }).promise;
  const results = [];
  for (let i = 0; i < config.n; i += 1) {
    const e = eventFor(i);
    results.push(amplitude.track('Played', e.props, e.options).promise.then((r) => [e.id, r]));
  }
  const done = await Promise.all(results);
  const codes = {};
  const messages = {};
  const byId = {};
  for (const [id, r] of done) {
    codes[r.code] = (codes[r.code] || 0) + 1;
    messages[r.message] = (messages[r.message] || 0) + 1;
    byId[id] = r.code;
  }
  process.stdout.write(`${JSON.stringify({ codes, messages, byId })}\n`);
})().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
