// hrm serve's page: solve a Sudoku through /api/solve, then step through /api/trace with the slider.
// Plain JS, no library, nothing fetched but this server's API.
"use strict";
const $ = id => document.getElementById(id);
const BOXES = { 4: [2, 2], 6: [2, 3], 9: [3, 3] }; // board side -> box rows x columns
let steps = [], givens = [];

// A Sudoku token is its digit + 1 (0 padding, 1 a blank): the cells as digits, 0 blank.
const digits = tokens => tokens.map(t => Math.max(0, t - 1));

function showError(message) {
  $("error").textContent = message || "";
}

async function call(path, puzzle) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "sudoku", puzzle }) });
  const body = await r.json().catch(() => ({ error: "the server answered " + r.status }));
  if (!r.ok) throw new Error(body.error || "the server answered " + r.status);
  return body;
}

// cells: digits (0 blank); step: the trace step shown (null: none, e.g. before the trace comes)
function draw(cells, step) {
  const n = Math.round(Math.sqrt(cells.length)), [br, bc] = BOXES[n] || [n, n], board = $("board");
  board.style.gridTemplateColumns = "repeat(" + n + ", auto)";
  board.replaceChildren();
  const bad = new Set(step && Array.isArray(step.violations) ? step.violations : []);
  const changed = new Set(step ? step.changed : []);
  cells.forEach((v, i) => {
    const c = document.createElement("div"), r = Math.floor(i / n), col = i % n;
    c.className = "cell";
    c.dataset.value = String(v);
    c.textContent = v ? String(v) : "";
    if (givens[i]) c.classList.add("given");
    if (bad.has(i)) c.classList.add("bad");
    if (changed.has(i)) c.classList.add("changed");
    if (col % bc === bc - 1 && col < n - 1) c.classList.add("boxRight");
    if (r % br === br - 1 && r < n - 1) c.classList.add("boxBottom");
    if (step) c.style.background = "rgba(70, 130, 180, " + (0.45 * step.confidence[i]).toFixed(3) + ")";
    board.appendChild(c);
  });
}

// One position per z update of every segment, then the final answer (the last segment's output).
function stepsOf(trace) {
  const out = [], segs = trace.examples[0].segments;
  segs.forEach((s, k) => s.updates.forEach((u, j) => out.push({
    label: "segment " + (k + 1) + ", update " + (j + 1) + " of " + s.updates.length + " (" + u.module + ")",
    segment: k, prediction: u.prediction, confidence: u.confidence, changed: u.changed, violations: u.violations })));
  const last = segs[segs.length - 1], before = out.length ? out[out.length - 1].prediction : last.prediction;
  out.push({ label: "answer (segment " + segs.length + "'s output)", segment: segs.length - 1, prediction: last.prediction,
    confidence: out.length ? out[out.length - 1].confidence : last.prediction.map(() => 1),
    changed: last.prediction.map((t, i) => t !== before[i] ? i : -1).filter(i => i >= 0), violations: last.violations });
  return out;
}

function showStep(i) {
  const s = steps[i];
  draw(digits(s.prediction), s);
  $("stepLabel").textContent = "step " + (i + 1) + " of " + steps.length + ": " + s.label + ", "
    + s.changed.length + " cells changed, " + (Array.isArray(s.violations) ? s.violations.length : 0) + " break a rule";
  [...$("segments").children].forEach((li, k) => li.classList.toggle("current", k === s.segment));
}

function showSegments(trace) {
  $("segments").replaceChildren(...trace.examples[0].segments.map((s, k) => {
    const li = document.createElement("li");
    li.textContent = "segment " + (k + 1) + ": q_halt " + s.q_halt.toFixed(3) + ", q_continue " + s.q_continue.toFixed(3)
      + (s.act_halts_here ? "  \u2190 ACT halts here" : "");
    return li;
  }));
}

async function solve(text) {
  showError("");
  $("verdict").textContent = "";
  $("steps").hidden = true;
  try {
    const answer = await call("/api/solve", text);
    givens = answer.puzzle.flat();
    draw(answer.answer.flat(), null);
    $("verdict").textContent = answer.valid ? "a valid solution, givens kept" : "not a valid solution: " + answer.why;
    const trace = await call("/api/trace", text);
    steps = stepsOf(trace);
    showSegments(trace);
    $("step").max = String(steps.length - 1);
    $("step").value = String(steps.length - 1); // the answer stays shown until the slider moves
    $("steps").hidden = false;
    showStep(steps.length - 1);
  } catch (e) {
    showError(e.message);
  }
}

$("form").addEventListener("submit", e => {
  e.preventDefault();
  solve($("puzzle").value.trim());
});
$("step").addEventListener("input", () => showStep(Number($("step").value)));

// /?kind=sudoku&puzzle=... opens that puzzle and solves it
const q = new URLSearchParams(location.search);
if (q.get("puzzle")) {
  $("puzzle").value = q.get("puzzle");
  if ((q.get("kind") || "sudoku") === "sudoku") solve(q.get("puzzle"));
  else showError("kind: only sudoku is shown on this page so far");
}
