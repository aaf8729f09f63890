// Secrets resolved in this process are remembered here so that no finding, log line or report can carry them.
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 3) return;
  secrets.add(value);
  // the forms the value takes inside JSON and HTML/XML text, so escaped copies are caught as well
  const json = JSON.stringify(value).slice(1, -1);
  const markup = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  for (const v of [json, markup]) if (v !== value) secrets.add(v);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** Redacts every string inside a JSON-able value. */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
