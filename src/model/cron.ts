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
