// TimeChart: a line chart of the last minute on a <canvas>, newest at the right. No dependencies, no build step.
// Sized to the element by CSS (sharp on high-DPI screens); colours are CSS custom properties, read at every draw, so dark mode applies live.
'use strict';

const DASHES = { solid: [], dashed: [6, 4], dotted: [2, 3], dashdot: [8, 3, 2, 3] };

class TimeChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{windowMs?: number, minTop?: number, integer?: boolean, legend?: HTMLElement}} options
   *   minTop: the least value the y axis reaches (so that idle noise does not fill the chart); integer: whole-number ticks.
   */
  constructor(canvas, { windowMs = 60_000, minTop = 1, integer = false, legend = null } = {}) {
    this.canvas = canvas;
    this.windowMs = windowMs;
    this.minTop = minTop;
    this.integer = integer;
    this.legend = legend;
    this.series = new Map();
    this.bands = [];
  }

  /** Declares a series once (later calls return it): label, colour (a CSS custom property name), dash style, dots at each point. */
  define(key, { label, color, dash = 'solid', dots = false, width = 1.5 }) {
    let series = this.series.get(key);
    if (!series) {
      series = { label, color, dash, dots, width, points: [], live: null };
      this.series.set(key, series);
      this.renderLegend();
    }
    return series;
  }

  has(key) {
    return this.series.has(key);
  }

  /** Adds a point at time t (performance.now() milliseconds); a null value breaks the line there. */
  push(key, t, value) {
    const points = this.series.get(key).points;
    points.push([t, value]);
    const horizon = t - this.windowMs - 5_000;
    let drop = 0;
    while (drop < points.length - 2 && points[drop + 1][0] < horizon) {
      drop++;
    }
    if (drop > 0) {
      points.splice(0, drop);
    }
  }

  /** A provisional last point, such as a request still in flight drawn at its age so far; null removes it. */
  setLive(key, t, value) {
    this.series.get(key).live = t === null ? null : [t, value];
  }

  pointCount(key) {
    const series = this.series.get(key);
    return series ? series.points.length : 0;
  }

  /** A shaded interval with a label (a flood); end null while it lasts. Returns the band, whose end can be set later. */
  addBand(start, end, label) {
    const band = { start, end, label };
    this.bands.push(band);
    return band;
  }

  renderLegend() {
    if (!this.legend) {
      return;
    }
    this.legend.replaceChildren(...[...this.series.values()].map((s) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.className = s.dash;
      swatch.style.borderColor = `var(${s.color})`;
      item.append(swatch, s.label);
      return item;
    }));
  }

  draw(now) {
    const canvas = this.canvas;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) {
      return;
    }
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const css = (name) => style.getPropertyValue(name).trim() || '#888';
    const from = now - this.windowMs;

    let max = this.minTop;
    for (const s of this.series.values()) {
      for (const [t, v] of s.points) {
        if (t >= from && v !== null && v > max) {
          max = v;
        }
      }
      if (s.live && s.live[1] > max) {
        max = s.live[1];
      }
    }
    const step = niceStep(max / 4, this.integer);
    const top = Math.max(step, Math.ceil(max / step) * step);

    ctx.font = '11px system-ui, sans-serif';
    const labels = [];
    for (let v = 0; v <= top + step / 2; v += step) {
      labels.push([v, formatTick(v)]);
    }
    const left = Math.ceil(Math.max(...labels.map(([, text]) => ctx.measureText(text).width))) + 8;
    const plot = { x: left, y: 6, w: Math.max(10, width - left - 6), h: Math.max(10, height - 6 - 18) };
    const xOf = (t) => plot.x + plot.w * (t - from) / this.windowMs;
    const yOf = (v) => plot.y + plot.h * (1 - v / top);

    // Grid and axes' labels.
    ctx.lineWidth = 1;
    ctx.strokeStyle = css('--chart-grid');
    ctx.fillStyle = css('--chart-text');
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (const [v, text] of labels) {
      const y = Math.round(yOf(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.x, y);
      ctx.lineTo(plot.x + plot.w, y);
      ctx.stroke();
      ctx.fillText(text, plot.x - 4, y);
    }
    ctx.textBaseline = 'top';
    for (let ago = 0; ago <= this.windowMs; ago += 10_000) {
      const x = Math.round(xOf(now - ago)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, plot.y);
      ctx.lineTo(x, plot.y + plot.h);
      ctx.stroke();
      ctx.textAlign = ago === 0 ? 'right' : ago === this.windowMs ? 'left' : 'center';
      ctx.fillText(ago === 0 ? 'now' : `-${ago / 1000} s`, x, plot.y + plot.h + 4);
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();

    // Bands (floods) under the lines.
    for (const band of this.bands) {
      const end = band.end ?? now;
      if (end < from) {
        continue;
      }
      const x0 = xOf(Math.max(band.start, from));
      const x1 = xOf(Math.min(end, now));
      ctx.fillStyle = css('--chart-band');
      ctx.fillRect(x0, plot.y, Math.max(1, x1 - x0), plot.h);
      if (band.label && band.start >= from) {
        ctx.fillStyle = css('--chart-text');
        ctx.textAlign = 'left';
        ctx.fillText(band.label, x0 + 4, plot.y + 2);
      }
    }

    for (const s of this.series.values()) {
      const color = css(s.color);
      const points = s.live ? [...s.points, s.live] : s.points;
      let first = 0;
      while (first < points.length - 1 && points[first + 1][0] < from) {
        first++;
      }
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = s.width;
      ctx.setLineDash(DASHES[s.dash] ?? []);
      ctx.beginPath();
      let pen = false;
      for (let i = first; i < points.length; i++) {
        const [t, v] = points[i];
        if (v === null) {
          pen = false;
        } else if (pen) {
          ctx.lineTo(xOf(t), yOf(v));
        } else {
          ctx.moveTo(xOf(t), yOf(v));
          pen = true;
        }
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (s.dots) {
        for (let i = first; i < points.length; i++) {
          if (points[i][1] === null) {
            continue;
          }
          ctx.beginPath();
          ctx.arc(xOf(points[i][0]), yOf(points[i][1]), 2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    ctx.restore();
  }
}

/** 1, 2 or 5 times a power of ten, at least `raw` (at least 1 for whole-number axes). */
function niceStep(raw, integer) {
  if (!(raw > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return integer ? Math.max(1, Math.round(step)) : step;
}

function formatTick(value) {
  if (value >= 10_000) {
    return `${+(value / 1000).toFixed(1)}k`;
  }
  return `${+value.toFixed(2)}`;
}
