// currents-sim sandbox dashboard: plain JavaScript, no build step, no CDN.
// Live data comes from /_mock/stream (Server-Sent Events); views and controls call /_mock/*.
"use strict";

const OUTCOMES = ["ingested", "throttled", "quota_exceeded", "invalid", "deduplicated",
  "unauthorized", "payload_too_large"];
const CHARTED = ["ingested", "throttled", "quota_exceeded", "invalid", "deduplicated"];
const FILTER_FIELDS = ["api_key", "user_id", "device_id", "event_type"];
const MAX_ROWS = 200;
const $ = (id) => document.getElementById(id);
const state = { key: "", filters: {}, from: "", to: "", before: null, source: null,
  requests: new Map(), tick: 0, lastTotals: "" };

// -- small helpers ------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}
const color = (outcome) => `var(--${outcome})`;
const iso = (ms) => new Date(ms).toISOString().replace("T", " ").replace(".000Z", "Z");
const split = (text) => text.split(",").map((v) => v.trim()).filter(Boolean);

// With `serve --admin-token`, open the page as /#token=TOKEN: the token is kept for this tab
// (sessionStorage), dropped from the address bar, and sent as a Bearer header on every call.
function adminToken() {
  const given = new URLSearchParams(location.hash.slice(1)).get("token");
  if (given) {
    sessionStorage.setItem("currents-sim-token", given);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("currents-sim-token") || "";
}
const TOKEN = adminToken();
const auth = () => (TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {});

async function api(method, path, body) {
  const init = { method, headers: auth() };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status}`);
  return data;
}

function say(text, ok = true) {
  const out = $("control-result");
  out.textContent = text;
  out.className = "status " + (ok ? "ok" : "down");
}

// -- the view's URL (shareable): ?key=&api_key=&user_id=&...&outcome=&from=&to= -------------
function readUrl() {
  const params = new URLSearchParams(location.search);
  state.key = params.get("key") || "";
  state.filters = {};
  for (const name of [...FILTER_FIELDS, "outcome"]) {
    const values = params.getAll(name).flatMap(split);
    if (values.length) state.filters[name] = values;
  }
  state.from = params.get("from") || "";
  state.to = params.get("to") || "";
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.key) params.set("key", state.key);
  for (const [name, values] of Object.entries(state.filters)) params.set(name, values.join(","));
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function fillForms() {
  $("key").value = state.key;
  const form = $("filters");
  for (const name of FILTER_FIELDS) form.elements[name].value = (state.filters[name] || []).join(", ");
  for (const box of form.querySelectorAll("input[name=outcome]")) {
    box.checked = (state.filters.outcome || []).includes(box.value);
  }
  form.elements.from.value = state.from;
  form.elements.to.value = state.to;
  $("keys-form").elements.key.placeholder = state.key || "a key";
}

// -- journal ------------------------------------------------------------------------------
function journalQuery(before) {
  const params = new URLSearchParams({ limit: "100" });
  const filters = { ...state.filters };
  if (state.key && !filters.api_key) filters.api_key = [state.key];
  for (const [name, values] of Object.entries(filters)) params.set(name, values.join(","));
  if (state.from) params.set("from_ms", String(Date.parse(state.from + "Z")));
  if (state.to) params.set("to_ms", String(Date.parse(state.to + "Z")));
  if (before) params.set("before", String(before));
  return params;
}

function matches(entry) {
  const filters = { ...state.filters };
  if (state.key && !filters.api_key) filters.api_key = [state.key];
  for (const [name, values] of Object.entries(filters)) {
    if (!values.includes(String(entry[name]))) return false;
  }
  if (state.from && entry.received_at < Date.parse(state.from + "Z")) return false;
  if (state.to && entry.received_at > Date.parse(state.to + "Z")) return false;
  return true;
}

function journalRow(entry, fresh) {
  const row = el("tr", { tabindex: "0", "data-seq": entry.seq, class: fresh ? "fresh" : "",
    "aria-label": `${entry.event_type} ${entry.outcome}, open details` },
  el("td", {}, iso(entry.received_at)), el("td", {}, entry.api_key ?? ""),
  el("td", {}, el("span", { class: "outcome", style: `background:${color(entry.outcome)}` }, entry.outcome)),
  el("td", {}, entry.event_type ?? ""), el("td", {}, entry.user_id ?? ""),
  el("td", {}, entry.device_id ?? ""), el("td", {}, entry.insert_id ?? ""));
  const open = () => showEvent(entry, row);
  row.addEventListener("click", open);
  row.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); }
  });
  return row;
}

async function loadJournal(append = false) {
  const body = $("journal-table").tBodies[0];
  const page = await api("GET", `/_mock/journal?${journalQuery(append ? state.before : null)}`);
  if (!append) body.replaceChildren();
  for (const entry of page.entries) body.append(journalRow(entry, false));
  state.before = page.before;
  $("older").hidden = page.before === null;
  countRows();
}

function countRows() {
  const n = $("journal-table").tBodies[0].rows.length;
  $("journal-count").textContent = `${n} event${n === 1 ? "" : "s"} shown, newest first`;
}

function addEntries(entries) {
  if (state.to) return; // a closed time range does not grow
  const body = $("journal-table").tBodies[0];
  for (const entry of entries) {
    if (matches(entry)) body.prepend(journalRow(entry, true));
  }
  while (body.rows.length > Math.max(MAX_ROWS, 100) && state.before === null) body.lastChild.remove();
  countRows();
}

async function showEvent(entry, row) {
  const panel = $("panel");
  panel.hidden = false;
  panel.returnFocus = row;
  $("panel-title").textContent = `Event #${entry.seq}`;
  $("panel-event").textContent = JSON.stringify(entry, null, 2);
  $("panel-request").textContent = "loading…";
  panel.focus();
  let request = state.requests.get(entry.request_id);
  if (!request) {
    const params = new URLSearchParams({ cursor: String(entry.request_id), limit: "1" });
    if (entry.api_key) params.set("api_key", entry.api_key);
    const page = await api("GET", `/_mock/requests?${params}`).catch(() => ({ requests: [] }));
    request = page.requests.find((r) => r.id === entry.request_id);
  }
  $("panel-request").textContent = request ? JSON.stringify(request, null, 2) : "no longer in the request log";
}

