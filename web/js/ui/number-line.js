// number-line.js — a small SVG plot of a batch on a number line, optionally with a second line below it
// and a connector from each value to its counterpart (step 1: x above, x̂ below). The points of the first
// line can be dragged with a mouse, a finger or a pen, and moved with the arrow keys (each point is a
// slider). The plot only draws what it is given: positions are geometry, never statistics.
//
//   const line = createNumberLine({ label, tracks: [{ name: 'x', editable: true }, { name: 'x̂', symmetric: true }],
//                                   onInput(values, { final }) { … } });
//   line.render({ tracks: [{ values, marker, band }, { values, band }] });   // marker: a value to mark (μ);
//                                                                           // band: [lo, hi] to shade
//   root.append(line.element); …; line.destroy();
import { svg, el } from './dom.js';
import { formatNumber } from './format.js';

const HEIGHT_PER_TRACK = 62;
const PAD = { left: 34, right: 18, top: 22 };
const HANDLE_RADIUS = 8;
const HIT_RADIUS = 20;  // a finger-sized target around each draggable point

// "Nice" tick positions (1, 2, 5 × 10^k) covering [lo, hi], about `count` of them.
function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
  return nice * power;
}

function ticks(lo, hi, count) {
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function decimalsOf(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

// The visible range for a list of values: their span plus a margin, never empty (a constant batch still
// gets a readable axis around its value).
function domainFor(values, symmetric) {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return symmetric ? [-2, 2] : [-1, 1];
  if (symmetric) {
    const reach = Math.max(2, Math.ceil(Math.max(...finite.map(Math.abs)) * 1.1));
    return [-reach, reach];
  }
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const span = hi - lo;
  const floor = Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12;  // below this a span is rounding, not data
  const margin = span > floor ? span * 0.15 : Math.max(1, Math.abs(lo) * 0.1);
  lo -= margin;
  hi += margin;
  const step = niceStep(hi - lo, 5);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

export function createNumberLine({ label, tracks, onInput }) {
  const element = el('div', { class: 'number-line' });
  const plot = svg('svg', { role: 'group', 'aria-label': label, class: 'number-line-svg' });
  element.append(plot);

  let width = 600;
  let data = { tracks: tracks.map(() => ({ values: [] })) };
  const domains = tracks.map(() => [-1, 1]);
  let dragging = null;  // { index, pointerId } while a point is being dragged
  const handles = [];   // persistent slider elements of the editable track, so focus survives a redraw

  const trackY = (t) => PAD.top + t * HEIGHT_PER_TRACK;
  const toX = (t, v) => {
    const [lo, hi] = domains[t];
    return PAD.left + ((v - lo) / (hi - lo)) * (width - PAD.left - PAD.right);
  };
  const fromX = (t, x) => {
    const [lo, hi] = domains[t];
    const clamped = Math.min(Math.max(x, PAD.left), width - PAD.right);
    return lo + ((clamped - PAD.left) / (width - PAD.left - PAD.right)) * (hi - lo);
  };
  const stepOf = (t) => niceStep(domains[t][1] - domains[t][0], 50);
  const snap = (t, v) => {
    const step = stepOf(t);
    return Number((Math.round(v / step) * step).toFixed(decimalsOf(step)));
  };

  // The layers, back to front.
  const gridLayer = svg('g', { 'aria-hidden': 'true' });
  const connectorLayer = svg('g', { class: 'nl-connectors', 'aria-hidden': 'true' });
  const pointLayer = svg('g', { 'aria-hidden': 'true' });
  const handleLayer = svg('g');
  plot.append(gridLayer, connectorLayer, pointLayer, handleLayer);

  function emit(index, value, final) {
    const values = data.tracks[0].values.slice();
    values[index] = value;
    onInput(values, { final });
  }

  function handleFor(index) {
    if (handles[index]) return handles[index];
    const g = svg('g', { class: 'nl-handle', role: 'slider', tabindex: '0' });
    g.append(svg('circle', { class: 'nl-hit', r: HIT_RADIUS }), svg('circle', { class: 'nl-dot', r: HANDLE_RADIUS }));
    g.addEventListener('pointerdown', (event) => {
      if (event.button !== undefined && event.button !== 0) return;
      event.preventDefault();
      g.focus({ preventScroll: true });
      try {
        g.setPointerCapture(event.pointerId);  // keep receiving moves when the finger leaves the dot
      } catch {
        // a pointer the browser no longer tracks: dragging still works while over the dot
      }
      dragging = { index, pointerId: event.pointerId };
      g.classList.add('is-dragging');
    });
    g.addEventListener('pointermove', (event) => {
      if (!dragging || dragging.pointerId !== event.pointerId) return;
      const box = plot.getBoundingClientRect();
      emit(index, snap(0, fromX(0, event.clientX - box.left)), false);
    });
    const end = (event) => {
      if (!dragging || dragging.pointerId !== event.pointerId) return;
      dragging = null;
      g.classList.remove('is-dragging');
      emit(index, data.tracks[0].values[index], true);  // final: the plot may now rescale
    };
    g.addEventListener('pointerup', end);
    g.addEventListener('pointercancel', end);
    g.addEventListener('keydown', (event) => {
      const step = stepOf(0);
      const big = event.shiftKey ? 10 : 1;
      const moves = { ArrowRight: step * big, ArrowUp: step * big, ArrowLeft: -step * big, ArrowDown: -step * big, PageUp: 10 * step, PageDown: -10 * step };
      if (!(event.key in moves)) return;
      event.preventDefault();
      emit(index, snap(0, data.tracks[0].values[index] + moves[event.key]), true);
    });
    handles[index] = g;
    return g;
  }

  function drawAxis(t) {
    const y = trackY(t);
    const [lo, hi] = domains[t];
    const spec = tracks[t];
    const band = data.tracks[t].band;
    if (band) {
      const x0 = Math.max(PAD.left, toX(t, band[0]));
      const x1 = Math.min(width - PAD.right, toX(t, band[1]));
      if (x1 > x0) gridLayer.append(svg('rect', { class: 'nl-band', x: x0, y: y - 12, width: x1 - x0, height: 24, rx: 4 }));
    }
    gridLayer.append(svg('line', { class: 'nl-axis', x1: PAD.left, x2: width - PAD.right, y1: y, y2: y }));
    gridLayer.append(svg('text', { class: 'nl-name', x: 4, y: y + 5, text: spec.name }));
    // As many ticks as fit with their labels apart: fewer and fewer until they do.
    const span = width - PAD.left - PAD.right;
    let marks = [];
    for (let count = 8; count >= 2; count--) {
      marks = ticks(lo, hi, count);
      const longest = Math.max(...marks.map((m) => formatNumber(m).length));
      if (span / Math.max(1, marks.length - 1) >= longest * 7.5 + 14) break;
    }
    for (const tick of marks) {
      const x = toX(t, tick);
      gridLayer.append(svg('line', { class: 'nl-tick', x1: x, x2: x, y1: y - 4, y2: y + 4 }));
      gridLayer.append(svg('text', { class: 'nl-tick-label', x, y: y + 20, 'text-anchor': 'middle', text: formatNumber(tick) }));
    }
    const marker = data.tracks[t].marker;
    if (Number.isFinite(marker)) {
      const x = toX(t, marker);
      gridLayer.append(svg('path', { class: 'nl-marker', d: `M${x},${y - 15} l-5,-7 h10 z` }));
    }
  }

  function draw() {
    width = Math.max(240, Math.round(element.clientWidth || width));
    const height = PAD.top + (tracks.length - 1) * HEIGHT_PER_TRACK + 30;
    plot.setAttribute('viewBox', `0 0 ${width} ${height}`);
    plot.setAttribute('width', width);
    plot.setAttribute('height', height);
    for (let t = 0; t < tracks.length; t++) {
      if (!(dragging && t === 0)) domains[t] = domainFor(data.tracks[t].values, tracks[t].symmetric);
    }
    gridLayer.replaceChildren();
    connectorLayer.replaceChildren();
    pointLayer.replaceChildren();
    for (let t = 0; t < tracks.length; t++) drawAxis(t);

    const top = data.tracks[0].values;
    if (tracks.length > 1) {
      const bottom = data.tracks[1].values;
      for (let i = 0; i < Math.min(top.length, bottom.length); i++) {
        connectorLayer.append(svg('line', { x1: toX(0, top[i]), y1: trackY(0) + HANDLE_RADIUS, x2: toX(1, bottom[i]), y2: trackY(1) - 6 }));
      }
      for (let t = 1; t < tracks.length; t++) {
        for (const v of data.tracks[t].values) {
          if (Number.isFinite(v)) pointLayer.append(svg('circle', { class: 'nl-point', cx: toX(t, v), cy: trackY(t), r: 6 }));
        }
      }
    }

    if (tracks[0].editable) {
      handles.splice(top.length).forEach((h) => h.remove());
      top.forEach((v, i) => {
        const g = handleFor(i);
        g.setAttribute('transform', `translate(${toX(0, v)},${trackY(0)})`);
        g.setAttribute('aria-label', `${tracks[0].name}${subscriptDigits(i + 1)}, value ${i + 1} of ${top.length}`);
        g.setAttribute('aria-valuenow', String(v));
        g.setAttribute('aria-valuetext', formatNumber(v));
        g.setAttribute('aria-valuemin', String(domains[0][0]));
        g.setAttribute('aria-valuemax', String(domains[0][1]));
        if (!g.isConnected) handleLayer.append(g);
      });
    } else {
      for (const v of top) if (Number.isFinite(v)) pointLayer.append(svg('circle', { class: 'nl-point', cx: toX(0, v), cy: trackY(0), r: 6 }));
    }
  }

  // Redraw when the width changes (the height never does). Deferred to the next frame so that a redraw
  // can never feed back into the same round of resize notifications.
  let frame = 0;
  const resize = typeof ResizeObserver === 'function'
    ? new ResizeObserver(() => {
      if (Math.round(element.clientWidth) === width || frame) return;
      frame = requestAnimationFrame(() => { frame = 0; draw(); });
    })
    : null;
  if (resize) resize.observe(element);

  return {
    element,
    render(next) {
      data = next;
      draw();
    },
    destroy() {
      if (resize) resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
      element.remove();
    },
  };
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
function subscriptDigits(n) {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]);
}
