// board.js: draws a puzzle's grid (Sudoku, maze, ARC) and one reasoning step over it. Shared by
// hrm serve's page and hrm view's self-contained report: pure drawing, no fetch, no page state.
// The tokens are the model's (docs/analysis.md: a trace's predictions); the values are what a
// person reads, and what each cell's data-value carries so tests can read the board.
"use strict";
const HrmBoard = (() => {
  const MAZE = "# SGo"; // a maze token is its character's place + 1 (0: padding)
  const ARC_COLOURS = ["#000000", "#0074d9", "#ff4136", "#2ecc40", "#ffdc00",
    "#aaaaaa", "#f012be", "#ff851b", "#7fdbff", "#870c25"]; // the ARC palette, colour 0-9
  const ARC_SIDE = 30, ARC_OFFSET = 2, ARC_EOS = 1; // a 30x30 canvas; colour c is token c + 2, 1 ends a grid
  const BOXES = { 4: [2, 2], 6: [2, 3], 9: [3, 3] }; // Sudoku side -> box rows x columns

  // The value a token shows: a Sudoku digit (0 blank), a maze character ('?' padding), an ARC
  // colour (null: padding or the end-of-grid marker, drawn empty).
  function value(kind, t) {
    if (kind === "sudoku") return Math.max(0, t - 1);
    if (kind === "maze") return t >= 1 && t <= MAZE.length ? MAZE[t - 1] : "?";
    if (kind === "arc") return t >= ARC_OFFSET ? t - ARC_OFFSET : null;
    return t; // tokens of any other task, as they are
  }

  // A grid of values from a model's tokens: {rows, cols, values}. An ARC canvas is cut to
  // `area` ({rows, cols}, e.g. the answer's size) or else to the smallest top-left rectangle that
  // holds every colour, so the steps of one trace keep one size.
  function fromTokens(kind, tokens, area) {
    if (kind !== "arc") {
      const n = Math.round(Math.sqrt(tokens.length));
      return { rows: n, cols: n, values: tokens.map(t => value(kind, t)) };
    }
    let rows = 0, cols = 0;
    if (area) [rows, cols] = [area.rows, area.cols];
    else tokens.forEach((t, i) => {
      if (t >= ARC_OFFSET) { rows = Math.max(rows, Math.floor(i / ARC_SIDE) + 1); cols = Math.max(cols, i % ARC_SIDE + 1); }
    });
    const values = [];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values.push(value(kind, tokens[r * ARC_SIDE + c]));
    return { rows, cols, values, index: (r, c) => r * ARC_SIDE + c };
  }

  // A grid of values from rows as hrm solve --json writes them: numbers, or a maze's row strings.
  function fromRows(kind, rows) {
    const grid = rows.map(r => typeof r === "string" ? [...r] : r);
    return { rows: grid.length, cols: grid.length ? grid[0].length : 0, values: grid.flat() };
  }

  // Draws `grid` into the element `el` (replacing its cells). opts: kind; givens (the cells whose
  // values are the puzzle's: drawn bold); step ({confidence, changed, violations}: per-token
  // confidence 0..1, the token indices that changed, those that break a rule; null: none).
  // Step indices are token indices; grid.index(r, c) maps a cell to its token where they differ (ARC).
  function draw(el, grid, opts) {
    const kind = opts.kind, step = opts.step || null, givens = opts.givens || [];
    const [br, bc] = kind === "sudoku" ? (BOXES[grid.cols] || [grid.rows, grid.cols]) : [0, 0];
    el.style.gridTemplateColumns = "repeat(" + grid.cols + ", auto)";
    el.className = "board " + kind;
    el.replaceChildren();
    const bad = new Set(step && Array.isArray(step.violations) ? step.violations : []);
    const changed = new Set(step && step.changed ? step.changed : []);
    grid.values.forEach((v, i) => {
      const r = Math.floor(i / grid.cols), col = i % grid.cols, token = grid.index ? grid.index(r, col) : i;
      const c = document.createElement("div");
      c.className = "cell";
      c.dataset.value = v === null ? "" : String(v);
      if (kind === "sudoku") c.textContent = v ? String(v) : "";
      else if (kind === "maze") c.classList.add("maze-" + ({ "#": "wall", " ": "open", S: "start", G: "goal", o: "path" }[v] || "pad"));
      else if (kind === "arc") { if (v !== null) c.style.backgroundColor = ARC_COLOURS[v]; else c.classList.add("arc-none"); }
      else c.textContent = String(v);
      if (givens[i]) c.classList.add("given");
      if (bad.has(token)) c.classList.add("bad");
      if (changed.has(token)) c.classList.add("changed");
      if (br && col % bc === bc - 1 && col < grid.cols - 1) c.classList.add("boxRight");
      if (br && r % br === br - 1 && r < grid.rows - 1) c.classList.add("boxBottom");
      if (step && step.confidence) {
        const p = step.confidence[token];
        // Sudoku: blue shading; coloured cells (maze, ARC): faded where the model is unsure
        if (kind === "sudoku") c.style.background = "rgba(70, 130, 180, " + (0.45 * p).toFixed(3) + ")";
        else c.style.opacity = (0.35 + 0.65 * p).toFixed(3);
      }
      el.appendChild(c);
    });
  }

  // One position per z update of every segment of a trace example, then the answer (the last
  // segment's output): {label, segment, prediction, confidence, changed, violations}.
  function steps(example) {
    const out = [], segs = example.segments;
    segs.forEach((s, k) => s.updates.forEach((u, j) => out.push({
      label: "segment " + (k + 1) + ", update " + (j + 1) + " of " + s.updates.length + " (" + u.module + ")",
      segment: k, prediction: u.prediction, confidence: u.confidence, changed: u.changed, violations: u.violations })));
    const last = segs[segs.length - 1], before = out.length ? out[out.length - 1].prediction : last.prediction;
    out.push({ label: "answer (segment " + segs.length + "'s output)", segment: segs.length - 1, prediction: last.prediction,
      confidence: out.length ? out[out.length - 1].confidence : last.prediction.map(() => 1),
      changed: last.prediction.map((t, i) => t !== before[i] ? i : -1).filter(i => i >= 0), violations: last.violations });
    return out;
  }

  return { value, fromTokens, fromRows, draw, steps, ARC_COLOURS, MAZE };
})();