function showRequest(request, row) {
  const panel = $("panel");
  panel.hidden = false;
  panel.returnFocus = row;
  $("panel-title").textContent = `Request #${request.id}`;
  $("panel-event").textContent = "(a request: its answer is below)";
  $("panel-request").textContent = JSON.stringify(request, null, 2);
  panel.focus();
}

function closePanel() {
  const panel = $("panel");
  panel.hidden = true;
  if (panel.returnFocus && document.contains(panel.returnFocus)) panel.returnFocus.focus();
}

// -- requests -----------------------------------------------------------------------------
function addRequests(requests) {
  const body = $("requests-table").tBodies[0];
  for (const r of requests) {
    state.requests.set(r.id, r);
    const answer = r.body ? JSON.stringify(r.body) : "";
    const row = el("tr", { tabindex: "0", class: "fresh", "aria-label": `request ${r.id}, status ${r.status}` },
      el("td", {}, iso(r.time)), el("td", {}, r.api_key ?? ""), el("td", {}, r.endpoint),
      el("td", { class: "num" }, r.status + (r.fault ? " (fault)" : "")),
      el("td", { class: "num" }, r.event_count),
      el("td", { class: "num" }, r.duration_ms === null || r.duration_ms === undefined ? "–" : `${r.duration_ms} ms`),
      el("td", { title: answer }, answer.length > 80 ? answer.slice(0, 80) + "…" : answer));
    const open = () => showRequest(r, row);
    row.addEventListener("click", open);
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    body.prepend(row);
  }
  while (body.rows.length > MAX_ROWS) body.lastChild.remove();
  while (state.requests.size > 2000) state.requests.delete(state.requests.keys().next().value);
}

