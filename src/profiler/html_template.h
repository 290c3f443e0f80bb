// The page around the embedded profile data of `recinfer profile --html`: plain HTML, CSS and
// JavaScript, no external resource, so the report opens offline. The script reads the JSON in
// <script id="profile-data">, draws the per-thread timeline of one inference and the top-ops bar
// chart as SVG, and marks <body data-rendered="true"> when done (the render test checks it).
#pragma once

namespace recinfer::profiler {

inline constexpr const char* kHtmlPageStart = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>recinfer profile</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 24px; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
#timeline-box { overflow-x: auto; border: 1px solid #ccc; }
svg text { font-size: 11px; fill: #333; }
.controls { margin: 8px 0; } .controls > * { margin-right: 8px; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
tr:nth-child(even) { background: #f4f4f4; }
</style>
</head>
<body>
<h1 id="title">recinfer profile</h1>
<h2>Summary</h2>
<pre id="summary"></pre>
<h2>Timeline</h2>
<div class="controls">
  <label>inference <select id="inference"></select></label>
  <button id="zoom-in">zoom +</button><button id="zoom-out">zoom -</button>
  <span id="timeline-info"></span>
</div>
<div id="timeline-box"></div>
<h2>Top ops by total time</h2>
<div id="top-ops-box"></div>
<h2>Op types</h2>
<table id="types"><thead><tr><th>op type</th><th>count</th><th>total µs</th><th>mean µs</th><th>share</th></tr></thead><tbody></tbody></table>
<script id="profile-data" type="application/json">)HTML";

inline constexpr const char* kHtmlPageEnd = R"HTML(</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("profile-data").textContent);
const SVG = "http://www.w3.org/2000/svg";
const KIND = { s: "staging", c: "staging copy", q: "queue wait", o: "op", r: "re-plan", w: "work", j: "join wait" };
let zoom = 1;

function el(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function colour(type) {
  let h = 0;
  for (let i = 0; i < type.length; ++i) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return "hsl(" + (h % 360) + ",55%,62%)";
}
function tip(node, text) { el("title", {}, node).textContent = text; }

function drawTimeline() {
  const box = document.getElementById("timeline-box");
  box.textContent = "";
  const sel = document.getElementById("inference").value;
  if (sel === "") return;
  const k = Number(sel);
  const inf = D.inferences[k];
  const span = Math.max(inf[2] - inf[1], 1e-3);
  const laneName = (t) => t >= D.threads ? "request queue"
      : t < D.threadNames.length ? D.threadNames[t]
      : t === 0 ? "thread 0 (caller)" : "worker " + t;
  const lanes = D.threads + (D.hasQueue ? 1 : 0);
  let longest = 0;
  for (let t = 0; t < lanes; ++t) longest = Math.max(longest, laneName(t).length);
  const lane = 30, top = 24, left = Math.max(110, 7 * longest + 12);
  const width = Math.max(400, (box.clientWidth || 1000) - left - 30) * zoom;
  const svg = el("svg", { id: "timeline", width: width + left + 10, height: top + lanes * lane + 10 }, box);
  const x = (us) => left + (us / span) * width;
  for (let i = 0; i <= 10; ++i) {
    const t = (span * i) / 10;
    el("line", { x1: x(t), x2: x(t), y1: top - 4, y2: top + lanes * lane, stroke: "#ddd" }, svg);
    el("text", { x: x(t) + 2, y: top - 8 }, svg).textContent = t.toFixed(1) + " µs";
  }
  for (let t = 0; t < lanes; ++t) {
    const name = laneName(t);
    el("text", { x: 4, y: top + t * lane + 18 }, svg).textContent = name;
  }
  let drawn = 0;
  for (const e of D.events) {
    if (e[0] !== k) continue;
    const kind = e[2], op = e[5] >= 0 ? D.ops[e[5]] : null;
    const laneIndex = kind === "q" ? D.threads : e[1];
    let y = top + laneIndex * lane + 2, h = lane - 4, fill = op ? colour(op[1]) : "#bbb";
    if (kind === "r") { y += h - 8; h = 8; fill = "#d33"; }
    if (kind === "j") { h = 6; fill = "#888"; }
    if (kind === "s" || kind === "c") fill = "#f0b400";
    if (kind === "w" && e[1] === 0) continue;  // the caller's own share lies inside its op
    const r = el("rect", { class: "ev", x: x(e[3]), y: y, width: Math.max(0.5, (e[4] / span) * width), height: h, fill: fill }, svg);
    tip(r, (op ? op[0] + " (" + op[1] + ") " : "") + KIND[kind] + ": " + e[4].toFixed(2) + " µs at " + e[3].toFixed(2) + " µs");
    ++drawn;
  }
  document.getElementById("timeline-info").textContent =
    "inference " + inf[0] + ": " + span.toFixed(1) + " µs, " + drawn + " events";
}

function drawTopOps() {
  const box = document.getElementById("top-ops-box");
  const bar = 20, left = 330, width = 520;
  const svg = el("svg", { id: "top-ops", width: left + width + 160, height: D.top.length * bar + 10 }, box);
  const max = Math.max(1e-9, ...D.top.map((t) => t[2]));
  D.top.forEach((t, i) => {
    const y = 4 + i * bar;
    const label = t[0].length > 45 ? "..." + t[0].slice(-42) : t[0];
    el("text", { x: 4, y: y + 14 }, svg).textContent = label + " (" + t[1] + ")";
    const r = el("rect", { class: "bar", x: left, y: y + 2, width: Math.max(1, (t[2] / max) * width), height: bar - 5, fill: colour(t[1]) }, svg);
    tip(r, t[0] + ": total " + t[2].toFixed(1) + " µs, mean " + t[3].toFixed(2) + " µs, threads " + t[5]);
    el("text", { x: left + (t[2] / max) * width + 6, y: y + 14 }, svg).textContent =
      (100 * t[4]).toFixed(1) + "%  " + t[3].toFixed(2) + " µs";
  });
}

function fillTypes() {
  const body = document.querySelector("#types tbody");
  for (const t of D.types) {
    const tr = document.createElement("tr");
    [t[0], t[1], t[2].toFixed(1), t[3].toFixed(2), (100 * t[4]).toFixed(1) + "%"].forEach((v) => {
      const td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
}

document.getElementById("title").textContent = D.title;
document.getElementById("summary").textContent = D.summary;
const select = document.getElementById("inference");
D.inferences.forEach((inf, i) => {
  const o = document.createElement("option");
  o.value = String(i);
  o.textContent = "#" + inf[0] + " (" + (inf[2] - inf[1]).toFixed(1) + " µs)";
  select.appendChild(o);
});
select.value = String(D.initial);
select.addEventListener("change", drawTimeline);
document.getElementById("zoom-in").addEventListener("click", () => { zoom *= 2; drawTimeline(); });
document.getElementById("zoom-out").addEventListener("click", () => { zoom = Math.max(1, zoom / 2); drawTimeline(); });
drawTimeline();
drawTopOps();
fillTypes();
document.body.setAttribute("data-rendered", "true");
</script>
</body>
</html>
)HTML";

}  // namespace recinfer::profiler
