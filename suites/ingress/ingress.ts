// Ingress, TLS and auth: for every host of the deployment (Ingress objects in the manifests, plus the
// profile's extra hosts and resolve overrides), the facts are gathered once and each check below judges
// them for every host. Rules and defaults: src/catalog/ingress.ts.
import { INGRESS_CHECK_IDS } from '../../src/catalog/ingress.ts';
import { runContext } from '../../src/context.ts';
import { runIngress, type IngressRun } from '../../src/ingress/run.ts';
import { check } from '../../src/suite.ts';

let run: Promise<IngressRun> | undefined;
const ingress = () => (run ??= runIngress(runContext().profile));

// The first check waits for every host: DNS + handshake + the parallel probes, each bounded by timeout_ms.
const timeoutMs = 4 * runContext().profile.timeout_ms + 10_000;

for (const id of INGRESS_CHECK_IDS) {
  check(id, async () => (await ingress()).verdicts.filter((v) => v.id === id).map((v) => v.outcome), { timeoutMs });
}
