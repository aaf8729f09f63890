// Judging Kafka Connect facts: connector/task states and declared-vs-live connector sets.
import type { ConnectorStatus } from '../probes/connect.ts';

export interface StateVerdict {
  ok: boolean;
  /** "connector FAILED; task 0 FAILED" */
  problems: string[];
  /** trace head of the first failed part, for the hint */
  trace?: string;
}

const TRACE_LINES = 6;

/** RUNNING connector and RUNNING tasks pass; zero tasks is legal (MM2 checkpoints with no groups to sync). */
export function judgeConnectorState(s: ConnectorStatus): StateVerdict {
  const problems: string[] = [];
  let trace: string | undefined;
  if (s.connector.state !== 'RUNNING') {
    problems.push(`connector ${s.connector.state}`);
    trace ??= s.connector.trace;
  }
  for (const t of s.tasks) {
    if (t.state !== 'RUNNING') {
      problems.push(`task ${t.id} ${t.state}`);
      trace ??= t.trace;
    }
  }
  return { ok: problems.length === 0, problems, trace: trace ? traceHead(trace) : undefined };
}

/** The first lines of a Java stack trace: the exception and its innermost cause are what an operator reads. */
export function traceHead(trace: string, lines = TRACE_LINES): string {
  const all = trace.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const head = all.slice(0, lines);
  const cause = all.filter((l) => l.startsWith('Caused by:')).pop();
  if (cause && !head.includes(cause)) head.push('…', cause);
  return head.join('\n');
}

export interface DeclaredVerdict {
  /** declared in the manifests, absent live */
  absent: string[];
  /** live, not declared */
  undeclared: string[];
  present: string[];
}

export function compareDeclared(declared: string[], live: string[]): DeclaredVerdict {
  const d = new Set(declared);
  const l = new Set(live);
  return {
    absent: declared.filter((n) => !l.has(n)).sort(),
    undeclared: live.filter((n) => !d.has(n)).sort(),
    present: declared.filter((n) => l.has(n)).sort(),
  };
}
