// What a load run will do, from the command line options (ctx.options) and the profile, with the safety
// rules applied before anything is sent: a production profile needs --allow-production, and rate and
// duration stay under profile.load's caps. Every refusal is an InputError (exit 4) naming the flag or key.
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { formatDuration, formatRate, parseDuration, parseRate, REQUIRED_BYTES_PER_S } from './units.ts';

export type LoadShape = 'steady' | 'burst' | 'ramp';

export interface LoadPlan {
  shape: LoadShape;
  /** base rate (bytes/s of Avro values); the ramp's starting rate */
  rateBytesPerS: number;
  /** the measured window, after the warm-up (the ramp's longest run) */
  durationS: number;
  /** the warm-up's bound: it ends earlier, as soon as the pipeline is steady (src/load/warmup.ts); 0: none */
  warmupS: number;
  /** startS counts from the start of the measured window */
  burst: { factor: number; lengthS: number; startS: number };
  ramp: { stepS: number; stepFactor: number; maxBytesPerS: number };
  /** run the k6 scenarios too */
  k6: boolean;
  allowProduction: boolean;
  /** delete the load topics afterwards (not only their records): only safe when the sink re-reads its topic list */
  deleteTopics: boolean;
  prefix: string;
  caps: { maxRateBytesPerS: number; maxDurationS: number };
}

/** The options this module reads from ctx.options (the CLI's flags, without the dashes). */
export const LOAD_OPTIONS = [
  'rate', 'duration', 'shape', 'warmup', 'burst-factor', 'burst-length', 'ramp-step', 'ramp-factor', 'k6',
  'allow-production', 'delete-topics',
] as const;

export const DEFAULT_PREFIX = 'lsst.sal.EFDHealthLoad';
const DEFAULT_CAPS = { max_rate_bytes_per_s: 10 * REQUIRED_BYTES_PER_S, max_duration_s: 3600 };

type Options = Record<string, string | boolean | undefined>;

function opt(o: Options, name: string): string | boolean | undefined {
  const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return o[name] ?? o[camel];
}

function flag(o: Options, name: string): boolean {
  const v = opt(o, name);
  if (v === undefined || v === false) return false;
  if (v === true || v === '' || v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new InputError(`--${name} takes no value (got "${v}")`);
}

function text(o: Options, name: string): string | undefined {
  const v = opt(o, name);
  if (v === undefined || v === false) return undefined;
  if (v === true) throw new InputError(`--${name} needs a value`);
  return String(v);
}

function parsed<T>(o: Options, name: string, parse: (s: string) => T): T | undefined {
  const v = text(o, name);
  if (v === undefined) return undefined;
  try {
    return parse(v);
  } catch (e) {
    throw new InputError(`--${name}: ${(e as Error).message}`);
  }
}

function positive(name: string) {
  return (s: string) => {
    const n = Number(s.replace(/x$/i, ''));
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`"${s}" must be a positive number`);
    return n;
  };
}

/** `defaultWarmupS`: the warm-up bound when --warmup is not given (threshold load.pipeline.warmup.max_s). */
export function resolveLoadPlan(profile: Profile, options: Options, defaultWarmupS = 240): LoadPlan {
  const allowProduction = flag(options, 'allow-production');
  if (profile.production && !allowProduction)
    throw new InputError(`profile ${profile.file} is marked production: true; a load run refuses it unless --allow-production is given`);

  const load = { ...DEFAULT_CAPS, ...(profile.load ?? {}) };
  const caps = { maxRateBytesPerS: load.max_rate_bytes_per_s, maxDurationS: load.max_duration_s };
  const shapeText = text(options, 'shape') ?? 'steady';
  if (shapeText !== 'steady' && shapeText !== 'burst' && shapeText !== 'ramp')
    throw new InputError(`--shape must be steady, burst or ramp (got "${shapeText}")`);
  const shape: LoadShape = shapeText;

  const rate = parsed(options, 'rate', parseRate) ?? REQUIRED_BYTES_PER_S;
  const durationS = parsed(options, 'duration', parseDuration) ?? (shape === 'ramp' ? 600 : 60);
  if (durationS < 10) throw new InputError(`--duration must be at least 10 s (got ${formatDuration(durationS)})`);
  const givenWarmupS = parsed(options, 'warmup', parseDuration);
  if (givenWarmupS !== undefined && givenWarmupS > caps.maxDurationS)
    throw new InputError(`--warmup ${formatDuration(givenWarmupS)} exceeds load.max_duration_s of profile ${profile.file} (${formatDuration(caps.maxDurationS)})`);
  const warmupS = givenWarmupS ?? Math.min(defaultWarmupS, caps.maxDurationS);

  const factor = parsed(options, 'burst-factor', positive('burst-factor')) ?? 5;
  const lengthS = parsed(options, 'burst-length', parseDuration) ?? Math.min(60, Math.round(durationS / 3));
  if (shape === 'burst' && lengthS >= durationS)
    throw new InputError(`--burst-length (${formatDuration(lengthS)}) must be shorter than --duration (${formatDuration(durationS)})`);
  const startS = Math.max(0, Math.round((durationS - lengthS) / 3));

  const stepS = parsed(options, 'ramp-step', parseDuration) ?? 30;
  const stepFactor = parsed(options, 'ramp-factor', positive('ramp-factor')) ?? 1.5;
  if (shape === 'ramp' && stepFactor <= 1) throw new InputError(`--ramp-factor must be above 1 (got ${stepFactor})`);

  const where = `load.max_rate_bytes_per_s of profile ${profile.file}`;
  const peak = shape === 'burst' ? rate * factor : rate;
  if (peak > caps.maxRateBytesPerS)
    throw new InputError(
      `${shape === 'burst' ? `the burst peak (--rate × --burst-factor = ${formatRate(peak)})` : `--rate ${formatRate(rate)}`} exceeds ${where} (${formatRate(caps.maxRateBytesPerS)})`,
    );
  if (durationS > caps.maxDurationS)
    throw new InputError(`--duration ${formatDuration(durationS)} exceeds load.max_duration_s of profile ${profile.file} (${formatDuration(caps.maxDurationS)})`);

  return {
    shape,
    rateBytesPerS: rate,
    durationS,
    warmupS,
    burst: { factor, lengthS, startS },
    ramp: { stepS, stepFactor, maxBytesPerS: caps.maxRateBytesPerS },
    k6: flag(options, 'k6'),
    allowProduction,
    deleteTopics: flag(options, 'delete-topics'),
    prefix: profile.load?.topic_prefix ?? DEFAULT_PREFIX,
    caps,
  };
}

/** One line for the console and the findings' evidence. */
export function describePlan(p: LoadPlan): string {
  const warm = p.warmupS ? `after a warm-up until steady (at most ${formatDuration(p.warmupS)})` : 'without warm-up';
  const base = `${p.shape} at ${formatRate(p.rateBytesPerS)} for ${formatDuration(p.durationS)} ${warm}`;
  if (p.shape === 'burst') return `${base}, burst ${p.burst.factor}× for ${formatDuration(p.burst.lengthS)} from ${formatDuration(p.burst.startS)} into the measured window`;
  if (p.shape === 'ramp') return `${base}, ×${p.ramp.stepFactor} every ${formatDuration(p.ramp.stepS)} up to ${formatRate(p.ramp.maxBytesPerS)}`;
  return base;
}
