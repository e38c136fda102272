// arc-task.js: an ARC task file for hrm serve's page, read as hrm solve arc reads it
// ({"train": [{"input", "output"}, ...], "test": [{"input", "output"?}, ...], "name"?: the task's name,
// else the file's name less .json), and its pairs drawn small with board.js for context.
"use strict";
const HrmArcTask = (() => {
  const MAX_SIDE = 30;

  // A grid of colours: a non-empty list of equal rows of whole numbers 0-9, at most 30x30. Errors name `field`.
  function grid(g, field) {
    if (!Array.isArray(g) || !g.length) throw new Error(field + ": expected a non-empty list of rows");
    if (g.length > MAX_SIDE) throw new Error(field + ": " + g.length + " rows, more than " + MAX_SIDE);
    g.forEach((row, r) => {
      if (!Array.isArray(row) || !row.length) throw new Error(field + "[" + r + "]: expected a non-empty list of colours");
      if (row.length !== g[0].length) throw new Error(field + "[" + r + "]: ragged grid: row " + r + " has " + row.length + " cells, row 0 has " + g[0].length);
      if (row.length > MAX_SIDE) throw new Error(field + "[" + r + "]: " + row.length + " columns, more than " + MAX_SIDE);
      row.forEach((v, c) => {
        if (!Number.isInteger(v) || v < 0 || v > 9) throw new Error(field + "[" + r + "][" + c + "]: colour " + JSON.stringify(v) + " is not an integer 0-9");
      });
    });
    return g;
  }

  function pairs(list, key, outputNeeded) {
    if (!Array.isArray(list) || !list.length) throw new Error(key + ": expected a non-empty list of {input, output} pairs");
    return list.map((p, i) => {
      const field = key + "[" + i + "]";
      if (!p || typeof p !== "object" || Array.isArray(p)) throw new Error(field + ": expected an object with 'input' and 'output'");
      const out = { input: grid(p.input, field + ".input"), output: null };
      if (p.output !== undefined || outputNeeded) out.output = grid(p.output, field + ".output");
      return out;
    });
  }

  // The task in a file's text: {name, train, test}; an Error naming the file and the field if it is not one.
  function parse(text, fileName) {
    try {
      let root;
      try {
        root = JSON.parse(text);
      } catch (e) {
        throw new Error("not valid JSON: " + e.message);
      }
      if (!root || typeof root !== "object" || Array.isArray(root)) throw new Error("expected a JSON object with 'train' and 'test'");
      if (root.name !== undefined && (typeof root.name !== "string" || !root.name)) throw new Error("name: expected a non-empty string");
      return { name: root.name || fileName.replace(/\.json$/, ""), train: pairs(root.train, "train", true), test: pairs(root.test, "test", false) };
    } catch (e) {
      throw new Error(fileName + ": " + e.message);
    }
  }

  // One small board of a grid (null: a '?' in its place) in a new element.
  function small(g) {
    const el = document.createElement("div");
    if (g) HrmBoard.draw(el, HrmBoard.fromRows("arc", g), { kind: "arc" });
    else el.textContent = "?";
    return el;
  }

  // Draws into `el` the task's train pairs, input -> output, then test input `t` (0-based) -> ?.
  function show(el, task, t) {
    const figures = task.train.map((p, i) => [p.input, p.output, "train " + (i + 1)])
      .concat([[task.test[t].input, null, "test input " + (t + 1)]]);
    el.replaceChildren(...figures.map(([input, output, label]) => {
      const f = document.createElement("figure");
      f.className = "pair";
      const caption = document.createElement("figcaption");
      caption.textContent = label;
      f.append(small(input), document.createTextNode("\u2192"), small(output), caption);
      return f;
    }));
  }

  return { grid, parse, show };
})();
