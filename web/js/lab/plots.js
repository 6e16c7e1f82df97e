// The lab's plots: thin wrappers around uPlot (canvas; fine under the strict CSP). Each plot draws one
// table { x: [], series: { key: [] } } described by a plot spec from experiments.js. Colours come from
// the stylesheet's custom properties (lab.css), so light and dark schemes both work.
import uPlot from 'uplot';

const DASHES = [[2, 3], [8, 4], []];

/** Reads the lab's colours from CSS custom properties on `root`. */
export function readColours(root) {
  const style = getComputedStyle(root);
  const get = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    plain: get('--lab-plain', '#c2410c'),
    bn: get('--lab-bn', '#1d4ed8'),
    axis: get('--lab-axis', '#444'),
    grid: get('--lab-grid', 'rgba(128,128,128,0.25)'),
    background: get('--lab-background', '#fff'),
    text: get('--lab-text', '#111'),
  };
}

export function createPlot(container, spec, colours, width) {
  const series = [{ label: spec.x.label }];
  for (const s of spec.series) {
    series.push({
      label: s.label,
      stroke: colours[s.lane] || colours.plain,
      width: s.shade === undefined ? 2 : 1 + s.shade * 0.75,
      dash: s.dash ? [6, 4] : s.shade !== undefined ? DASHES[s.shade] : undefined,
      points: { show: Boolean(s.points), size: 6 },
      spanGaps: false,
      value: (_u, v) => (v === null || v === undefined ? '–' : formatNumber(v)),
    });
  }
  const axis = (label) => ({
    label, stroke: colours.axis, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 },
    font: '11px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif', size: 44,
  });
  const options = {
    width: Math.max(240, width), height: 220,
    series,
    scales: {
      x: { time: false, ...(spec.x.log ? { distr: 3 } : {}) },
      y: { ...(spec.y.log ? { distr: 3 } : {}), ...(spec.y.range ? { range: spec.y.range } : {}) },
    },
    axes: [{ ...axis(spec.x.label), ...(spec.x.integer ? { incrs: [1, 2, 5, 10, 20, 50] } : {}) }, { ...axis(spec.y.label), size: 56 }],
    legend: { show: true, live: false },
    cursor: { show: true, drag: { x: false, y: false } },
  };
  const plot = new uPlot(options, [[], ...spec.series.map(() => [])], container);
  return {
    update(table, yRange) {
      const clean = (values) => values.map((v) => (v === null || !Number.isFinite(v) || (spec.y.log && v <= 0) ? null : v));
      plot.setData([table.x.slice(), ...spec.series.map((s) => clean(table.series[s.key]))], true);
      if (yRange && table.x.length) plot.setScale('y', { min: yRange[0], max: yRange[1] });
    },
    resize(w) { plot.setSize({ width: Math.max(240, w), height: 220 }); },
    canvas: () => plot.ctx.canvas,
    destroy() { plot.destroy(); },
  };
}

/** A PNG of one plot: title, the plot's canvas and a legend, on the current scheme's background. */
export function plotToPng(plot, spec, colours) {
  const source = plot.canvas();
  const ratio = source.width / source.clientWidth || 1;
  const pad = 8 * ratio, title = 18 * ratio, row = 16 * ratio;
  const out = document.createElement('canvas');
  out.width = source.width + 2 * pad;
  out.height = source.height + title + row * spec.series.length + 3 * pad;
  const ctx = out.getContext('2d');
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = colours.text;
  ctx.font = `bold ${13 * ratio}px system-ui, sans-serif`;
  ctx.fillText(spec.title, pad, pad + 13 * ratio);
  ctx.drawImage(source, pad, pad + title);
  ctx.font = `${12 * ratio}px system-ui, sans-serif`;
  spec.series.forEach((s, i) => {
    const y = pad * 2 + title + source.height + row * i;
    ctx.fillStyle = colours[s.lane] || colours.plain;
    ctx.fillRect(pad, y + 4 * ratio, 14 * ratio, 4 * ratio);
    ctx.fillStyle = colours.text;
    ctx.fillText(s.label, pad + 20 * ratio, y + 10 * ratio);
  });
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

export function formatNumber(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
