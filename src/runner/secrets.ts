// Resolves every secret a profile references before the run, for two reasons: a reference that cannot be
// read is a profile mistake (exit 4, naming file, line and key), and each value is registered with
// redact.ts in this process so no writer can print it.
import { locate, type KeyPath } from '../config/locate.ts';
import { readSecret, SecretError } from '../config/secrets.ts';
import type { Credentials, Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';

function credentialsOf(profile: Profile): Array<[KeyPath, Credentials]> {
  const out: Array<[KeyPath, Credentials | undefined]> = [
    [['influxdb', 'read'], profile.influxdb.read],
    [['influxdb', 'admin'], profile.influxdb.admin],
    [['report', 'influxdb', 'credentials'], profile.report.influxdb?.enabled ? profile.report.influxdb.credentials : undefined],
  ];
  return out.filter((e): e is [KeyPath, Credentials] => e[1] !== undefined);
}

/** `strict`: a secret that cannot be read is an InputError; otherwise it is only skipped. */
export function resolveProfileSecrets(profile: Profile, strict: boolean): void {
  for (const [path, creds] of credentialsOf(profile)) {
    for (const key of ['username', 'password'] as const) {
      try {
        readSecret(creds[key]);
      } catch (e) {
        if (!(e instanceof SecretError)) throw e;
        if (strict) throw new InputError(`${locate(profile.file, [...path, key])}: ${e.message}`);
      }
    }
  }
}