// -- rates chart (inline SVG) ---------------------------------------------------------------
function drawChart(timeline) {
  const width = Math.max(280, $("chart").clientWidth || 600), height = 200, left = 40, bottom = 18;
  const series = timeline.outcomes;
  const span = timeline.span_s;
  let top = 1;
  for (const name of CHARTED) for (const n of series[name] || []) top = Math.max(top, n);
  const x = (i) => left + (i / (span - 1)) * (width - left - 4);
  const y = (n) => (height - bottom) - (n / top) * (height - bottom - 8);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const last = CHARTED.map((name) => `${name} ${(series[name] || []).at(-1) ?? 0}/s`).join(", ");
  svg.setAttribute("aria-label", `events per second over the last ${span / 60} minutes; now ${last}`);
  const line = (x1, y1, x2, y2, stroke) => {
    const l = document.createElementNS(ns, "line");
    Object.entries({ x1, y1, x2, y2, stroke, "stroke-width": 1 }).forEach(([k, v]) => l.setAttribute(k, v));
    svg.append(l);
  };
  const text = (tx, ty, words, anchor = "end") => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", tx); t.setAttribute("y", ty); t.setAttribute("text-anchor", anchor);
    t.textContent = words;
    svg.append(t);
  };
  for (const frac of [0, 0.5, 1]) {
    const n = Math.round(top * frac);
    line(left, y(n), width - 4, y(n), "#e5e7eb");
    text(left - 4, y(n) + 4, String(n));
  }
  text(left, height - 4, `-${span / 60} min`, "start");
  text(width - 4, height - 4, "now");
  for (const name of CHARTED) {
    const values = series[name];
    if (!values) continue;
    const path = document.createElementNS(ns, "polyline");
    path.setAttribute("points", values.map((n, i) => `${x(i).toFixed(1)},${y(n).toFixed(1)}`).join(" "));
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", getComputedStyle(document.documentElement).getPropertyValue(`--${name}`));
    path.setAttribute("stroke-width", "2");
    svg.append(path);
  }
  $("chart").replaceChildren(svg);
}

function drawTotals(stats) {
  const list = $("totals");
  list.replaceChildren(...OUTCOMES.map((name) => el("li", { "data-outcome": name },
    el("span", { class: "swatch", style: `background:${color(name)}` }), `${name}: `,
    el("b", {}, stats.outcomes[name] ?? 0))));
}

// -- nearest limits, profiles, cohorts, keys, faults ----------------------------------------
function bar(fill, label) {
  const pct = Math.min(100, fill * 100);
  const level = fill > 1 ? "over" : fill > 0.8 ? "warn" : "";
  return el("div", { class: `bar ${level}`, role: "meter", "aria-valuemin": "0", "aria-valuemax": "100",
    "aria-valuenow": pct.toFixed(0), "aria-label": label },
  el("span", { style: `width:${pct}%` }), el("b", {}, label));
}

async function loadLimits() {
  const hint = $("limits-hint");
  const tables = { devices: $("limits-devices").tBodies[0], users: $("limits-users").tBodies[0] };
  if (!state.key) {
    hint.hidden = false;
    Object.values(tables).forEach((t) => t.replaceChildren());
    return;
  }
  hint.hidden = true;
  const data = await api("GET", `/_mock/limits?${new URLSearchParams({ api_key: state.key, n: "8" })}`);
  for (const [kind, body] of Object.entries(tables)) {
    if (!data[kind].length) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: "3", class: "hint" }, `no ${kind} in the windows`)));
      continue;
    }
    body.replaceChildren(...data[kind].map((row) => el("tr", { "data-id": row.id, "data-throttled": String(row.throttled) },
      el("td", {}, row.id, row.throttled
        ? el("span", { class: "outcome", style: `background:${color("throttled")};margin-left:6px` }, "429") : ""),
      el("td", {}, bar(row.window_fill, `${row.window_eps} ev/s of ${data.eps} (${(row.window_fill * 100).toFixed(0)}%)`)),
      el("td", {}, row.quota_fill === null ? "off"
        : bar(row.quota_fill, `${row.quota_events} of ${data.daily_quota} (${(row.quota_fill * 100).toFixed(2)}%)`)))));
  }
}

