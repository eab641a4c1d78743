/**
 * A line chart as plain SVG text (no library): DER against the number of nodes, with axes, ticks,
 * grid, axis labels, a legend and optional ±1 σ error bars — sized and styled for a paper figure.
 */

export interface PlotSeries {
  label: string;
  points: { x: number; y: number; sd?: number }[];
  /** `markers`: measured points joined by a line; `dashed`: a reference curve. */
  style: 'markers' | 'dashed';
}

export interface PlotInput {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  /** y range; default [0, 1]. */
  yMax?: number;
}

const COLOURS = ['#1f4e9c', '#c0392b', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];

/** Tick step of 1, 2 or 5 × 10^k giving about `target` intervals over [0, max]. */
export function niceStep(max: number, target = 5): number {
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function plotSvg(p: PlotInput): string {
  const W = 640, H = 420;
  const left = 70, right = 20, top = 40, bottom = 60;
  const pw = W - left - right, ph = H - top - bottom;
  const xMaxData = Math.max(1, ...p.series.flatMap((s) => s.points.map((q) => q.x)));
  const xStep = niceStep(xMaxData);
  const xMax = Math.ceil(xMaxData / xStep) * xStep;
  const yMax = p.yMax ?? 1;
  const yStep = niceStep(yMax);
  const X = (x: number) => left + (x / xMax) * pw;
  const Y = (y: number) => top + ph - (Math.min(Math.max(y, 0), yMax) / yMax) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${left + pw / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`);
  // grid and ticks
  for (let v = 0; v <= xMax + xStep / 2; v += xStep) {
    const x = f2(X(v));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${x}" y1="${top + ph}" x2="${x}" y2="${top + ph + 5}" stroke="#000"/>`);
    out.push(`<text x="${x}" y="${top + ph + 18}" text-anchor="middle">${Math.round(v * 1000) / 1000}</text>`);
  }
  for (let v = 0; v <= yMax + yStep / 2; v += yStep) {
    const y = f2(Y(v));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#000"/>`);
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${Math.round(v * 1000) / 1000}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#000"/>`);
  out.push(`<text x="${left + pw / 2}" y="${H - 18}" text-anchor="middle" font-size="13">${esc(p.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(p.yLabel)}</text>`);
  // series
  p.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const d = pts.map((q, k) => `${k === 0 ? 'M' : 'L'}${f2(X(q.x))} ${f2(Y(q.y))}`).join(' ');
    if (pts.length > 1) out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="${s.style === 'dashed' ? 1.5 : 2}"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.style === 'markers') {
      for (const q of pts) {
        if (q.sd !== undefined && q.sd > 0) {
          const x = f2(X(q.x)), y1 = f2(Y(q.y - q.sd)), y2 = f2(Y(q.y + q.sd));
          out.push(`<path d="M${x} ${y1} L${x} ${y2} M${f2(X(q.x) - 4)} ${y1} L${f2(X(q.x) + 4)} ${y1} M${f2(X(q.x) - 4)} ${y2} L${f2(X(q.x) + 4)} ${y2}" stroke="${c}" fill="none"/>`);
        }
        out.push(`<circle cx="${f2(X(q.x))}" cy="${f2(Y(q.y))}" r="3.5" fill="${c}" stroke="#fff" stroke-width="1"/>`);
      }
    }
  });
  // legend, top right inside the plot
  const lw = Math.max(...p.series.map((s) => s.label.length)) * 6.6 + 44;
  const lx = left + pw - lw - 10, ly = top + 10;
  out.push(`<rect x="${f2(lx)}" y="${ly}" width="${f2(lw)}" height="${p.series.length * 18 + 8}" fill="#fff" stroke="#999"/>`);
  p.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    const y = ly + 13 + i * 18;
    out.push(`<line x1="${f2(lx + 8)}" y1="${y}" x2="${f2(lx + 32)}" y2="${y}" stroke="${c}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.style === 'markers') out.push(`<circle cx="${f2(lx + 20)}" cy="${y}" r="3.5" fill="${c}"/>`);
    out.push(`<text x="${f2(lx + 38)}" y="${y}" dominant-baseline="middle">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
