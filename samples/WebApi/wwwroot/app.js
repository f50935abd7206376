// The sample page: no framework, no build step.
'use strict';

const $ = (id) => document.getElementById(id);

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

// Live stats: poll /stats twice a second.
let statsPolls = 0;
async function refreshStats() {
  try {
    const response = await fetch('/stats', { cache: 'no-store' });
    if (response.ok) {
      const pools = await response.json();
      const body = $('stats-body');
      body.replaceChildren(...Object.entries(pools).map(([name, s]) => {
        const row = document.createElement('tr');
        row.dataset.pool = name;
        for (const value of [name, `${s.queueDepth}/${s.queueCapacity}`, s.busyWorkers, s.idleWorkers, s.completed, s.faulted, s.canceled, s.rejected]) {
          const cell = document.createElement('td');
          cell.textContent = value;
          row.appendChild(cell);
        }
        return row;
      }));
      statsPolls++;
      $('stats-updated').dataset.polls = String(statsPolls);
      $('stats-updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    }
  } catch {
    $('stats-updated').textContent = 'Server unreachable';
  } finally {
    setTimeout(refreshStats, 500);
  }
}
refreshStats();
