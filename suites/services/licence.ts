// Services suite, the Replicator licence clock: Confluent Replicator stops at the end of its trial or
// licence; MirrorMaker 2 and other connectors need none (their creation time is still shown).
import { runContext } from '../../src/context.ts';
import { runLicence } from '../../src/licence/run.ts';
import { check } from '../../src/suite.ts';

check('services.connect.licence', async (ctx) => (await runLicence(ctx.profile)).outcomes, { timeoutMs: 6 * runContext().profile.timeout_ms });
