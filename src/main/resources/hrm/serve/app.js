// hrm serve's page: solve a Sudoku, a maze or an ARC test input through /api/solve, then step
// through /api/trace with the slider. Plain JS, no library, nothing fetched but this server's API;
// the drawing is board.js's, the maze editor maze-editor.js's, the ARC task file arc-task.js's.
"use strict";
const $ = id => document.getElementById(id);
const KINDS = ["sudoku", "maze", "arc"];
let steps = [], shown = null; // shown: {kind, givens, area} of the answer on the board
let arcTask = null; // {name, train, test} of the uploaded task
const maze = HrmMazeEditor.create($("mazeEditor"), () => document.querySelector("input[name=mazeTool]:checked").value);

function showError(message) {
  $("error").textContent = message || "";
}

// While a request runs: the inputs and the button disabled, and what runs said; the page stays live.
function busy(what) {
  $("inputs").disabled = !!what;
  $("busy").textContent = what || "";
}

async function call(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await r.json().catch(() => ({ error: "the server answered " + r.status }));
  if (!r.ok) throw new Error(answer.error || "the server answered " + r.status);
  return answer;
}

function setKind(kind) {
  $("kind").value = kind;
  KINDS.forEach(k => { $(k + "Input").hidden = k !== kind; });
}

// The body of /api/solve for the puzzle on the page. An ARC test input carries its task's name
// (its puzzle embedding), its place and the expected output, as hrm solve arc TASK.json asks.
function request() {
  const kind = $("kind").value;
  if (kind === "sudoku") return { kind, puzzle: $("puzzle").value.trim() };
  if (kind === "maze") return { kind, puzzle: maze.rows() };
  if (!arcTask) throw new Error("ARC: upload a task file first");
  const t = Number($("arcTest").value), test = arcTask.test[t], body = { kind, puzzle: test.input, test: t + 1 };
  if (arcTask.name) body.task = arcTask.name;
  if (test.output) body.expected = test.output;
  return body;
}

// A link that opens this puzzle and solves it: the Sudoku's cells, the maze's rows one a line, the ARC grid as JSON.
function link(body) {
  const q = { kind: body.kind, puzzle: body.kind === "maze" ? body.puzzle.join("\n") : body.kind === "arc" ? JSON.stringify(body.puzzle) : body.puzzle };
  if (body.task) q.task = body.task;
  return "?" + new URLSearchParams(q);
}

function verdict(kind, a) {
  if (kind === "sudoku") return a.valid ? "a valid solution, givens kept" : "not a valid solution: " + a.why;
  if (kind === "maze") return a.valid ? "a shortest path from S to G" : "not a valid answer: " + a.why;
  if (a.valid === null) return "the task gives no expected output for this test input";
  return a.valid ? "matches the task's expected output" : "differs from the task's expected output";
}

