// The cluster's own view: facts gathered once through the Kubernetes API (src/cluster/facts.ts), judged by
// src/cluster/verdicts.ts; one check per id. Without a `kubernetes` block in the profile the suite does not
// apply. Rules and defaults: src/catalog/cluster.ts.
import { CLUSTER_CHECK_IDS } from '../../src/catalog/cluster.ts';
import { runCluster } from '../../src/cluster/run.ts';
import { runContext } from '../../src/context.ts';
import { check } from '../../src/suite.ts';

let verdicts: ReturnType<typeof runCluster> | undefined;
const cluster = () => (verdicts ??= runCluster(runContext().profile));

// every read runs in parallel, each bounded by timeout_ms; the served certificates add one handshake each
const timeoutMs = 3 * runContext().profile.timeout_ms + 10_000;

for (const id of CLUSTER_CHECK_IDS) check(id, async () => (await cluster())[id], { timeoutMs });
