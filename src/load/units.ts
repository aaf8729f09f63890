// Rates, sizes and durations as people type them. MB is 10^6 bytes (SI, as OCS-REQ-0048 and k6 use);
// MiB is 2^20 (what kafka-producer-perf-test and OMB call "MB"). Output always shows both.

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses a byte rate: "1.9MB/s", "500kB/s", "2MiB/s", "1.9 MB/s", "1900000" (bytes/s). Throws on anything else. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmg]i?b|b)?\s*(?:\/\s*s|ps)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a byte rate (examples: 1.9MB/s, 500kB/s, 2MiB/s)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  // "MB" without /s is accepted as a rate only when the unit is explicit; a bare number is bytes/s.
  const value = Number(m[1]) * BYTE_UNITS[unit];
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`"${text}" must be a positive byte rate`);
  return value;
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses a duration in seconds: "30s", "10m", "1h30m", "90" (seconds), "1.5m". */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (!t || matched !== t.length) throw new RangeError(`"${text}" is not a duration (examples: 30s, 10m, 1h30m)`);
  return total;
}

/** "1.90 MB/s (1.81 MiB/s)" — both units, so no one mistakes one for the other. */
export function formatRate(bytesPerS: number): string {
  return `${(bytesPerS / 1e6).toFixed(bytesPerS >= 1e7 ? 1 : 2)} MB/s (${(bytesPerS / 1024 ** 2).toFixed(bytesPerS >= 1e7 ? 1 : 2)} MiB/s)`;
}

/** "12.3 MB (11.7 MiB)" */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB (${(bytes / 1024 ** 2).toFixed(1)} MiB)`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${+seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return s ? `${m} min ${s} s` : `${m} min`;
}

export const MB = 1e6;
export const MIB = 1024 ** 2;
/** OCS-REQ-0048: long-term mean ingest rate of the EFD. */
export const REQUIRED_BYTES_PER_S = 1.9e6;
