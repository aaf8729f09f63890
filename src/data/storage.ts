// Storage InfluxDB already uses for the EFD database: Σ diskBytes of its shards (SHOW STATS). SHOW STATS
// needs admin rights, so this is asked only when the profile names admin credentials; undefined otherwise.
import type { Profile } from '../config/types.ts';
import { readCredentials } from '../config/secrets.ts';
import { queryStatements } from '../probes/influx.ts';

export async function usedBytes(profile: Profile): Promise<number | undefined> {
  const { url, database, admin } = profile.influxdb;
  if (!admin) return undefined;
  const [r] = await queryStatements(url, profile.timeout_ms, `SHOW STATS FOR 'shard'`, { auth: readCredentials(admin) });
  if (!r || r.error) return undefined;
  let total = 0;
  for (const s of r.series) {
    if (s.tags?.database !== database) continue;
    const i = s.columns.indexOf('diskBytes');
    if (i >= 0) total += Number(s.values?.[0]?.[i]) || 0;
  }
  return total;
}