function showStep(i) {
  const s = steps[i];
  HrmBoard.draw($("board"), HrmBoard.fromTokens(shown.kind, s.prediction, shown.area), { kind: shown.kind, givens: shown.givens, step: s });
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

function clear() {
  showError("");
  $("verdict").textContent = "";
  $("steps").hidden = true;
  $("link").hidden = true;
  $("board").replaceChildren();
}

async function solve() {
  clear();
  let body;
  try {
    body = request();
  } catch (e) {
    showError(e.message);
    return;
  }
  const kind = body.kind;
  busy("solving\u2026");
  try {
    const answer = await call("/api/solve", body);
    // an ARC trace's predictions are 30x30 canvases: the board shows the answer's area of them
    shown = { kind, givens: kind === "sudoku" ? answer.puzzle.flat() : [],
      area: kind === "arc" ? { rows: answer.answer.length, cols: answer.answer.length ? answer.answer[0].length : 0 } : null };
    HrmBoard.draw($("board"), HrmBoard.fromRows(kind, answer.answer), { kind, givens: shown.givens });
    $("verdict").textContent = verdict(kind, answer);
    $("link").href = link(body);
    $("link").hidden = false;
    busy("tracing\u2026");
    const trace = await call("/api/trace", body);
    steps = HrmBoard.steps(trace.examples[0]);
    showSegments(trace);
    $("step").max = String(steps.length - 1);
    $("step").value = String(steps.length - 1); // the answer stays shown until the slider moves
    $("steps").hidden = false;
    showStep(steps.length - 1);
  } catch (e) {
    showError(e.message);
  } finally {
    busy(null);
  }
}

function loadArcTask(task) {
  arcTask = task;
  $("arcTest").replaceChildren(...task.test.map((p, t) => new Option("test input " + (t + 1) + " (" + p.input.length + "x" + p.input[0].length + ")", String(t))));
  HrmArcTask.show($("arcTrain"), task, 0);
}

async function readFile(input, load) {
  const file = input.files[0];
  if (!file) return;
  clear();
  try {
    load(await file.text(), file.name);
  } catch (e) {
    showError(e.message);
  }
}

$("form").addEventListener("submit", e => {
  e.preventDefault();
  solve();
});
$("step").addEventListener("input", () => showStep(Number($("step").value)));
$("kind").addEventListener("change", () => { setKind($("kind").value); clear(); });
$("examples").addEventListener("change", () => {
  if (!$("examples").value) return;
  $("puzzle").value = $("examples").value;
  $("examples").value = "";
  solve();
});
$("mazeNew").addEventListener("click", () => maze.load(HrmMazeEditor.empty(Math.min(30, Math.max(3, Number($("mazeSize").value) || 30)))));
$("mazeFile").addEventListener("change", () => readFile($("mazeFile"), text => {
  const rows = HrmMazeEditor.fromText(text);
  $("mazeSize").value = String(rows.length);
  maze.load(rows);
}));
$("arcFile").addEventListener("change", () => readFile($("arcFile"), (text, name) => loadArcTask(HrmArcTask.parse(text, name))));
$("arcTest").addEventListener("change", () => HrmArcTask.show($("arcTrain"), arcTask, Number($("arcTest").value)));

// /api/model's trained_on and cells in words: "6x6 Sudoku", "30x30 mazes", "ARC tasks".
function trainedOnText(trainedOn, cells) {
  const side = cells ? Math.round(Math.sqrt(cells)) : 0, size = side ? side + "x" + side + " " : "";
  return { sudoku: size + "Sudoku", maze: size + "mazes", "maze or sudoku": size + "mazes or Sudoku", arc: "ARC tasks" }[trainedOn]
    || "a dataset of its own";
}

// What the server's model was trained on sets the kind shown first, the maze's size and the
// examples offered; then a link /?kind=...&puzzle=... (&task= for ARC) opens that puzzle and solves it.
async function start() {
  let model = null;
  try {
    const r = await fetch("/api/model");
    if (r.ok) model = await r.json();
  } catch (e) {
    model = null; // the page works without it, on its defaults
  }
  const trainedOn = model ? model.trained_on : null, cells = model ? model.cells : null;
  if (model) $("modelNote").textContent = "(this server's model was trained on " + trainedOnText(trainedOn, cells) + ")";
  if (cells && (trainedOn === "sudoku" || trainedOn === "maze or sudoku"))
    [...$("examples").options].forEach(o => { o.hidden = o.value !== "" && o.value.length !== cells; });
  const side = trainedOn === "maze" && cells ? Math.round(Math.sqrt(cells)) : 30;
  $("mazeSize").value = String(side);
  maze.load(HrmMazeEditor.empty(side));

  const q = new URLSearchParams(location.search), kind = q.get("kind") || (KINDS.includes(trainedOn) ? trainedOn : "sudoku");
  if (!KINDS.includes(kind)) {
    showError("kind: unknown puzzle kind '" + kind + "' (sudoku, maze or arc)");
    return;
  }
  setKind(kind);
  const puzzle = q.get("puzzle");
  if (!puzzle) return;
  try {
    if (kind === "sudoku") $("puzzle").value = puzzle;
    else if (kind === "maze") {
      const rows = HrmMazeEditor.fromText(puzzle);
      $("mazeSize").value = String(rows.length);
      maze.load(rows);
    } else {
      let rows;
      try {
        rows = JSON.parse(puzzle);
      } catch (e) {
        throw new Error("puzzle: not a JSON list of rows of colours (" + e.message + ")");
      }
      loadArcTask({ name: q.get("task"), train: [], test: [{ input: HrmArcTask.grid(rows, "puzzle"), output: null }] });
    }
  } catch (e) {
    showError(e.message);
    return;
  }
  solve();
}

start();
