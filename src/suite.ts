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

export function check(
  id: string,
  run: (ctx: RunContext) => Promise<Outcome | Outcome[]>,
  options: CheckOptions = {},
): void {
  const spec = getCheck(id);
  if (!spec) throw new Error(`check ${id} is not in the catalog (src/catalog)`);
  test(id, async () => {
    const ctx = runContext();
    const started = Date.now();
    let outcomes: Outcome[];
    try {
      const out = await run(ctx);
      outcomes = Array.isArray(out) ? out : [out];
    } catch (e) {
      outcomes = [{ status: 'error', reason: 'internal', message: `check crashed: ${(e as Error).message}` }];
    }
    const duration_ms = Date.now() - started;
    const findings = outcomes.map((o) =>
      emit({ ...o, id, suite: spec.suite, target: o.target ?? ctx.profile.env, duration_ms: o.duration_ms ?? duration_ms }),
    );
    const failed = findings.filter((f) => isFailing(f.status));
    if (failed.length) throw new Error(failed.map((f) => `${f.target}: ${f.reason}: ${f.message}`).join('\n'));
  }, options.timeoutMs ?? 60_000);
}
