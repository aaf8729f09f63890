// Resolves every secret a profile references before the run, for two reasons: a reference that cannot be
// read is a profile mistake (exit 4, naming file, line and key), and each value is registered with
// redact.ts in this process so no writer can print it.
import { locate, type KeyPath } from '../config/locate.ts';
import { readCredentials, SecretError } from '../config/secrets.ts';
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

function refName(ref: Credentials['username']): string {
  return 'env' in ref ? ref.env : ref.file;
}

/** `strict`: a secret that cannot be read is an InputError; otherwise it is only skipped. */
export function resolveProfileSecrets(profile: Profile, strict: boolean): void {
  for (const [path, creds] of credentialsOf(profile)) {
    try {
      readCredentials(creds);
    } catch (e) {
      if (!(e instanceof SecretError)) throw e;
      const key = e.message.includes(refName(creds.username)) ? 'username' : 'password';
      if (strict) throw new InputError(`${locate(profile.file, [...path, key])}: ${e.message}`);
    }
  }
}
