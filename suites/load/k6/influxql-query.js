// @ts-check
// InfluxQL query load through the InfluxDB ingress, as EFD client users (lsst-efd-client, Chronograf) do:
// list topics, list a topic's fields, read a time range, read the last N, a windowed mean. Constant arrival
// rate (open model), so a slow ingress shows as latency and dropped_iterations, not as fewer requests.
//
// Run by `efd-health run --suite load --k6` (src/load/k6.ts sets the environment); by hand:
//   EFD_INFLUX_URL=https://lsst-influxdb-nts-ldf.ncsa.illinois.edu:8443 EFD_K6_HOSTS='{"lsst-influxdb-nts-ldf.ncsa.illinois.edu":"127.0.0.1"}' \
//   EFD_INFLUX_USER=… EFD_INFLUX_PASSWORD=… SSL_CERT_FILE=.stack/certs/ca.crt k6 run suites/load/k6/influxql-query.js
import http from 'k6/http';
import { check } from 'k6';
import encoding from 'k6/encoding';
import { Trend } from 'k6/metrics';

const BASE = __ENV.EFD_INFLUX_URL || 'https://lsst-influxdb-nts-ldf.ncsa.illinois.edu';
const DB = __ENV.EFD_INFLUX_DB || 'efd';
const RATE = Number(__ENV.EFD_K6_QUERY_RATE || '10');
const DURATION = __ENV.EFD_K6_DURATION || '60s';
const P95_MS = Number(__ENV.EFD_K6_QUERY_P95_MS || '1000');

/** @type {Record<string, string>} */
const HOSTS = JSON.parse(__ENV.EFD_K6_HOSTS || '{}');

/** @type {import('k6/options').Options} */
export const options = {
  hosts: HOSTS,
  scenarios: {
    efd_clients: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(2, Math.ceil(RATE / 2)),
      maxVUs: Math.max(10, RATE * 5),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    http_req_duration: [`p(95)<${P95_MS}`],
    'http_req_duration{query:time_range}': [`p(95)<${P95_MS}`],
    // iterations k6 could not start on time: the ingress (or the runner) did not keep the arrival rate
    dropped_iterations: [`count<${Math.max(1, Math.ceil(RATE))}`],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const queryMs = new Trend('efd_query_ms', true);

function headers() {
  /** @type {Record<string, string>} */
  const h = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (__ENV.EFD_INFLUX_USER) h.Authorization = `Basic ${encoding.b64encode(`${__ENV.EFD_INFLUX_USER}:${__ENV.EFD_INFLUX_PASSWORD || ''}`)}`;
  return h;
}

/**
 * @param {string} q InfluxQL
 * @param {string} name tag for the thresholds
 */
function influxql(q, name) {
  const res = http.post(`${BASE}/query`, { db: DB, q, epoch: 'ms' }, { headers: headers(), tags: { query: name } });
  queryMs.add(res.timings.duration, { query: name });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'no InfluxQL error': (r) => typeof r.body === 'string' && !/"error"/.test(r.body),
  });
  return res;
}

/** @param {string} name */
const q = (name) => `"${name.replace(/"/g, '\\"')}"`;

/** Topics and a few numeric fields of each, as a client would discover them. */
export function setup() {
  const res = influxql('SHOW MEASUREMENTS LIMIT 50', 'show_measurements');
  /** @type {Array<{topic: string, fields: string[]}>} */
  const topics = [];
  if (res.status !== 200 || typeof res.body !== 'string') return { topics };
  /** @type {any} */
  const body = JSON.parse(res.body);
  /** @type {string[]} */
  const names = ((body.results?.[0]?.series?.[0]?.values) || []).map((/** @type {unknown[]} */ v) => String(v[0]));
  for (const topic of names.slice(0, 20)) {
    const f = influxql(`SHOW FIELD KEYS FROM ${q(topic)}`, 'show_field_keys');
    if (f.status !== 200 || typeof f.body !== 'string') continue;
    /** @type {any} */
    const fb = JSON.parse(f.body);
    /** @type {string[]} */
    const fields = ((fb.results?.[0]?.series?.[0]?.values) || [])
      .filter((/** @type {unknown[]} */ v) => v[1] === 'float' || v[1] === 'integer')
      .map((/** @type {unknown[]} */ v) => String(v[0]))
      .slice(0, 5);
    if (fields.length) topics.push({ topic, fields });
  }
  return { topics };
}

/** @param {{topics: Array<{topic: string, fields: string[]}>}} data */
export default function (data) {
  if (!data.topics.length) {
    influxql('SHOW MEASUREMENTS LIMIT 50', 'show_measurements');
    return;
  }
  const t = data.topics[Math.floor(Math.random() * data.topics.length)];
  const from = `${q(DB)}.${q('autogen')}.${q(t.topic)}`;
  const fields = t.fields.map(q).join(', ');
  const pick = Math.random();
  if (pick < 0.1) influxql('SHOW MEASUREMENTS LIMIT 50', 'show_measurements');
  else if (pick < 0.2) influxql(`SHOW FIELD KEYS FROM ${q(t.topic)}`, 'show_field_keys');
  else if (pick < 0.6) influxql(`SELECT ${fields} FROM ${from} WHERE time > now() - 5m`, 'time_range');
  else if (pick < 0.8) influxql(`SELECT ${fields} FROM ${from} ORDER BY time DESC LIMIT 100`, 'top_n');
  else influxql(`SELECT mean(${q(t.fields[0])}) FROM ${from} WHERE time > now() - 1h GROUP BY time(1m)`, 'windowed_mean');
}

/** @param {any} data */
export function handleSummary(data) {
  /** @type {Record<string, string>} */
  const out = { stdout: `influxql-query: ${data.metrics.iterations?.values?.count ?? 0} queries, ` +
    `p95 ${Math.round(data.metrics.http_req_duration?.values?.['p(95)'] ?? 0)} ms, ` +
    `failed ${((data.metrics.http_req_failed?.values?.rate ?? 0) * 100).toFixed(2)} %\n` };
  if (__ENV.EFD_K6_SUMMARY) out[__ENV.EFD_K6_SUMMARY] = JSON.stringify(data);
  return out;
}
