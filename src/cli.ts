// efd-health: run | gate | stack | list | explain | report. This file only dispatches and turns errors
// into exit codes (design.md): a user mistake is one sentence on stderr, never a stack trace.
import { InputError, PreflightError } from './errors.ts';
import { redact } from './report/redact.ts';

// Each command's module is loaded only when it runs: `run` pulls in vitest, which takes seconds to import.
const COMMANDS: Record<string, { load: () => Promise<(args: string[]) => number | Promise<number>>; what: string }> = {
  run: { load: async () => (await import('./cli/run.ts')).runCli, what: 'run the live suites against a deployment and write the reports' },
  gate: { load: async () => (await import('./cli/delegate.ts')).gateCli, what: 'validate the manifests offline (CI gate before an Argo CD sync)' },
  stack: { load: async () => (await import('./cli/delegate.ts')).stackCli, what: 'control the local stack (EFD in a box)' },
  list: { load: async () => (await import('./cli/list.ts')).listCli, what: 'every check id with its description, thresholds and defaults' },
  explain: { load: async () => (await import('./cli/list.ts')).explainCli, what: 'what one check verifies and how to tune it' },
  report: { load: async () => (await import('./cli/report.ts')).reportCli, what: 're-render the reports of a run folder' },
};

const USAGE = `Usage: efd-health <command> [options]   (efd-health <command> --help for its options)

${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.what}`).join('\n')}

Exit codes: 0 all passed, 1 a check failed, 2 warnings under --strict, 3 a prerequisite unreachable,
4 invalid input, 5 internal error.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new InputError(`efd-health needs a command: ${Object.keys(COMMANDS).join(', ')} (efd-health --help)`);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) throw new InputError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return (await cmd.load())(rest);
}

function oneLine(s: string): string {
  return redact(s.replace(/\s*\n\s*/g, ' ').trim());
}

async function entry(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof InputError || e instanceof PreflightError) {
      process.stderr.write(`efd-health: ${oneLine(e.message)}\n`);
      code = e.exitCode;
    } else {
      const err = e as Error;
      process.stderr.write(`efd-health: internal error: ${oneLine(err?.message ?? String(e))}${process.env.EFD_HEALTH_DEBUG ? '' : ' (EFD_HEALTH_DEBUG=1 shows the stack trace)'}\n`);
      if (process.env.EFD_HEALTH_DEBUG) process.stderr.write(redact(String(err?.stack)) + '\n');
      code = 5;
    }
  }
  // let stdout drain before leaving (a pipe may be slow), then exit even if a library left a handle open
  process.stdout.write('', () => process.exit(code));
}

await entry();
