// node:util parseArgs (strict), with its errors turned into one sentence naming the flag (exit 4).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed<T> {
  values: T;
  positionals: string[];
}

function flagIn(message: string): string {
  return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
}

export function parse<T = Record<string, string | boolean | string[] | undefined>>(
  command: string,
  args: string[],
  options: Options,
  allowPositionals = 0,
): Parsed<T> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: allowPositionals > 0, tokens: true });
  } catch (e) {
    const err = e as { code?: string; message: string };
    const flag = flagIn(err.message);
    const see = `(see efd-health ${command} --help)`;
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new InputError(`unknown flag ${flag} for efd-health ${command} ${see}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new InputError(
          /does not take an argument/.test(err.message)
            ? `flag ${flag} takes no value ${see}`
            : `flag ${flag} needs a value ${see}`,
        );
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new InputError(`unexpected argument ${JSON.stringify(/'([^']*)'/.exec(err.message)?.[1] ?? '')} for efd-health ${command} ${see}`);
      default:
        throw new InputError(`${err.message.split('\n')[0]} ${see}`);
    }
  }
  // a flag given twice is a mistake (the last one would silently win), unless it may repeat
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || options[t.name]?.multiple) continue;
    if (seen.has(t.name)) throw new InputError(`flag --${t.name} is given twice for efd-health ${command}`);
    seen.add(t.name);
  }
  if (parsed.positionals.length > allowPositionals) {
    throw new InputError(`unexpected argument ${JSON.stringify(parsed.positionals[allowPositionals])} for efd-health ${command} (see efd-health ${command} --help)`);
  }
  return { values: parsed.values as T, positionals: parsed.positionals };
}

export const HELP = { help: { type: 'boolean', short: 'h' } } as const;
