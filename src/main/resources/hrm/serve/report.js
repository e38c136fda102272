// hrm view's report: draws the sections of the JSON in #report-data (a trace.json of hrm analyze
// trace; an hrm eval output directory) with board.js, as hrm serve's page draws them. hrm view
// inlines this file, board.js and the page's style.css into one HTML file: nothing is fetched.
// Element ids are "s<section>-<part>" (s0-board, s0-step, s1-list, ...), so tests can read them.
"use strict";
(() => {
  // An element with properties (id, className, textContent, ...) and children.
  function el(tag, props, ...children) {
    const e = Object.assign(document.createElement(tag), props || {});
    e.append(...children);
    return e;
  }

  // A number as text; NaN and the infinities come as strings (Jackson's way), shown as they are.
  function num(x, digits) {
    return typeof x === "number" ? x.toFixed(digits === undefined ? 3 : digits) : String(x);
  }

  // The rectangle an ARC drawing is cut to: the one `tokens` fills (the answer, the label), so the
  // boards compared keep one size; undefined: board.js's own choice (and for other kinds).
  function arcArea(kind, tokens) {
    if (kind !== "arc") return undefined;
    const g = HrmBoard.fromTokens(kind, tokens);
    return g.rows && g.cols ? { rows: g.rows, cols: g.cols } : undefined;
  }

  // A Sudoku's given cells (drawn bold on each of its boards): tokens over 1 (0 padding, 1 blank).
  function givensOf(kind, input) {
    return kind === "sudoku" ? input.map(t => t > 1) : [];
  }

  // An empty board with its caption: {fig, board, caption}.
  function figure(id, caption) {
    const board = el("div", { id, className: "board" }), cap = el("figcaption", { textContent: caption });
    return { fig: el("figure", {}, board, cap), board, caption: cap };
  }

  function draw(board, kind, tokens, opts) {
    HrmBoard.draw(board, HrmBoard.fromTokens(kind, tokens, opts.area), { kind, givens: opts.givens, step: opts.step });
  }

  // What a step's rule check says: a Sudoku's cells that repeat a digit, a maze path's validity.
  function rules(v) {
    if (Array.isArray(v)) return v.length ? v.length + " cells break a rule" : "no rule broken";
    if (v === true) return "a valid shortest path";
    if (v === false) return "not a valid shortest path";
    return "no rule check for this kind";
  }

  function meta(parts) {
    return el("p", { className: "meta", textContent: parts.filter(Boolean).join(" \u00b7 ") });
  }

  // A trace.json: pick an example, slide through every update of every segment, then the answer.
  function traceSection(sec, p, root) {
    const t = sec.trace, kind = sec.kind;
    root.append(el("h2", { textContent: "Trace: " + sec.source }),
      meta([t.checkpoint && "checkpoint " + t.checkpoint, t.decode && "decode " + t.decode,
        "drawn as " + kind + " (from " + sec.kind_from + ")"]),
      meta([sec.examples + " traced examples", sec.left_out ? sec.left_out + " left out of this report (hrm view --limit)" : ""]));
    if (!t.examples.length) return;
    const pick = el("select", { id: p + "example" },
      ...t.examples.map((ex, i) => el("option", { value: String(i), textContent: "example " + ex.index })));
    const input = figure(p + "input", "the puzzle (input)"), shown = figure(p + "board", "the model's prediction");
    const slider = el("input", { id: p + "step", type: "range", className: "step", min: "0", max: "0", value: "0" });
    const label = el("p", { id: p + "label", className: "stepLabel" });
    const halts = el("p", { id: p + "halts" });
    const segments = el("ol", { id: p + "segments", className: "segments" });
    root.append(el("label", { textContent: "example " }, pick), el("div", { className: "boards" }, input.fig, shown.fig),
      slider, label, halts, segments);
    let steps = [], opts = {};

    function showStep(i) {
      const s = steps[i];
      draw(shown.board, kind, s.prediction, { area: opts.area, givens: opts.givens, step: s });
      label.textContent = "step " + (i + 1) + " of " + steps.length + ": " + s.label + ", "
        + s.changed.length + " cells changed, " + rules(s.violations);
      [...segments.children].forEach((li, k) => li.classList.toggle("current", k === s.segment));
    }

    function showExample(i) {
      const ex = t.examples[i], segs = ex.segments;
      steps = HrmBoard.steps(ex);
      opts = { area: arcArea(kind, segs[segs.length - 1].prediction) || arcArea(kind, ex.input), givens: givensOf(kind, ex.input) };
      draw(input.board, kind, ex.input, { givens: opts.givens });
      segments.replaceChildren(...segs.map((s, k) => el("li", { textContent: "segment " + (k + 1) + ": q_halt " + num(s.q_halt)
        + ", q_continue " + num(s.q_continue) + (s.act_halts_here ? "  \u2190 ACT halts here" : "") })));
      const at = segs.findIndex(s => s.act_halts_here);
      halts.textContent = at >= 0 ? "ACT halts after segment " + (at + 1) + " of " + segs.length
        : "ACT does not halt before the last segment (" + segs.length + ")";
      slider.max = String(steps.length - 1);
      slider.value = slider.max; // the answer first, as on the page
      showStep(steps.length - 1);
    }

    pick.addEventListener("change", () => showExample(Number(pick.value)));
    slider.addEventListener("input", () => showStep(Number(slider.value)));
    showExample(0);
  }

  // metrics.json as rows of a table: nested objects (per set, ARC, maze, views) as dotted names.
  function metricRows(m, prefix) {
    return Object.entries(m).flatMap(([k, v]) => v !== null && typeof v === "object" && !Array.isArray(v)
      ? metricRows(v, prefix + k + ".")
      : [el("tr", {}, el("td", { textContent: prefix + k }),
        el("td", { className: "value", textContent: typeof v === "number" && !Number.isInteger(v) ? num(v, 4) : String(v) }))]);
  }

  // An hrm eval directory: its metrics, then its examples right or wrong, each drawn as input, label
  // and prediction with the wrong cells marked (board.js's rule-breaking red).
  function evalSection(sec, p, root) {
    const kind = sec.kind;
    root.append(el("h2", { textContent: "Evaluation: " + sec.source }),
      meta(["drawn as " + kind + " (from " + sec.kind_from + ")"]),
      el("table", { id: p + "metrics", className: "metrics" }, ...metricRows(sec.metrics, "")));
    const pickSet = el("select", { id: p + "set" }, ...sec.sets.map((s, i) => el("option", { value: String(i), textContent: "set " + s.name })));
    const only = el("input", { id: p + "failures", type: "checkbox" });
    const count = el("p", { id: p + "count" });
    const list = el("ul", { id: p + "list", className: "examples" });
    const chosen = el("p", { id: p + "chosen" });
    const input = figure(p + "input", "input"), label = figure(p + "label", "label"),
      prediction = figure(p + "prediction", "prediction (wrong cells marked)");
    root.append(el("div", { className: "controls" }, sec.sets.length > 1 ? pickSet : "", el("label", {}, only, " failures only")),
      count, list, chosen, el("div", { className: "boards" }, input.fig, label.fig, prediction.fig));
    let set = sec.sets[0], current = null;

    function showItem(it) {
      current = it;
      const givens = givensOf(kind, it.input), area = arcArea(kind, it.label);
      draw(input.board, kind, it.input, { givens });
      draw(label.board, kind, it.label, { givens, area });
      draw(prediction.board, kind, it.prediction, { givens, area, step: { violations: it.wrong_cells, changed: [], confidence: null } });
      chosen.textContent = "example " + it.index + " of set " + set.name + ": " + (it.correct ? "right"
        : "wrong, " + it.wrong_cells.length + " cells") + ", q_halt " + num(it.q_halt) + ", puzzle identifier " + it.puzzle_identifier;
      [...list.children].forEach(li => li.classList.toggle("current", li.dataset.index === String(it.index)));
    }

    function showList() {
      const items = set.items.filter(it => !only.checked || !it.correct);
      list.replaceChildren(...items.map(it => {
        const b = el("button", { type: "button", className: it.correct ? "right" : "wrong",
          textContent: it.index + (it.correct ? " \u2713" : " \u2717") });
        b.addEventListener("click", () => showItem(it));
        const li = el("li", {}, b);
        li.dataset.index = String(it.index);
        return li;
      }));
      count.textContent = "set " + set.name + ": " + set.examples + " examples, " + set.wrong + " wrong; " + set.items.length
        + " in this report (failures first)" + (set.left_out ? ", " + set.left_out + " left out (hrm view --limit)" : "")
        + (only.checked ? "; listed: the " + items.length + " wrong ones" : "");
      if (items.length) showItem(items.includes(current) ? current : items[0]);
      else {
        current = null;
        chosen.textContent = "no example to show";
        [input, label, prediction].forEach(f => f.board.replaceChildren());
      }
    }

    pickSet.addEventListener("change", () => { set = sec.sets[Number(pickSet.value)]; current = null; showList(); });
    only.addEventListener("change", showList);
    showList();
  }

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const main = document.getElementById("report");
  main.append(el("h1", { textContent: data.title }));
  if (data.sections.length > 1)
    main.append(el("nav", {}, el("ol", {}, ...data.sections.map((s, n) => el("li", {}, el("a", { href: "#section-" + n,
      textContent: (s.type === "trace" ? "Trace: " : "Evaluation: ") + s.source }))))));
  main.append(el("p", { className: "legend", innerHTML: "<b>bold</b>: given &middot; <span class=\"bad\">red</span>: breaks a rule"
    + " (a trace) or wrong (an evaluation) &middot; <span class=\"changed\">outlined</span>: changed since the previous step"
    + " &middot; blue shading: confidence" }));
  data.sections.forEach((sec, n) => {
    const root = el("section", { id: "section-" + n, className: "section" });
    main.append(root);
    try {
      (sec.type === "trace" ? traceSection : evalSection)(sec, "s" + n + "-", root);
    } catch (e) { // one bad section leaves the others drawn
      root.append(el("p", { className: "error", textContent: "this section could not be drawn: " + e.message }));
      console.error(e);
    }
  });
})();
