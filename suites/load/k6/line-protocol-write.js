// @ts-check
// InfluxDB line protocol written through the ingress at the OCS-REQ-0048 rate (1.9 MB/s, MB = 10^6 bytes of
// request body), as an alternative ingest path to Kafka → sink. Constant arrival rate of fixed-size batches;
// the body byte rate is a Counter with a rate threshold. Points go to one measurement under the load prefix,
// which the load suite drops afterwards.
//
// Run by `efd-health run --suite load --k6` (src/load/k6.ts sets the environment); by hand:
//   EFD_INFLUX_URL=… EFD_K6_HOSTS='{…}' EFD_INFLUX_USER=… EFD_INFLUX_PASSWORD=… SSL_CERT_FILE=… k6 run suites/load/k6/line-protocol-write.js
import http from 'k6/http';
import { check } from 'k6';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const BASE = __ENV.EFD_INFLUX_URL || 'https://lsst-influxdb-nts-ldf.ncsa.illinois.edu';
const DB = __ENV.EFD_INFLUX_DB || 'efd';
const RATE_BYTES = Number(__ENV.EFD_K6_WRITE_RATE || '1900000');
const BATCH_BYTES = Number(__ENV.EFD_K6_BATCH_BYTES || '65536');
const DURATION = __ENV.EFD_K6_DURATION || '60s';
const MEASUREMENT = __ENV.EFD_K6_MEASUREMENT || 'lsst.sal.EFDHealthLoad.k6_lineProtocol';
const RUN = __ENV.EFD_K6_RUN_ID || 'k6';
const P95_MS = Number(__ENV.EFD_K6_WRITE_P95_MS || '1000');
/** @type {Record<string, string>} */
const HOSTS = JSON.parse(__ENV.EFD_K6_HOSTS || '{}');

// A line of 24 double fields, as a flattened EFD telemetry array would look.
const FIELDS = 24;
const LINE_BYTES_ESTIMATE = MEASUREMENT.length + 40 + FIELDS * 22;
const LINES = Math.max(1, Math.round(BATCH_BYTES / LINE_BYTES_ESTIMATE));
const PER_S = Math.max(1, Math.round(RATE_BYTES / (LINES * LINE_BYTES_ESTIMATE)));

/** @type {import('k6/options').Options} */
export const options = {
  hosts: HOSTS,
  scenarios: {
    line_protocol: {
      executor: 'constant-arrival-rate',
      rate: PER_S,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(2, Math.ceil(PER_S / 4)),
      maxVUs: Math.max(10, PER_S * 4),
    },
  },
  thresholds: {
    // the body byte rate, not k6's data_sent (which adds headers and TLS)
    efd_lp_body_bytes: [`rate>=${Math.floor(RATE_BYTES * 0.98)}`],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    http_req_duration: [`p(95)<${P95_MS}`],
    dropped_iterations: [`count<${Math.max(1, PER_S)}`],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const bodyBytes = new Counter('efd_lp_body_bytes');
const points = new Counter('efd_lp_points');

/** @type {Record<string, string>} */
const headers = { 'Content-Type': 'text/plain; charset=utf-8' };
if (__ENV.EFD_INFLUX_USER) headers.Authorization = `Basic ${encoding.b64encode(`${__ENV.EFD_INFLUX_USER}:${__ENV.EFD_INFLUX_PASSWORD || ''}`)}`;

export default function () {
  // unique microsecond timestamps per line: iteration number × lines + line number, from the start time
  const it = exec.scenario.iterationInTest;
  const base = Date.now() * 1000;
  const lines = [];
  for (let i = 0; i < LINES; i++) {
    const f = [];
    for (let k = 0; k < FIELDS; k++) f.push(`v${k}=${(Math.random() * 2000 - 1000).toFixed(6)}`);
    lines.push(`${MEASUREMENT},run=${RUN},vu=${exec.vu.idInTest} private_seqNum=${it * LINES + i}i,${f.join(',')} ${base + i}`);
  }
  const body = lines.join('\n');
  const res = http.post(`${BASE}/write?db=${encodeURIComponent(DB)}&precision=u`, body, { headers });
  check(res, { 'status is 204': (r) => r.status === 204 });
  if (res.status === 204) {
    bodyBytes.add(body.length);
    points.add(LINES);
  }
}

/** @param {any} data */
export function handleSummary(data) {
  const secs = (data.state?.testRunDurationMs ?? 1) / 1000;
  const bytes = data.metrics.efd_lp_body_bytes?.values?.count ?? 0;
  /** @type {Record<string, string>} */
  const out = { stdout: `line-protocol-write: ${(bytes / secs / 1e6).toFixed(2)} MB/s of body (MB = 10^6 bytes), ` +
    `p95 ${Math.round(data.metrics.http_req_duration?.values?.['p(95)'] ?? 0)} ms, ` +
    `failed ${((data.metrics.http_req_failed?.values?.rate ?? 0) * 100).toFixed(2)} %\n` };
  if (__ENV.EFD_K6_SUMMARY) out[__ENV.EFD_K6_SUMMARY] = JSON.stringify(data);
  return out;
}
