// hrm serve's page: solve a Sudoku through /api/solve, then step through /api/trace with the slider.
// Plain JS, no library, nothing fetched but this server's API; the drawing is board.js's.
"use strict";
const $ = id => document.getElementById(id);
let steps = [], givens = [];

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

function showStep(i) {
  const s = steps[i];
  HrmBoard.draw($("board"), HrmBoard.fromTokens("sudoku", s.prediction), { kind: "sudoku", givens, step: s });
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
    HrmBoard.draw($("board"), HrmBoard.fromRows("sudoku", answer.answer), { kind: "sudoku", givens });
    $("verdict").textContent = answer.valid ? "a valid solution, givens kept" : "not a valid solution: " + answer.why;
    const trace = await call("/api/trace", text);
    steps = HrmBoard.steps(trace.examples[0]);
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
