// Cell-by-cell agreement of a recognised table with its ground truth, shared by tests and bench.
// Rows are aligned in order (a recognised table may split or miss a row), columns by the one offset
// that matches most cells; a ground-truth cell counts when the cell in the same aligned row and
// column has the same text (case, spacing and NFKC differences ignored).

const norm = (s) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Parses RFC 4180 CSV into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function rowWeight(gtRow, predRow) {
  const pred = new Set(predRow.map(norm));
  return gtRow.filter((c) => norm(c) && pred.has(norm(c))).length;
}

/** Returns { cells, matched, rate } for a predicted grid against the ground-truth grid. */
export function scoreTable(pred, gt) {
  const n = gt.length;
  const m = pred.length;
  // Monotonic row alignment maximising position-free cell matches.
  const best = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = 1; i <= n; i++) for (let j = 1; j <= m; j++) {
    best[i][j] = Math.max(best[i - 1][j], best[i][j - 1], best[i - 1][j - 1] + rowWeight(gt[i - 1], pred[j - 1]));
  }
  const pairs = [];
  for (let i = n, j = m; i > 0 && j > 0;) {
    if (best[i][j] === best[i - 1][j]) i--;
    else if (best[i][j] === best[i][j - 1]) j--;
    else { pairs.push([i - 1, j - 1]); i--; j--; }
  }
  const offsets = new Map();
  for (const [i, j] of pairs) gt[i].forEach((c, col) => {
    if (!norm(c)) return;
    pred[j].forEach((p, pc) => { if (norm(p) === norm(c)) offsets.set(pc - col, (offsets.get(pc - col) ?? 0) + 1); });
  });
  const offset = [...offsets.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const cells = gt.flat().filter((c) => norm(c)).length;
  let matched = 0;
  for (const [i, j] of pairs) gt[i].forEach((c, col) => { if (norm(c) && norm(pred[j][col + offset] ?? '') === norm(c)) matched++; });
  return { cells, matched, rate: cells ? matched / cells : 1 };
}
