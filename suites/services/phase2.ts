// Services suite, phase 2 (aggregation and long-term retention): the continuous queries and retention
// tiers the manifests declare, judged live. Every check skips when the manifests declare no CQ.
import { runContext } from '../../src/context.ts';
import { runPhase2 } from '../../src/phase2/run.ts';
import { PHASE2_CHECK_IDS } from '../../src/phase2/verdicts.ts';
import { check } from '../../src/suite.ts';

let run: ReturnType<typeof runPhase2> | undefined;
const phase2 = () => (run ??= runPhase2(runContext().profile));

for (const id of PHASE2_CHECK_IDS) check(id, async () => (await phase2()).verdicts[id], { timeoutMs: 6 * runContext().profile.timeout_ms });
