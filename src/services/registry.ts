// Judging schema registry facts: Summit/LDF parity of subjects and ids, compatibility levels.

export interface SubjectHead {
  version: number;
  id: number;
}

export interface ParityVerdict {
  onlySummit: string[];
  onlyLdf: string[];
  differing: Array<{ subject: string; summit: SubjectHead; ldf: SubjectHead }>;
  common: number;
}

export function compareRegistries(summit: Map<string, SubjectHead>, ldf: Map<string, SubjectHead>): ParityVerdict {
  const onlySummit = [...summit.keys()].filter((s) => !ldf.has(s)).sort();
  const onlyLdf = [...ldf.keys()].filter((s) => !summit.has(s)).sort();
  const differing: ParityVerdict['differing'] = [];
  let common = 0;
  for (const [subject, a] of summit) {
    const b = ldf.get(subject);
    if (!b) continue;
    common++;
    if (a.id !== b.id || a.version !== b.version) differing.push({ subject, summit: a, ldf: b });
  }
  differing.sort((x, y) => x.subject.localeCompare(y.subject));
  return { onlySummit, onlyLdf, differing, common };
}

export const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];

/** Subjects whose level in force differs from the expected one (null: the registry gave none, nothing to judge). */
export function subjectOverrides(levels: Map<string, string | null>, expected: string): Array<{ subject: string; level: string }> {
  return [...levels]
    .filter((e): e is [string, string] => e[1] !== null && e[1].toUpperCase() !== expected.toUpperCase())
    .map(([subject, level]) => ({ subject, level }))
    .sort((a, b) => a.subject.localeCompare(b.subject));
}
