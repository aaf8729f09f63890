// Which topics the data checks cover: `topics` minus `exclude` (thresholds of data.topics.coverage), minus
// the suite's own traffic — the marker CSC (profile markers.topic) and the load topics (load.topic_prefix) —
// which the suite creates and abandons by design, so judging their freshness would judge the suite itself.
import { InputError } from '../errors.ts';
import type { Profile } from '../config/types.ts';

export interface ScopeSettings {
  topics: string;
  exclude: string;
}

function regex(source: string, what: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new InputError(`threshold ${what} is not a valid regular expression: ${(e as Error).message}`);
  }
}

export function topicScope(profile: Pick<Profile, 'markers' | 'load'>, s: ScopeSettings): (topic: string) => boolean {
  const include = regex(s.topics, 'data.topics.coverage.topics');
  const exclude = s.exclude ? regex(s.exclude, 'data.topics.coverage.exclude') : undefined;
  const own: string[] = [];
  const marker = profile.markers?.topic;
  if (marker && marker.includes('.')) own.push(marker.slice(0, marker.lastIndexOf('.') + 1));
  if (profile.load?.topic_prefix) own.push(profile.load.topic_prefix);
  return (t) => include.test(t) && !(exclude && exclude.test(t)) && !own.some((p) => t.startsWith(p));
}
