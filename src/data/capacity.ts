// How long the storage budget lasts at the observed ingest rate, and what the requirement's rate would need.

export const DAY_S = 86_400;

export interface RateInput {
  /** per topic: records in the window and the mean size of a sample of its records (bytes) */
  topics: Array<{ records: number; meanBytes?: number }>;
  windowS: number;
}

/** Σ records × mean record size / window. Topics without a size sample use the mean of those with one. */
export function ingestRate(i: RateInput): { bytesPerS: number; records: number; bytes: number } {
  const sized = i.topics.filter((t) => t.meanBytes !== undefined && t.records > 0);
  const fallback = sized.length ? sized.reduce((s, t) => s + t.meanBytes!, 0) / sized.length : 0;
  let bytes = 0;
  let records = 0;
  for (const t of i.topics) {
    records += t.records;
    bytes += t.records * (t.meanBytes ?? fallback);
  }
  return { bytesPerS: i.windowS > 0 ? bytes / i.windowS : 0, records, bytes };
}

export interface CapacityVerdict {
  status: 'pass' | 'warn' | 'fail';
  /** days until the budget is full; undefined when it never fills (rate 0, or retention levels it off) */
  daysLeft?: number;
  /** bytes held once retention expires as much as arrives; undefined for infinite retention */
  steadyBytes?: number;
}

/**
 * With a finite retention, data levels off at rate × retention: within the budget it never fills (pass).
 * Otherwise the budget fills in (budget − used) / rate: fail below minDaysLeft, warn below warnDaysLeft,
 * pass beyond it (a budget that lasts past the planning horizon is not today's problem).
 */
export function judgeCapacity(p: { bytesPerS: number; retentionHours: number; budgetBytes: number; usedBytes: number; minDaysLeft: number; warnDaysLeft?: number }): CapacityVerdict {
  const perDay = p.bytesPerS * DAY_S;
  const steadyBytes = p.retentionHours > 0 ? p.bytesPerS * p.retentionHours * 3600 : undefined;
  if (perDay <= 0) return { status: p.usedBytes > p.budgetBytes ? 'fail' : 'pass', steadyBytes, daysLeft: p.usedBytes > p.budgetBytes ? 0 : undefined };
  if (steadyBytes !== undefined && steadyBytes <= p.budgetBytes && p.usedBytes <= p.budgetBytes) return { status: 'pass', steadyBytes };
  const daysLeft = Math.max(0, (p.budgetBytes - p.usedBytes) / perDay);
  const status = daysLeft < p.minDaysLeft ? 'fail' : daysLeft < (p.warnDaysLeft ?? Infinity) ? 'warn' : 'pass';
  return { status, daysLeft, steadyBytes };
}

/** Bytes needed to hold `days` of data at `bytesPerS`. */
export function projection(bytesPerS: number, days: number): number {
  return bytesPerS * DAY_S * days;
}

/** "1.90 MB/s", "29.96 TB" — decimal units (MB = 10^6 bytes). */
export function humanBytes(n: number, suffix = ''): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 2)} ${units[i]}${suffix}`;
}
