// The living Summit's model (fixtures/stack/summit.yaml): which CSCs publish which topics at what cadence,
// built on the load suite's traffic model so that topics, schemas and sizes are the same SAL shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadTrafficModel, type TopicSpec } from '../../src/load/traffic.ts';
import { StackError } from './errors.ts';
import { FIXTURES } from './paths.ts';

export const SUMMIT_MODEL = join(FIXTURES, 'summit.yaml');

export interface SummitTopic extends TopicSpec {
  csc: string;
  /** declared (topic and schema exist) but never published */
  silent: boolean;
}

interface RawCsc {
  name?: unknown;
  topics?: Array<{ name?: unknown; hz?: unknown; per_s?: unknown }>;
  silent?: unknown;
}

const CSC_RE = /^[A-Z][A-Za-z0-9]*$/;

/** Every topic of every CSC; a mistake in the file is one sentence naming the file and key (exit 4). */
export function loadSummitModel(file = SUMMIT_MODEL): SummitTopic[] {
  let raw: { cscs?: RawCsc[] };
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StackError(`${file}: ${(e as Error).message.split('\n')[0]}`, 4);
  }
  if (!Array.isArray(raw?.cscs) || !raw.cscs.length) throw new StackError(`${file}: "cscs" must be a non-empty list`, 4);
  return raw.cscs.flatMap((c, i) => {
    const at = `${file}: cscs[${i}]`;
    if (typeof c.name !== 'string' || !CSC_RE.test(c.name)) throw new StackError(`${at}.name must be a CSC name such as MTMount`, 4);
    const model = new Map(loadTrafficModel(`lsst.sal.${c.name}`).map((t) => [t.name, t]));
    const spec = (name: unknown, key: string): TopicSpec => {
      const t = typeof name === 'string' ? model.get(name) : undefined;
      if (!t) throw new StackError(`${key} must name a topic of fixtures/traffic/model.yaml, got ${JSON.stringify(name)}`, 4);
      return t;
    };
    const published = (c.topics ?? []).map((t, j): SummitTopic => {
      const key = `${at}.topics[${j}]`;
      const base = spec(t.name, `${key}.name`);
      const cadence = base.kind === 'telemetry' ? t.hz : t.per_s;
      if (cadence !== undefined && !(typeof cadence === 'number' && cadence > 0))
        throw new StackError(`${key}.${base.kind === 'telemetry' ? 'hz' : 'per_s'} must be a positive number`, 4);
      const ratePerS = cadence === undefined ? base.naturalRatePerS : (cadence as number) * Math.max(1, base.indexes.length);
      return { ...base, naturalRatePerS: ratePerS, csc: c.name as string, silent: false };
    });
    if (c.silent !== undefined && !Array.isArray(c.silent)) throw new StackError(`${at}.silent must be a list of topic names`, 4);
    const silent = ((c.silent as unknown[]) ?? []).map((n, j): SummitTopic => ({ ...spec(n, `${at}.silent[${j}]`), csc: c.name as string, silent: true }));
    return [...published, ...silent];
  });
}
