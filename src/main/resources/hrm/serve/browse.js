// browse.js: hrm serve's dataset browser (the page's "Dataset" section, shown when the server has --data).
// As the authors' puzzle_visualizer.html it steps through a set's groups -> puzzles -> examples, but
// draws Sudoku as digits, mazes as mazes and ARC as colours (board.js), and with --eval shows each
// example's prediction, its wrong cells and a right/wrong badge, and can keep the failures only.
// Everything comes from GET /api/datasets... (DatasetListing.java); the drawing is board.js's.
// Wrapped in a function: app.js's top-level names share the page's global scope.
"use strict";
(() => {
  const PAGE = 20; // examples per page of the list
  const el = id => document.getElementById(id);
  const LEVELS = ["group", "puzzle", "example", "at"]; // the steppers: in the set, in the group, in the puzzle, in the set's list
  const state = { split: null, set: null, only: false, kind: "other", page: null, current: null };
  let ticket = 0; // the latest navigation: an answer to an older one is dropped

  function showError(message) {
    el("dataset-error").textContent = message || "";
  }

  async function get(path, params) {
    const q = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => { if (v !== null && v !== undefined) q.set(k, String(v)); });
    const r = await fetch(path + "?" + q);
    const body = await r.json().catch(() => ({ error: "the server answered " + r.status }));
    if (!r.ok) throw new Error(body.error || "the server answered " + r.status);
    return body;
  }

  // The listing's parameters: this split and set, all or failures only, and `extra`.
  function scope(extra) {
    return Object.assign({ split: state.split, set: state.set, only: state.only ? "wrong" : null }, extra);
  }

  // Runs one navigation; a later one supersedes it (its answer is not drawn), errors go to #dataset-error.
  async function navigate(work) {
    const mine = ++ticket;
    try {
      showError("");
      await work(() => mine === ticket);
    } catch (e) {
      if (mine === ticket) showError(e.message);
    }
  }

  // Shows the example at `rank` of the set's list (all examples, or the failures), loading its page of the list.
  async function showRank(rank, current) {
    const offset = Math.floor(rank / PAGE) * PAGE;
    if (!state.page || state.page.offset !== offset) {
      const page = await get("/api/datasets", scope({ offset, limit: PAGE }));
      if (!current()) return;
      state.page = page;
      showSet(page);
    }
    const ex = state.page.examples[rank - offset];
    if (ex) showExample(ex);
    else clearExample(state.only ? "no failures in this set" : "no examples in this set");
  }

  // The first example (kept) of a group or of a puzzle, or the k-th of a puzzle: where a stepper lands.
  async function firstExample(params) {
    const page = await get("/api/datasets", scope(Object.assign({ limit: 1 }, params)));
    if (!page.examples.length) throw new Error("nothing there");
    return page.examples[0];
  }

  // A stepper moved to rank k of its level (0-based): group k of the set, puzzle k of the group, example k of the puzzle, or k of the list.
  function move(level, k) {
    const cur = state.current;
    if (!cur || !state.page) return;
    const of = level === "at" ? state.page.total : cur.position[level].of;
    if (!(k >= 0 && k < of)) return showSteppers(cur); // past either end: the stepper shows where it is again
    navigate(async current => {
      let ex;
      if (level === "group") {
        const g = (await get("/api/datasets/groups", scope({ offset: k, limit: 1 }))).groups[0].index;
        ex = await firstExample({ group: g, offset: 0 });
      } else if (level === "puzzle") {
        const p = (await get("/api/datasets/puzzles", scope({ group: cur.group, offset: k, limit: 1 }))).puzzles[0].index;
        ex = await firstExample({ puzzle: p, offset: 0 });
      } else if (level === "example") {
        ex = await firstExample({ puzzle: cur.puzzle, offset: k });
      }
      if (current()) await showRank(ex ? ex.position.set.at : k, current);
    });
  }

  // The set's header: its sets, kind and counts, and the page of the list.
  function showSet(page) {
    state.kind = page.kind;
    el("dataset-set").replaceChildren(...page.sets.map(s => new Option(s.name, s.name, false, s.name === page.set)));
    state.set = page.set;
    const s = page.sets.find(x => x.name === page.set);
    el("dataset-only-label").hidden = !page.evaluated;
    el("dataset-summary").textContent = page.kind + ", set " + s.name + " of the " + page.split + " split: " + s.examples + " examples in "
      + s.puzzles + " puzzles in " + s.groups + " groups" + (page.evaluated ? "; evaluated: " + s.wrong + " wrong" : "");
    el("dataset-list").replaceChildren(...page.examples.map(ex => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "#" + ex.index;
      b.dataset.index = String(ex.index);
      b.dataset.rank = String(ex.position.set.at);
      b.title = "group " + ex.group + ", puzzle " + ex.puzzle + (ex.name ? " (" + ex.name + ")" : "");
      if ("correct" in ex) b.classList.add(ex.correct ? "right" : "wrong");
      const li = document.createElement("li");
      li.appendChild(b);
      return li;
    }));
    const last = Math.min(page.total, page.offset + page.examples.length);
    el("dataset-page").textContent = page.total ? (page.offset + 1) + "\u2013" + last + " of " + page.total
      + (state.only ? " failures" : " examples") : "";
    el("dataset-prev-page").disabled = page.offset === 0;
    el("dataset-next-page").disabled = last >= page.total;
  }

  // Draws one example: its input and label side by side, and with an evaluation its prediction, wrong cells marked.
  function showExample(ex) {
    state.current = ex;
    const kind = state.kind;
    const givens = kind === "sudoku" ? ex.input.map(t => t > 1) : []; // Sudoku tokens: 0 pad, 1 blank, digit d is d + 1
    // ARC: the label and the prediction cut alike, to the answer's colours and the end-of-grid marks beside them
    // (30 x 30 at most), so a wrong mark there is drawn too
    const cut = kind === "arc" ? HrmBoard.fromTokens(kind, ex.label) : null;
    const area = cut ? { rows: Math.min(30, cut.rows + 1), cols: Math.min(30, cut.cols + 1) } : undefined;
    const label = HrmBoard.fromTokens(kind, ex.label, area);
    HrmBoard.draw(el("dataset-input"), HrmBoard.fromTokens(kind, ex.input), { kind, givens });
    HrmBoard.draw(el("dataset-label"), label, { kind, givens });
    const evaluated = "correct" in ex;
    el("dataset-prediction-figure").hidden = !evaluated;
    const verdict = el("dataset-verdict");
    if (evaluated) {
      HrmBoard.draw(el("dataset-prediction"), HrmBoard.fromTokens(kind, ex.prediction, area), { kind, givens, step: { violations: ex.wrong } });
      verdict.textContent = (ex.correct ? "right" : "wrong: " + ex.wrong.length + " cells differ from the label")
        + ", q_halt " + ex.q_halt.toFixed(3);
      verdict.className = "badge " + (ex.correct ? "right" : "wrong");
    } else {
      el("dataset-prediction").replaceChildren();
      verdict.textContent = "";
      verdict.className = "";
    }
    // identifier 0 is the blank one (no puzzle embedding): named only where it says something (ARC's task names)
    const id = ex.puzzle_identifier ? " (" + (ex.name || "identifier " + ex.puzzle_identifier) + ")" : "";
    el("dataset-where").textContent = "example #" + ex.index + ", puzzle #" + ex.puzzle + id + ", group #" + ex.group;
    [...el("dataset-list").querySelectorAll("button")].forEach(b => b.classList.toggle("current", b.dataset.index === String(ex.index)));
    showSteppers(ex);
  }

  function clearExample(message) {
    state.current = null;
    ["dataset-input", "dataset-label", "dataset-prediction"].forEach(id => el(id).replaceChildren());
    el("dataset-verdict").textContent = message;
    el("dataset-verdict").className = "";
    el("dataset-where").textContent = "";
    showSteppers(null);
  }

  function showSteppers(ex) {
    LEVELS.forEach(level => {
      const p = ex ? ex.position[level === "at" ? "set" : level] : { at: 0, of: 0 };
      const input = el("dataset-" + level);
      input.value = String(p.at);
      input.max = String(Math.max(0, p.of - 1));
      input.disabled = !ex;
      el("dataset-" + level + "-of").textContent = "of " + p.of;
    });
    el("dataset-at-label").textContent = state.only ? "failure" : "example";
  }

  // Back to the first example of the chosen split and set.
  function reload() {
    state.page = null;
    state.current = null;
    navigate(current => showRank(0, current));
  }

  async function start() {
    let about;
    try {
      about = await get("/api/datasets/splits", {});
    } catch (e) {
      return; // not a server of this page's version: no dataset section
    }
    if (!about.data || !about.splits.length) return;
    el("dataset").hidden = false;
    el("dataset-name").textContent = about.name;
    el("dataset-split").replaceChildren(...about.splits.map(s => new Option(s.split + (s.evaluated ? " (evaluated)" : ""), s.split)));
    state.split = about.splits.some(s => s.split === "test") ? "test" : about.splits[0].split;
    el("dataset-split").value = state.split;
    el("dataset-split").addEventListener("change", () => { state.split = el("dataset-split").value; state.set = null; state.only = false; el("dataset-only").checked = false; reload(); });
    el("dataset-set").addEventListener("change", () => { state.set = el("dataset-set").value; reload(); });
    el("dataset-only").addEventListener("change", () => { state.only = el("dataset-only").checked; reload(); });
    el("dataset-list").addEventListener("click", e => {
      const b = e.target.closest("button");
      if (b) navigate(current => showRank(Number(b.dataset.rank), current));
    });
    el("dataset-prev-page").addEventListener("click", () => navigate(current => showRank(Math.max(0, state.page.offset - PAGE), current)));
    el("dataset-next-page").addEventListener("click", () => navigate(current => showRank(state.page.offset + PAGE, current)));
    LEVELS.forEach(level => {
      const input = el("dataset-" + level);
      input.addEventListener("change", () => move(level, Number(input.value)));
      document.querySelectorAll("[data-level='" + level + "']").forEach(b =>
        b.addEventListener("click", () => move(level, Number(input.value) + Number(b.dataset.step))));
    });
    reload();
  }

  start();
})();
