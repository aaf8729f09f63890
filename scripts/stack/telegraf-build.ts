// Builds the stack's Telegraf: the upstream module at VERSIONS.telegraf with only the plugins the sink uses,
// and one change to its Avro parser (fixtures/stack/telegraf/avro_schema_cache.go says why). The module
// source is copied out of Go's module cache, the one call is swapped for the cached one, and the copy is
// built. The binary reports TELEGRAF_BUILD as its version, so an unchanged upstream build is rebuilt.
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { $ } from 'zx';
import { StackError } from './errors.ts';
import { FIXTURES, VERSIONS, cache } from './paths.ts';

export const TELEGRAF_BUILD = `${VERSIONS.telegraf}+efd-avro-schema-cache`;

const MODULE = 'github.com/influxdata/telegraf';
const PARSER = join('plugins', 'parsers', 'avro', 'parser.go');
const UPSTREAM_CALL = 'json.Unmarshal([]byte(schema), &schemaObj)';
// json.Unmarshal is handed over so that parser.go still uses its encoding/json import
const CACHED_CALL = 'unmarshalSchemaCached(schema, &schemaObj, json.Unmarshal)';

export async function buildTelegraf(go: string, out: string): Promise<void> {
  const log = join(cache.logs, 'telegraf-build.log');
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -mod=mod' };
  const fail = (what: string) => new StackError(`building telegraf: ${what}; see ${log}.`);
  const dl = await $({ env })`${go} mod download -json ${MODULE}@v${VERSIONS.telegraf}`.nothrow().quiet();
  writeFileSync(log, dl.stdout + dl.stderr);
  if (dl.exitCode !== 0) throw fail(`go mod download ${MODULE}@v${VERSIONS.telegraf} failed`);
  const moduleDir: string = JSON.parse(dl.stdout).Dir;

  const src = join(cache.root, 'build', `telegraf-${VERSIONS.telegraf}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(moduleDir, src, { recursive: true });
  // the module cache is read-only, and so are its copies
  const parser = join(src, PARSER);
  chmodSync(join(src, 'plugins', 'parsers', 'avro'), 0o755);
  chmodSync(parser, 0o644);
  const code = readFileSync(parser, 'utf8');
  if (code.split(UPSTREAM_CALL).length !== 2) throw fail(`${PARSER} no longer has exactly one ${UPSTREAM_CALL}; the change must be redone for this version`);
  writeFileSync(parser, code.replace(UPSTREAM_CALL, CACHED_CALL));
  copyFileSync(join(FIXTURES, 'telegraf', 'avro_schema_cache.go'), join(src, 'plugins', 'parsers', 'avro', 'avro_schema_cache.go'));

  mkdirSync(dirname(out), { recursive: true });
  const build = await $({ env, cwd: src })`${go} build -tags custom,inputs.kafka_consumer,parsers.avro,outputs.influxdb -ldflags ${`-s -w -X ${MODULE}/internal.Version=${TELEGRAF_BUILD}`} -o ${out} ./cmd/telegraf`
    .nothrow()
    .quiet();
  writeFileSync(log, dl.stdout + dl.stderr + build.stdout + build.stderr);
  if (build.exitCode !== 0) throw fail('go build failed');
  rmSync(src, { recursive: true, force: true });
}
