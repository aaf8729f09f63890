// How a suite declares a check: one vitest test per check id; every outcome goes through the sink,
// and the test fails exactly when a finding fails, so vitest's own output agrees with the reports.
import { test } from 'vitest';
import { getCheck } from './catalog/index.ts';
import { runContext, type RunContext } from './context.ts';
import { isFailing, type Finding } from './report/finding.ts';
import { emit } from './report/sink.ts';

/** A finding without the fields the harness fills in. */
export type Outcome = Omit<Finding, 'id' | 'suite' | 'target'> & { target?: string };

export interface CheckOptions {
  /** vitest timeout; the check's own probes must finish well inside it */
  timeoutMs?: number;
}

/** The type asks for an outcome; the harness still guards against none (an empty list, an untyped return). */
export type CheckFn = (ctx: RunContext) => Promise<Outcome | Outcome[]>;

/** Said when a check returns nothing: a check that judged nothing must say so (skip with its reason). */
export const NO_OUTCOME: Outcome = {
  status: 'error',
  reason: 'internal',
  message: 'check returned no outcome',
  hint: 'a bug in the check: every path must return a finding (pass, fail, or skip with its reason)',
};

/** The outcome of every check of a suite that does not apply to its target; the writers show one line per
 * suite for these (src/report/not-applicable.ts), findings.jsonl keeps each. */
export function notApplicable(why: string, target?: string): Outcome {
  return { target, status: 'skip', reason: 'not_applicable', message: why };
}

/** A check that had nothing to judge: a skip that says why, never a pass. */
export function nothingToJudge(why: string, extra: Omit<Outcome, 'status' | 'reason' | 'message'> = {}): Outcome {
  return { ...extra, status: 'skip', reason: 'skipped', message: `${why}; nothing to judge.` };
}

/** What a check said; a crash or no outcome at all is an error from the harness, never a silent pass. */
export async function outcomesOf(run: CheckFn, ctx: RunContext): Promise<Outcome[]> {
  let out: Outcome | Outcome[] | undefined | null;
  try {
    out = await run(ctx);
  } catch (e) {
    return [{ status: 'error', reason: 'internal', message: `check crashed: ${(e as Error).message}` }];
  }
  const list = Array.isArray(out) ? out : [out];
  if (!list.length) return [NO_OUTCOME];
  // a hole in the list is the same bug as an empty one; the outcomes around it still count
  return list.map((o) => (o == null ? NO_OUTCOME : o));
}

/** A failing check whose components run in the cluster carries the state of their pods (src/cluster/evidence.ts). */
async function withPodEvidence(id: string, ctx: RunContext, outcomes: Outcome[]): Promise<Outcome[]> {
  if (!outcomes.some((o) => isFailing(o.status)) || !ctx.profile.kubernetes) return outcomes;
  const { podEvidence } = await import('./cluster/evidence.ts');
  const pods = await podEvidence(id, ctx.profile);
  return pods ? outcomes.map((o) => (isFailing(o.status) ? { ...o, evidence: { ...o.evidence, pods } } : o)) : outcomes;
}

export function check(id: string, run: CheckFn, options: CheckOptions = {}): void {
  const spec = getCheck(id);
  if (!spec) throw new Error(`check ${id} is not in the catalog (src/catalog)`);
  test(id, async () => {
    const ctx = runContext();
    const started = Date.now();
    const outcomes = await withPodEvidence(id, ctx, await outcomesOf(run, ctx));
    const duration_ms = Date.now() - started;
    const findings = outcomes.map((o) =>
      emit({ ...o, id, suite: spec.suite, target: o.target ?? ctx.profile.env, duration_ms: o.duration_ms ?? duration_ms }),
    );
    const failed = findings.filter((f) => isFailing(f.status));
    if (failed.length) throw new Error(failed.map((f) => `${f.target}: ${f.reason}: ${f.message}`).join('\n'));
  }, options.timeoutMs ?? 60_000);
}
