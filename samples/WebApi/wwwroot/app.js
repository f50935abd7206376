// The sample page: no framework, no build step. Charts are drawn by timechart.js.
'use strict';

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function problemText(response) {
  try {
    const problem = await response.json();
    const errors = problem.errors ? ' ' + Object.values(problem.errors).flat().join(' ') : '';
    return `${response.status} ${problem.title ?? ''}${problem.detail ? ': ' + problem.detail : ''}${errors}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function setStatus(element, text, isError) {
  element.textContent = text;
  element.classList.toggle('error', Boolean(isError));
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Charts. Times are performance.now() milliseconds; each chart shows the last 60 s and is redrawn five times a second.

const pingChart = new TimeChart($('ping-chart'), { minTop: 50, legend: $('ping-legend') });
const queueChart = new TimeChart($('queue-chart'), { integer: true, legend: $('queue-legend') });
const busyChart = new TimeChart($('busy-chart'), { integer: true, legend: $('busy-legend') });
const jobsChart = new TimeChart($('jobs-chart'), { minTop: 5, legend: $('jobs-legend') });
const allCharts = [pingChart, queueChart, busyChart, jobsChart];
pingChart.define('ping', { label: 'round trip', color: '--series-ping', dots: true, width: 1 });

const poolColors = new Map();
function poolColor(pool) {
  if (!poolColors.has(pool)) {
    const known = { default: '--series-1', images: '--series-2', 'images-process': '--series-3' };
    poolColors.set(pool, known[pool] ?? '--series-5');
  }
  return poolColors.get(pool);
}

function redraw() {
  const now = performance.now();
  for (const chart of allCharts) {
    chart.draw(now);
  }
  showPingSummary(now);
}
setInterval(redraw, 200);

// ---------------------------------------------------------------------------------------------------------------------------------
// /ping: one at a time, about ten a second. Each round trip is plotted at the moment it was sent; one still in flight is drawn at its
// age so far, so a server that stops answering shows as a line climbing while the page waits.

const pingSamples = []; // { t: sent at, ms: round trip }, the last two minutes
let pingInFlightSince = null;

function percentile(sortedValues, p) {
  return sortedValues.length === 0 ? NaN : sortedValues[Math.min(sortedValues.length - 1, Math.ceil(p * sortedValues.length) - 1)];
}

function pingsBetween(from, to) {
  return pingSamples.filter((s) => s.t >= from && s.t < to).map((s) => s.ms).sort((a, b) => a - b);
}

function formatMs(ms) {
  if (Number.isNaN(ms)) {
    return '-';
  }
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function showPingSummary(now) {
  const recent = pingsBetween(now - 10_000, now);
  if (pingInFlightSince !== null && now - pingInFlightSince > (recent.at(-1) ?? 0)) {
    recent.push(now - pingInFlightSince); // a ping stuck in flight already counts at its age
    recent.sort((a, b) => a - b);
  }
  $('ping-p50').textContent = formatMs(percentile(recent, 0.5));
  $('ping-p99').textContent = formatMs(percentile(recent, 0.99));
  $('ping-count').textContent = String(recent.length);
}

async function pingLoop() {
  for (;;) {
    const sent = performance.now();
    pingInFlightSince = sent;
    const live = setInterval(() => pingChart.setLive('ping', sent, performance.now() - sent), 100);
    try {
      const response = await fetch('/ping', { cache: 'no-store' });
      await response.text();
      const ms = performance.now() - sent;
      pingSamples.push({ t: sent, ms });
      pingChart.push('ping', sent, ms);
      $('ping-chart').dataset.points = String(pingSamples.length);
    } catch {
      // the server is down or restarting: try again shortly
    } finally {
      clearInterval(live);
      pingChart.setLive('ping', null);
      pingInFlightSince = null;
    }
    while (pingSamples.length > 0 && pingSamples[0].t < sent - 120_000) {
      pingSamples.shift();
    }
    await sleep(Math.max(0, 100 - (performance.now() - sent)));
  }
}
pingLoop();

// ---------------------------------------------------------------------------------------------------------------------------------
// Pools: poll /stats four times a second; charts and the table underneath.

const outcomes = [
  { key: 'completed', dash: 'solid' },
  { key: 'rejected', dash: 'dashed' },
  { key: 'canceled', dash: 'dotted' },
  { key: 'faulted', dash: 'dashdot' },
  { key: 'timedOut', dash: 'dashdot' },
];
const rateMeters = new Map(); // series key -> RateMeter
let statsPolls = 0;

/** Events per second over the last two seconds of a growing counter: jobs of 150 ms finish in bursts that a single poll interval exaggerates. */
class RateMeter {
  constructor(windowMs = 2_000) {
    this.windowMs = windowMs;
    this.samples = []; // [t, count]
  }

  /** Adds a reading; returns the rate, or null until there are two readings. */
  add(t, count) {
    this.samples.push([t, count]);
    while (this.samples.length > 2 && this.samples[1][0] <= t - this.windowMs) {
      this.samples.shift();
    }
    const [t0, count0] = this.samples[0];
    return t > t0 ? Math.max(0, count - count0) / ((t - t0) / 1000) : null;
  }
}

function rateOf(key, t, count) {
  if (!rateMeters.has(key)) {
    rateMeters.set(key, new RateMeter());
  }
  return rateMeters.get(key).add(t, count);
}

function plotStats(t, pools) {
  for (const [name, s] of Object.entries(pools)) {
    const color = poolColor(name);
    queueChart.define(`${name}:depth`, { label: `${name}`, color });
    queueChart.define(`${name}:capacity`, { label: `${name} capacity`, color, dash: 'dashed', width: 1 });
    queueChart.push(`${name}:depth`, t, s.queueDepth);
    queueChart.push(`${name}:capacity`, t, s.queueCapacity);
    busyChart.define(`${name}:busy`, { label: `${name}`, color });
    busyChart.define(`${name}:workers`, { label: `${name} workers`, color, dash: 'dashed', width: 1 });
    busyChart.push(`${name}:busy`, t, s.busyWorkers);
    busyChart.push(`${name}:workers`, t, s.workerCount);

    for (const { key, dash } of outcomes) {
      const series = `${name}:${key}`;
      const rate = rateOf(series, t, s[key] ?? 0);
      if (rate !== null && (key === 'completed' || rate > 0 || jobsChart.has(series))) {
        jobsChart.define(series, { label: `${name} ${key}`, color, dash });
        jobsChart.push(series, t, rate);
      }
    }
  }
}

function fillTable(pools) {
  $('stats-body').replaceChildren(...Object.entries(pools).map(([name, s]) => {
    const row = document.createElement('tr');
    row.dataset.pool = name;
    for (const value of [name, `${s.queueDepth}/${s.queueCapacity}`, s.busyWorkers, s.idleWorkers, s.completed, s.faulted, s.canceled, s.rejected]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.appendChild(cell);
    }
    return row;
  }));
}

async function statsLoop() {
  for (;;) {
    const started = performance.now();
    try {
      const response = await fetch('/stats', { cache: 'no-store' });
      if (response.ok) {
        const pools = await response.json();
        plotStats(performance.now(), pools);
        fillTable(pools);
        statsPolls++;
        $('stats-updated').dataset.polls = String(statsPolls);
        $('stats-updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
      }
    } catch {
      $('stats-updated').textContent = 'Server unreachable';
    }
    await sleep(Math.max(0, 250 - (performance.now() - started)));
  }
}
statsLoop();

// ---------------------------------------------------------------------------------------------------------------------------------
// The flood: POST /demo/flood makes the server hash PBKDF2 from inside itself for a few seconds, then the page compares /ping before
// and during. The server generates the load because a browser's six connections per host would queue /ping behind its own requests.

const floodModeLabels = { pool: 'through the pool', inline: 'inline on request threads', threadpool: 'with Task.Run' };
const floodButtons = [...document.querySelectorAll('button.flood')];
let lastFloodEnd = -Infinity;

function setFloodButtons(enabled) {
  for (const button of floodButtons) {
    button.disabled = !enabled;
  }
}

async function loadFloodLimits() {
  try {
    const response = await fetch('/demo/flood', { cache: 'no-store' });
    if (response.status === 404) {
      setFloodButtons(false);
      $('flood-note').textContent = 'The flood demo is off on this server: Demo:Enabled is false. It is on in Development, '
        + 'as under dotnet run --project samples/WebApi (or set Demo__Enabled=true).';
      return;
    }
    const overview = await response.json();
    $('flood-seconds').max = overview.maxSeconds;
    $('flood-seconds').value = overview.defaultSeconds;
    $('flood-concurrency').max = overview.maxConcurrency;
    $('flood-concurrency').value = overview.defaultConcurrency;
    $('flood-note').textContent = `This server sees ${overview.processorCount} core${overview.processorCount === 1 ? '' : 's'}. `
      + 'Through the pool, the hashes run on the default pool\'s workers (cores - 1 by default, one core left for requests); inline and '
      + 'with Task.Run, they run on the ThreadPool threads that also answer requests.';
    if (overview.flood?.running) {
      setFloodButtons(false);
      setStatus($('flood-status'), `A ${overview.flood.mode} flood started elsewhere is running.`);
      await waitForFloodEnd();
      setFloodButtons(true);
    }
  } catch {
    $('flood-note').textContent = 'Could not read /demo/flood.';
  }
}

async function readFlood() {
  const response = await fetch('/demo/flood', { cache: 'no-store' });
  return response.ok ? (await response.json()).flood : null;
}

/** Polls /demo/flood until the flood has ended; plots its hashes per second. Returns its final status (null if unreadable). */
async function waitForFloodEnd(onStatus) {
  const meter = new RateMeter();
  jobsChart.define('flood', { label: 'flood hashes', color: '--series-4', width: 2.5 });
  const giveUpAt = performance.now() + 90_000;
  while (performance.now() < giveUpAt) {
    const polled = performance.now();
    let flood = null;
    try {
      flood = await readFlood();
    } catch {
      // unreachable for a moment: keep asking
    }
    if (flood) {
      // The rate over the server's clock: a reply the flood delayed would otherwise show as a burst.
      const rate = meter.add(flood.elapsedSeconds * 1000, flood.hashes);
      if (rate !== null) {
        jobsChart.push('flood', performance.now(), rate);
      }
      onStatus?.(flood);
      if (!flood.running) {
        jobsChart.push('flood', performance.now(), 0);
        jobsChart.push('flood', performance.now(), null); // no line from this flood's end to the next one's start
        return flood;
      }
    }
    await sleep(Math.max(0, 500 - (performance.now() - polled)));
  }
  return null;
}

async function startFlood(mode) {
  const seconds = Number($('flood-seconds').value);
  const concurrency = Number($('flood-concurrency').value);
  setFloodButtons(false);
  try {
    const started = performance.now();
    const response = await fetch(`/demo/flood?${new URLSearchParams({ mode, seconds, concurrency })}`, { method: 'POST' });
    if (response.status !== 202) {
      setStatus($('flood-status'), await problemText(response), true);
      return;
    }
    const bands = allCharts.map((chart) => chart.addBand(started, null, mode));
    const deadline = started + seconds * 1000;
    const flood = await waitForFloodEnd((f) => setStatus($('flood-status'),
      `Flooding ${floodModeLabels[mode]}: ${f.concurrency} clients, ${Math.max(0, Math.ceil((deadline - performance.now()) / 1000))} s left, `
      + `${f.hashes} hashes so far.`));
    if (!flood) {
      setStatus($('flood-status'), 'Lost track of the flood: /demo/flood did not answer.', true);
      return;
    }
    const ended = started + flood.elapsedSeconds * 1000; // its length on the server's clock, from when the page asked for it
    for (const band of bands) {
      band.end = ended;
    }
    // Every ping sent during the flood must have come back before the figures are final.
    const waitUntil = performance.now() + 30_000;
    while ((pingSamples.at(-1)?.t ?? 0) < ended && performance.now() < waitUntil) {
      await sleep(50);
    }
    showFloodResult(flood, started, ended);
    lastFloodEnd = ended;
  } catch (error) {
    setStatus($('flood-status'), `The flood request failed: ${error}`, true);
  } finally {
    setFloodButtons(true);
  }
}

function showFloodResult(flood, started, ended) {
  const before = pingsBetween(Math.max(started - 10_000, lastFloodEnd + 2_000), started);
  const during = pingsBetween(started, ended);
  const seconds = (ended - started) / 1000;
  const item = document.createElement('li');
  item.dataset.mode = flood.mode;
  item.append(`/ping p99: ${formatMs(percentile(before, 0.99))} before, ${formatMs(percentile(during, 0.99))} during (${flood.mode})`);
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.textContent = ` · p50 ${formatMs(percentile(before, 0.5))} → ${formatMs(percentile(during, 0.5))}, ${during.length} pings during;`
    + ` ${flood.hashes} hashes in ${seconds.toFixed(1)} s (${(flood.hashes / seconds).toFixed(1)}/s), ${flood.concurrency} clients`
    + (flood.rejected > 0 ? `, ${flood.rejected} rejected` : '');
  item.append(detail);
  for (const older of $('flood-results').children) {
    older.classList.remove('latest');
  }
  item.classList.add('latest');
  $('flood-results').prepend(item);
  setStatus($('flood-status'), `The ${flood.mode} flood ended.`);
}

for (const button of floodButtons) {
  button.addEventListener('click', () => startFlood(button.dataset.mode));
}
loadFloodLimits();

// ---------------------------------------------------------------------------------------------------------------------------------
// Thumbnail: the file is the raw request body; the answer is the image itself.

let thumbnailUrl = null;
$('thumbnail-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('image-file').files[0];
  if (!file) {
    return;
  }
  const query = new URLSearchParams({
    width: $('thumb-width').value,
    height: $('thumb-height').value,
    format: $('thumb-format').value,
    fit: $('thumb-fit').value,
  });
  setStatus($('thumb-status'), 'Working...');
  const started = performance.now();
  const response = await fetch(`/thumbnail?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  if (!response.ok) {
    setStatus($('thumb-status'), await problemText(response), true);
    return;
  }
  const blob = await response.blob();
  if (thumbnailUrl) {
    URL.revokeObjectURL(thumbnailUrl);
  }
  thumbnailUrl = URL.createObjectURL(blob);
  const image = $('thumb-result');
  image.onload = () => setStatus($('thumb-status'),
    `${image.naturalWidth}x${image.naturalHeight} ${blob.type}, ${blob.size} bytes in ${Math.round(performance.now() - started)} ms`);
  image.src = thumbnailUrl;
  image.hidden = false;
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Password hash and verify.

let lastHash = null;
$('hash-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  setStatus($('hash-status'), 'Hashing...');
  const started = performance.now();
  const response = await fetch('/hash', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: $('password').value }),
  });
  if (!response.ok) {
    setStatus($('hash-status'), await problemText(response), true);
    return;
  }
  lastHash = (await response.json()).hash;
  $('hash-result').textContent = lastHash;
  $('verify-submit').disabled = false;
  setStatus($('hash-status'), `Hashed in ${Math.round(performance.now() - started)} ms`);
});

$('verify-submit').addEventListener('click', async () => {
  const response = await fetch('/verify', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: $('password').value, hash: lastHash }),
  });
  if (!response.ok) {
    setStatus($('hash-status'), await problemText(response), true);
    return;
  }
  const result = await response.json();
  setStatus($('hash-status'), result.valid ? 'The password matches.' : 'The password does not match.', !result.valid);
});
