// maze-editor.js: a maze to draw for hrm serve's page. Rows of '#' (wall), ' ' (open), 'S' and 'G',
// drawn with board.js; a click or a drag with the "wall" tool turns open cells into walls (or walls
// into open cells, as the first cell went), the "S" and "G" tools move the start or the goal there.
"use strict";
const HrmMazeEditor = (() => {
  // An n x n maze of open cells walled round, S at the top left and G at the bottom right.
  function empty(n) {
    const rows = [];
    for (let r = 0; r < n; r++) {
      let row = "";
      for (let c = 0; c < n; c++) row += r === 0 || c === 0 || r === n - 1 || c === n - 1 ? "#" : " ";
      rows.push(row);
    }
    if (n >= 3) {
      rows[1] = rows[1].slice(0, 1) + "S" + rows[1].slice(2);
      rows[n - 2] = rows[n - 2].slice(0, n - 2) + "G" + rows[n - 2].slice(n - 1);
    }
    return rows;
  }

  // A maze file's rows as hrm solve reads them: lines ending in LF, CRLF or CR, blank lines at the
  // end dropped, short lines (that lost their trailing spaces) filled with open cells to the maze's
  // side (its row count). A longer line is an Error: mazes are square.
  function fromText(text) {
    const lines = text.split(/\r\n|\r|\n/);
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    const n = lines.length;
    if (!n) throw new Error("maze: an empty file");
    lines.forEach((l, r) => {
      if (l.length > n) throw new Error("maze: line " + (r + 1) + " has " + l.length + " characters in a maze of " + n + " rows (mazes are square)");
    });
    return lines.map(l => l.padEnd(n, " "));
  }

  // An editor in the element `el`; tool() names the tool chosen ("wall", "S" or "G").
  function create(el, tool) {
    let rows = [], paint = null; // paint: what a drag leaves in the cells it crosses ('#' or ' ')

    function redraw() {
      HrmBoard.draw(el, HrmBoard.fromRows("maze", rows), { kind: "maze" });
    }

    function set(r, c, v) {
      rows[r] = rows[r].slice(0, c) + v + rows[r].slice(c + 1);
    }

    function cellAt(target) {
      const cell = target.closest(".cell");
      const i = cell ? Array.prototype.indexOf.call(el.children, cell) : -1;
      return i < 0 ? null : [Math.floor(i / rows.length), i % rows.length];
    }

    // The one S (or G) moves to the cell; a wall or open cell under a drag becomes `paint`.
    function apply(r, c) {
      const here = rows[r][c];
      if (paint === null) {
        const t = tool();
        if (t === "S" || t === "G") {
          rows.forEach((row, k) => { const j = row.indexOf(t); if (j >= 0) set(k, j, " "); });
          set(r, c, t);
          redraw();
          return;
        }
        paint = here === "#" ? " " : "#";
      }
      if (here === "S" || here === "G" || here === paint) return;
      set(r, c, paint);
      redraw();
    }

    el.addEventListener("pointerdown", e => {
      const at = e.button === 0 ? cellAt(e.target) : null;
      if (!at) return;
      e.preventDefault();
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId); // touch: let the drag reach other cells
      paint = null;
      apply(at[0], at[1]);
    });
    el.addEventListener("pointerover", e => {
      const at = paint !== null && e.buttons === 1 ? cellAt(e.target) : null;
      if (at) apply(at[0], at[1]);
    });
    document.addEventListener("pointerup", () => { paint = null; });

    return {
      load(newRows) { rows = newRows.slice(); paint = null; redraw(); },
      rows: () => rows.slice(),
    };
  }

  return { empty, fromText, create };
})();