async function loadProfiles() {
  const body = $("profiles-table").tBodies[0];
  if (!state.key) { body.replaceChildren(); return; }
  const data = await api("GET", `/_mock/profiles?${new URLSearchParams({ api_key: state.key })}`);
  const rows = [
    ...Object.entries(data.users).map(([id, p]) => [`user ${id}`, p]),
    ...Object.entries(data.devices).map(([id, p]) => [`device ${id}`, p]),
    ...data.groups.map((g) => [`group ${g.group_type}=${g.group_value}`, g.properties]),
  ];
  body.replaceChildren(...rows.map(([id, props]) => el("tr", {}, el("td", {}, id),
    el("td", {}, el("code", {}, JSON.stringify(props))))));
}

async function loadCohorts() {
  const amplitude = $("cohorts-amplitude"), braze = $("cohorts-braze");
  if (state.key) {
    const data = await api("GET", `/_mock/cohorts?${new URLSearchParams({ api_key: state.key })}`);
    amplitude.replaceChildren(...data.cohorts.map((c) => el("li", {}, `${c.name} (${c.id}): ${c.size} members, ${c.type}`)));
    if (!data.cohorts.length) amplitude.replaceChildren(el("li", {}, "none"));
  } else {
    amplitude.replaceChildren(el("li", {}, "follow a key to see its cohorts"));
  }
  const spaces = await api("GET", "/_mock/braze/workspaces").catch(() => ({ workspaces: [] }));
  const items = [];
  for (const space of spaces.workspaces) {
    const params = new URLSearchParams({ client_secret: space.client_secret });
    const data = await api("GET", `/_mock/braze/cohorts?${params}`).catch(() => ({ cohorts: [] }));
    for (const c of data.cohorts) items.push(el("li", {}, `${c.display_name}: ${c.size} users`));
  }
  braze.replaceChildren(...(items.length ? items : [el("li", {}, "none imported")]));
}

async function loadKeys() {
  const data = await api("GET", "/_mock/keys");
  $("revoked").textContent = data.revoked.length ? `Revoked: ${data.revoked.join(", ")}` : "No key revoked.";
}

async function loadFaults() {
  const data = await api("GET", "/_mock/faults");
  $("fault-list").replaceChildren(...data.faults.map((f) => el("li", {},
    Object.entries(f).filter(([, v]) => v !== null && v !== false).map(([k, v]) => `${k}=${v}`).join(" "))));
}

function knownKeys(stats) {
  const list = $("known-keys");
  const keys = Object.keys(stats.keys).filter(Boolean).sort();
  if (list.dataset.keys !== keys.join(",")) {
    list.dataset.keys = keys.join(",");
    list.replaceChildren(...keys.map((k) => el("option", { value: k })));
  }
}

// -- the stream ---------------------------------------------------------------------------
// Server-Sent Events read with fetch (an EventSource cannot send the admin token): one
// message per blank line, resumed after a drop or the stream's end with Last-Event-ID.
const HANDLERS = {
  entries: (data) => addEntries(data),
  requests: (data) => addRequests(data),
  stats: (data) => onStats(data),
};

function linkStatus(text, ok) {
  $("link").textContent = text;
  $("link").className = "status " + (ok ? "ok" : "down");
}

function dispatch(block, stream) {
  let event = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).trim();
    else if (line.startsWith("id:")) stream.lastId = line.slice(3).trim();
  }
  if (data && HANDLERS[event]) HANDLERS[event](JSON.parse(data));
}

