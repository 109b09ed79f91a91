#!/usr/bin/env node
// Waits until the lab's Prometheus is ready: every target up, redis_up and pg_up at 1 (so tests can query
// the exporters' series at once), Alertmanager ready and the authenticated Prometheus answering.
// Usage: node lab-wait.mjs SECONDS (the environment comes from lab-env.sh). Exit 1 on timeout.
const deadline = Date.now() + Number(process.argv[2] ?? 60) * 1000;
const prometheus = process.env.AISRE_LAB_PROMETHEUS_URL;
const alertmanager = process.env.AISRE_LAB_ALERTMANAGER_URL;
const authenticated = process.env.AISRE_LAB_PROMETHEUS_AUTH_URL;
const authorization = `Basic ${Buffer.from(
  `${process.env.AISRE_LAB_PROMETHEUS_AUTH_USER}:${process.env.AISRE_LAB_PROMETHEUS_AUTH_PASSWORD}`,
).toString('base64')}`;
const expectedJobs = ['postgres', 'prometheus', 'redis'];

async function json(url, headers = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function ok(url, headers = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
}

async function value(query) {
  const body = await json(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  return body.data.result.map((sample) => Number(sample.value[1]));
}

/** What is not ready yet, or undefined when everything is. */
async function notReady() {
  const targets = (await json(`${prometheus}/api/v1/targets?state=active`)).data.activeTargets;
  const up = new Set(targets.filter((target) => target.health === 'up').map((target) => target.labels.job));
  const down = expectedJobs.filter((job) => !up.has(job));
  if (down.length > 0) return `targets not up: ${down.join(', ')}`;
  for (const metric of ['redis_up', 'pg_up']) {
    const values = await value(metric);
    if (values.length !== 1 || values[0] !== 1) return `${metric} is ${values.join(',') || 'absent'}`;
  }
  await ok(`${alertmanager}/-/ready`);
  await ok(`${authenticated}/-/ready`, { authorization });
  return undefined;
}

let last = 'not asked yet';
while (Date.now() < deadline) {
  try {
    const reason = await notReady();
    if (reason === undefined) process.exit(0);
    last = reason;
  } catch (error) {
    last = error instanceof Error ? (error.cause?.code ?? error.message) : String(error);
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
}
console.error(`lab: Prometheus not ready: ${last}`);
process.exit(1);
