// npm run stack -- up|down|status [--json]|logs NAME|stop NAME|start NAME|ingress PHASE|fault …
// (the same as `efd-health stack …`; see scripts/stack/index.ts)
import { main } from './stack/index.ts';

// exit at once: after a failure, other components' start-up waits must not keep the CLI alive
process.exit(await main(process.argv.slice(2)));