async function followStream(url, stream) {
  while (!stream.controller.signal.aborted) {
    try {
      const headers = { ...auth(), ...(stream.lastId ? { "Last-Event-ID": stream.lastId } : {}) };
      const response = await fetch(url, { headers, signal: stream.controller.signal });
      if (!response.ok) throw new Error(`stream ${response.status}`);
      linkStatus("live", true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, cut), stream);
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (error) {
      if (stream.controller.signal.aborted) return;
      linkStatus("reconnecting…", false);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function connect() {
  if (state.source) state.source.controller.abort();
  const params = new URLSearchParams({ max_s: "300" });
  if (state.key) params.set("api_key", state.key);
  const stream = { controller: new AbortController(), lastId: "" };
  state.source = stream;
  followStream(`/_mock/stream?${params}`, stream);
}

function onStats(stats) {
  $("clock").textContent = iso(stats.now_ms);
  drawTotals(stats);
  drawChart(stats.timeline);
  knownKeys(stats);
  state.tick += 1;
  const totals = JSON.stringify(stats.outcomes);
  const changed = totals !== state.lastTotals;
  state.lastTotals = totals;
  // Window fills change as time passes too: refresh the limits each tick, the rest on change.
  loadLimits().catch(() => {});
  if (changed || state.tick % 10 === 0) {
    loadProfiles().catch(() => {});
    loadCohorts().catch(() => {});
  }
}

async function refreshAll() {
  await Promise.all([loadJournal(), loadLimits(), loadProfiles(), loadCohorts(), loadKeys(),
    loadFaults(), api("GET", "/_mock/clock").then(showClock)]).catch((e) => say(e.message, false));
}

function showClock(clock) {
  $("clock").textContent = iso(clock.now_ms);
  $("scale").textContent = clock.scale === null ? "" : `×${clock.scale}`;
}

// -- wiring -------------------------------------------------------------------------------
function follow(key) {
  state.key = key.trim();
  writeUrl();
  fillForms();
  connect();
  refreshAll();
}

function wire() {
  const boxes = $("outcome-boxes");
  for (const name of OUTCOMES) {
    boxes.append(el("label", {}, el("input", { type: "checkbox", name: "outcome", value: name }), name));
  }
  $("key-form").addEventListener("submit", (e) => { e.preventDefault(); follow($("key").value); });
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    state.filters = {};
    for (const name of FILTER_FIELDS) {
      const values = split(form.elements[name].value);
      if (values.length) state.filters[name] = values;
    }
    const outcomes = [...form.querySelectorAll("input[name=outcome]:checked")].map((b) => b.value);
    if (outcomes.length) state.filters.outcome = outcomes;
    state.from = form.elements.from.value;
    state.to = form.elements.to.value;
    writeUrl();
    loadJournal().catch((err) => say(err.message, false));
  });
  $("clear-filters").addEventListener("click", () => {
    state.filters = {}; state.from = ""; state.to = "";
    writeUrl(); fillForms(); loadJournal();
  });
  $("copy-link").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); say("View link copied."); }
    catch { say(`View link: ${location.href}`); }
  });
  $("older").addEventListener("click", () => loadJournal(true));
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("panel").hidden) closePanel(); });

  const run = (promise, done) => promise.then((d) => { say(done); refreshAll(); return d; })
    .catch((err) => say(err.message, false));
  $("reset-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(api("POST", "/_mock/reset", state.key ? { api_key: state.key } : {}), `Reset ${state.key || "every key"}.`);
  });
  $("clock-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const seconds = Number(e.target.elements.advance_s.value);
    run(api("POST", "/_mock/clock", { advance_s: seconds }), `Clock advanced by ${seconds} s.`);
  });
  $("set-scale").addEventListener("click", () => {
    const scale = Number($("clock-form").elements.scale.value);
    run(api("POST", "/_mock/clock", { scale }), `Clock speed ×${scale}.`);
  });
  const keyOf = () => $("keys-form").elements.key.value.trim() || state.key;
  $("keys-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = keyOf();
    if (!key) return say("Give a key to revoke.", false);
    run(api("DELETE", `/_mock/keys/${encodeURIComponent(key)}`), `Key ${key} revoked.`);
  });
  $("restore-key").addEventListener("click", () => {
    const key = keyOf();
    if (!key) return say("Give a key to restore.", false);
    run(api("POST", "/_mock/keys", { key }), `Key ${key} restored.`);
  });
  $("faults-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const fault = { status: Number(f.status.value), count: Number(f.count.value) || null };
    if (f.probability.value) fault.probability = Number(f.probability.value);
    if (f.latency_ms.value) fault.latency_ms = Number(f.latency_ms.value);
    if (state.key) fault.api_key = state.key;
    run(api("POST", "/_mock/faults", fault), `Fault added${state.key ? ` for ${state.key}` : ""}.`);
  });
  $("clear-faults").addEventListener("click", () => run(api("DELETE", "/_mock/faults"), "Faults cleared."));
}

readUrl();
wire();
fillForms();
connect();
refreshAll();
