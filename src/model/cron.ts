// CronJob schedule syntax as the API server validates it (the standard 5-field cron of robfig/cron, which
// Kubernetes uses): minute hour day-of-month month day-of-week, lists, ranges, steps, month and day
// names, `?` for the day fields, and the @-descriptors. TZ=/CRON_TZ= prefixes are refused (timeZone field).

const FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function value(text: string, f: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = f.names?.indexOf(text.toLowerCase()) ?? -1;
  return i < 0 ? undefined : i + f.min;
}

function fieldError(text: string, f: (typeof FIELDS)[number], dayField: boolean): string | undefined {
  for (const item of text.split(',')) {
    const [range, step, ...rest] = item.split('/');
    if (rest.length || range === '') return `${f.name} "${item}" is not a value, range or step`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return `${f.name} "${item}" has step "${step}"; a step is a positive number`;
    if (range === '*' || (range === '?' && dayField)) continue;
    const [lo, hi, ...more] = range.split('-');
    const a = value(lo, f);
    const b = hi === undefined ? a : value(hi, f);
    if (more.length || a === undefined || b === undefined) return `${f.name} "${item}" is not a value, range or step`;
    if (a < f.min || b > f.max) return `${f.name} "${item}" is outside ${f.min}-${f.max}`;
    if (a > b) return `${f.name} "${item}" is a range whose start is after its end`;
  }
  return undefined;
}

/** Why the API server would refuse this schedule, or undefined when it is valid. */
export function cronError(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string' || !schedule.trim()) return 'the schedule is empty';
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return 'TZ= and CRON_TZ= are refused in the schedule; use spec.timeZone';
  if (s.startsWith('@')) {
    if (DESCRIPTORS.includes(s)) return undefined;
    if (/^@every\s+\S+$/.test(s)) return /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s) ? undefined : `"${s}" has no valid duration`;
    return `"${s}" is not one of ${DESCRIPTORS.join(', ')} or @every <duration>`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `"${s}" has ${fields.length} fields; a schedule has 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const e = fieldError(fields[i], FIELDS[i], i === 2 || i === 4);
    if (e) return e;
  }
  return undefined;
}

const DESCRIPTOR_SCHEDULE: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

function fieldSet(text: string, f: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, step] = item.split('/');
    const by = step === undefined ? 1 : Number(step);
    let lo = f.min;
    let hi = f.max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      lo = value(a, f)!;
      hi = b === undefined ? (step === undefined ? lo : f.max) : value(b, f)!;
    }
    for (let v = lo; v <= hi; v += by) out.add(v);
  }
  return out;
}

/** The longest gap between two runs of a valid schedule (ms), found by walking its firings over a year
 * from a fixed start; undefined for a schedule this cannot read (@every, an invalid one). */
export function cronPeriodMs(schedule: string): number | undefined {
  const s = DESCRIPTOR_SCHEDULE[schedule.trim()] ?? schedule.trim();
  if (cronError(s) !== undefined || s.startsWith('@')) return undefined;
  const [minute, hour, dom, month, dow] = s.split(/\s+/).map((t, i) => fieldSet(t, FIELDS[i]));
  const [domAny, dowAny] = [s.split(/\s+/)[2], s.split(/\s+/)[4]].map((t) => t === '*' || t === '?');
  const start = Date.UTC(2026, 0, 1);
  let last: number | undefined;
  let longest = 0;
  // cron's rule: when both day fields are restricted, a day matches either
  const dayMatches = (d: Date) =>
    domAny && dowAny ? true : domAny ? dow.has(d.getUTCDay()) : dowAny ? dom.has(d.getUTCDate()) : dom.has(d.getUTCDate()) || dow.has(d.getUTCDay());
  for (let day = 0; day < 366; day++) {
    const d = new Date(start + day * 86_400_000);
    if (!month.has(d.getUTCMonth() + 1) || !dayMatches(d)) continue;
    for (const h of [...hour].sort((a, b) => a - b))
      for (const m of [...minute].sort((a, b) => a - b)) {
        const t = start + day * 86_400_000 + (h * 60 + m) * 60_000;
        if (last !== undefined) longest = Math.max(longest, t - last);
        last = t;
      }
  }
  return longest || undefined;
}
