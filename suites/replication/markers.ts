// Replication suite: markers injected at the Summit broker, timed hop by hop to LDF Kafka and LDF InfluxDB.
// One probe run (src/markers/run.ts) gathers the facts; each check below reports its own verdict on them.
import { runContext } from '../../src/context.ts';
import { judge, REPLICATION_CHECK_IDS } from '../../src/markers/verdict.ts';
import { runReplicationProbe } from '../../src/markers/run.ts';
import { check } from '../../src/suite.ts';

let pending: Promise<ReturnType<typeof judge>> | undefined;

/** The run happens once, on the first check that asks; later checks read its verdicts. */
function verdictsOnce(): Promise<ReturnType<typeof judge>> {
  pending ??= (async () => {
    const { profile } = runContext();
    const run = await runReplicationProbe(profile);
    return judge(run, { production: profile.production, jmxConfigured: !!profile.connect.jmx });
  })();
  return pending;
}

for (const id of REPLICATION_CHECK_IDS) {
  check(id, async () => (await verdictsOnce())[id], { timeoutMs: 120_000 });
}
