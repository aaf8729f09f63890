// InfluxDB: retention of the efd database, and authentication.
import { retentionPolicies } from '../../model/pipeline.ts';
import type { Hit, Template } from '../types.ts';

export const influx_retention: Template = ({ d }, p) => {
  const charts = d.chartValues.filter((c) => c.chart === 'influxdb');
  if (!charts.length) return [{ message: 'no InfluxDB (chart influxdb) in the manifests, so no retention policy' }];
  const hits: Hit[] = [];
  for (const c of charts) {
    const scripts: Record<string, string> = c.values?.initScripts?.enabled ? (c.values.initScripts.scripts ?? {}) : {};
    // no script at all is manifests.required.retention_script; this rule judges the script there is
    if (!Object.keys(scripts).length) continue;
    const policies = Object.entries(scripts).flatMap(([name, text]) => retentionPolicies(String(text)).map((rp) => ({ ...rp, script: name })));
    const rp = policies.filter((r) => r.database === p.database && r.isDefault).at(-1);
    if (!rp) {
      hits.push({ message: `InfluxDB release ${c.release} creates no default retention policy for database ${p.database} (initScripts); it would keep data forever`, origin: { object: c.origin.object, path: [...c.origin.path, 'initScripts'] } });
      continue;
    }
    const days = (rp.hours ?? NaN) / 24;
    if (!(days >= p.min_days && days <= p.max_days)) {
      hits.push({
        message: `database ${p.database} keeps data ${Number.isFinite(days) ? `${days.toFixed(1)} days` : rp.duration === 'INF' ? 'forever' : `"${rp.duration}"`} (retention policy ${rp.name}, DURATION ${rp.duration}); the plan's mid-term retention is 6 months (${p.min_days}–${p.max_days} days)`,
        origin: { object: c.origin.object, path: [...c.origin.path, 'initScripts', 'scripts', rp.script] },
      });
    }
  }
  return hits;
};

export const influx_auth: Template = ({ d }) => {
  const charts = d.chartValues.filter((c) => c.chart === 'influxdb');
  return charts.flatMap((c) => {
    const http = c.values?.config?.http ?? {};
    const env = c.values?.env ?? {};
    const on = http.auth_enabled ?? http['auth-enabled'] ?? (env.INFLUXDB_HTTP_AUTH_ENABLED !== undefined ? String(env.INFLUXDB_HTTP_AUTH_ENABLED) === 'true' : undefined);
    if (on === true || on === 'true') return [];
    return [{ message: `InfluxDB release ${c.release} does not enable HTTP authentication (config.http.auth_enabled is ${on ?? 'unset'})`, origin: { object: c.origin.object, path: [...c.origin.path, 'config', 'http'] } }];
  });
};
