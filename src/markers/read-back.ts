// Reading back where this run's markers went, to check a cause before naming it: at the Summit (two copies
// there means produced twice at the source; one copy there and two at LDF means the replication delivered it
// twice), and at LDF under other names (a replication policy that prefixes or renames put them there).
import type { Profile } from '../config/types.ts';
import type { MarkerRoute } from '../model/replication.ts';
import { ProbeError } from '../probes/errors.ts';
import { listTopics, openTail, topicOffsets, type OffsetFacts } from '../probes/kafka.ts';
import { decodeWire, markerType } from './schema.ts';

export interface SourceCopies {
  /** copies of each marker id of this run in the Summit topic */
  copies: Record<number, number>;
  error?: string;
}

export interface Elsewhere {
  /** LDF topics a replication policy could have put the markers in */
  searched: string[];
  /** those holding markers of this run, with how many */
  found: Array<{ topic: string; markers: number }>;
  error?: string;
}

/** How far back each partition of another topic is read: a run's markers are among its newest records. */
const LOOK_BACK = 1000;
const MAX_CANDIDATES = 5;

const message = (e: unknown) => (e instanceof ProbeError ? e.message : String((e as Error).message ?? e));

/** Counts this run's markers per id in `topic`, from `from` (offset per partition) to the end as it is now. */
async function runMarkersIn(bootstrap: string[], timeoutMs: number, topic: string, runId: string, recordName: string, from: OffsetFacts[], readMs: number): Promise<SourceCopies> {
  const copies: Record<number, number> = {};
  const type = markerType(recordName);
  const ends = await topicOffsets(bootstrap, timeoutMs, topic);
  const remaining = new Map(ends.map((e) => [e.partition, e.high]));
  for (const f of from) if (f.high >= (remaining.get(f.partition) ?? 0)) remaining.delete(f.partition);
  if (!remaining.size) return { copies };
  let caughtUp!: () => void;
  const done = new Promise<void>((r) => (caughtUp = r));
  const start = Object.fromEntries(from.map((f) => [f.partition, String(f.high)]));
  const tail = await openTail(bootstrap, timeoutMs, topic, (r) => {
    const d = r.value ? decodeWire(type, r.value) : undefined;
    if (d && d.record.run_id === runId) copies[Number(d.record.marker_id)] = (copies[Number(d.record.marker_id)] ?? 0) + 1;
    if (Number(r.offset) + 1 >= (remaining.get(r.partition) ?? Infinity)) remaining.delete(r.partition);
    if (!remaining.size) caughtUp();
  }, { from: start });
  const inTime = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), readMs))]);
  await tail.close();
  return inTime ? { copies } : { copies, error: `${topic} was not read back to its end within ${readMs} ms` };
}

/** The run's markers at the Summit, read from the offsets the topic had before the run (`from`). */
export async function copiesAtSource(profile: Profile, runId: string, from: OffsetFacts[], readMs = 5000): Promise<SourceCopies> {
  const { topic } = profile.markers;
  try {
    return await runMarkersIn(profile.kafka.summit.bootstrap, profile.timeout_ms, topic, runId, topic, from, readMs);
  } catch (e) {
    return { copies: {}, error: message(e) };
  }
}

/** Looks for the markers that did not arrive under route.ldfTopic in every other LDF topic whose name ends in
 * the Summit topic's (where `<alias><sep><topic>` and most rename formats put it). */
export async function markersElsewhere(profile: Profile, runId: string, route: MarkerRoute, missing: number[], readMs = 5000): Promise<Elsewhere> {
  const bootstrap = profile.kafka.ldf.bootstrap;
  try {
    const names = (await listTopics(bootstrap, profile.timeout_ms)).filter((t) => t !== route.ldfTopic && t.endsWith(route.summitTopic));
    const searched = names.slice(0, MAX_CANDIDATES);
    const found: Elsewhere['found'] = [];
    for (const topic of searched) {
      const from = (await topicOffsets(bootstrap, profile.timeout_ms, topic)).map((o) => ({ ...o, high: Math.max(o.low, o.high - LOOK_BACK) }));
      const { copies } = await runMarkersIn(bootstrap, profile.timeout_ms, topic, runId, route.summitTopic, from, readMs);
      const markers = missing.filter((id) => copies[id]).length;
      if (markers) found.push({ topic, markers });
    }
    return { searched, found };
  } catch (e) {
    return { searched: [], found: [], error: message(e) };
  }
}
