import { readFileSync } from 'node:fs';
import { registerSecret } from '../report/redact.ts';
import type { Credentials, SecretRef } from './types.ts';

export class SecretError extends Error {}

/** Reads a secret from its env var or file; the value is registered for redaction before it is returned. */
export function readSecret(ref: SecretRef): string {
  const value = readRef(ref);
  registerSecret(value);
  return value;
}

function readRef(ref: SecretRef): string {
  let value: string | undefined;
  if ('env' in ref) {
    value = process.env[ref.env];
    if (value === undefined) throw new SecretError(`environment variable ${ref.env} is not set`);
  } else {
    try {
      value = readFileSync(ref.file, 'utf8').trim();
    } catch {
      throw new SecretError(`secret file ${ref.file} cannot be read`);
    }
  }
  return value;
}

/** A user name is not secret (redacting "admin" everywhere would garble reports); its password is. */
export function readCredentials(c: Credentials): { username: string; password: string } {
  return { username: readRef(c.username), password: readSecret(c.password) };
}
