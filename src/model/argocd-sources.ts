// Where Argo CD finds a chart and its value files: the chart sources of an Application (single or
// multi-source), `$ref/…` value files, paths relative to a chart kept in this repository, and which of
// them lie in the manifests folder the gate reads (this repository is the one the directory Applications
// sync; the folder's path in it is what their paths add to the folder names).
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { ManifestObject, ManifestSet, YamlPath } from './manifest-set.ts';
import { parseValueFile } from './yaml-file.ts';

const normRepo = (url: unknown) => String(url ?? '').trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

/**
 * This repository as the manifests see it: its URL (the directory Applications' repoURL) and the path of
 * the manifests folder inside it (an Application syncing `<prefix>/apps` where the folder is `apps`).
 */
export interface RepoView {
  repo?: string;
  prefix?: string;
}

export function repoView(set: ManifestSet): RepoView {
  const folders = new Set(set.objects.map((o) => posix.dirname(o.file.split('\\').join('/'))));
  for (const mo of set.objects) {
    const src = mo.object.kind === 'Application' ? mo.object.spec?.source : undefined;
    if (!src?.path || src.chart || src.helm) continue;
    const path = String(src.path).replace(/\/+$/, '');
    for (const f of folders) {
      if (f !== '.' && (path === f || path.endsWith(`/${f}`))) return { repo: normRepo(src.repoURL), prefix: path.slice(0, path.length - f.length).replace(/\/+$/, '') };
    }
  }
  return {};
}

/** A chart source of an Application, with the path of its helm block in the object. */
export interface ChartSource {
  source: any;
  helmPath: YamlPath;
}

export function chartSources(app: any): ChartSource[] {
  const spec = app?.spec ?? {};
  if (Array.isArray(spec.sources)) {
    return spec.sources.flatMap((s: any, i: number) => (s?.chart || s?.helm ? [{ source: s, helmPath: ['spec', 'sources', i, 'helm'] }] : []));
  }
  return spec.source && (spec.source.chart || spec.source.helm) ? [{ source: spec.source, helmPath: ['spec', 'source', 'helm'] }] : [];
}

/** Where a value file entry points: a file of the manifests folder, or somewhere the gate cannot read. */
export type ValueFileTarget = { abs: string } | { unreadable: string };

/** A path of a repository as a file of the manifests folder, when it is this repository's and inside it. */
function inManifests(repo: string, repoPath: string, view: RepoView, root: string): ValueFileTarget {
  if (!view.repo || repo !== view.repo) return { unreadable: `in ${repo || 'an unnamed repository'}, not in this repository (${view.repo ?? 'unknown: no directory Application'})` };
  const prefix = view.prefix ? `${view.prefix}/` : '';
  if (!repoPath.startsWith(prefix) || repoPath.startsWith('../')) return { unreadable: `outside the manifests folder ${view.prefix ?? ''} the gate reads` };
  return { abs: posix.join(root.split('\\').join('/'), repoPath.slice(prefix.length)) };
}

export function resolveValueFile(app: any, cs: ChartSource, entry: string, view: RepoView, root: string): ValueFileTarget {
  const ref = /^\$([^/]+)\/(.*)$/.exec(entry);
  if (ref) {
    const src = (app?.spec?.sources ?? []).find((s: any) => s?.ref === ref[1]);
    if (!src) return { unreadable: `no source of the Application has ref ${ref[1]}` };
    return inManifests(normRepo(src.repoURL), posix.normalize(ref[2]), view, root);
  }
  if (/^[a-z]+:\/\//i.test(entry)) return { unreadable: 'a URL, which the gate does not fetch (offline)' };
  if (cs.source.chart) return { unreadable: `inside the packaged chart ${cs.source.chart} of ${cs.source.repoURL}` };
  return inManifests(normRepo(cs.source.repoURL), posix.normalize(posix.join(String(cs.source.path ?? ''), entry)), view, root);
}

/** The folder of a chart kept in this repository's manifests folder (Chart.yaml there), if it is one. */
export function localChartDir(cs: ChartSource, view: RepoView, root: string): string | undefined {
  if (cs.source.chart || !cs.source.path) return undefined;
  const t = inManifests(normRepo(cs.source.repoURL), posix.normalize(String(cs.source.path)), view, root);
  return 'abs' in t && existsSync(posix.join(t.abs, 'Chart.yaml')) ? t.abs : undefined;
}

/** Chart.yaml of a chart folder: its name and dependencies (subcharts, each under its alias or name). */
export function chartMeta(dir: string): { name?: string; dependencies: Array<{ name: string; alias?: string; condition?: string }> } {
  const abs = posix.join(dir, 'Chart.yaml');
  const f = parseValueFile(abs, readFileSync(abs, 'utf8'));
  const meta = (f.doc.toJS() ?? {}) as any;
  const deps = Array.isArray(meta.dependencies) ? meta.dependencies : [];
  return { name: meta.name, dependencies: deps.filter((x: any) => x?.name).map((x: any) => ({ name: String(x.name), alias: x.alias, condition: x.condition })) };
}

/** Every value file the Applications of a manifests set name that lies in the folder (to skip as manifests). */
export function referencedValueFiles(objects: ManifestObject[], root: string, view: RepoView): Set<string> {
  const out = new Set<string>();
  for (const mo of objects) {
    if (mo.object.kind !== 'Application') continue;
    for (const cs of chartSources(mo.object)) {
      for (const entry of cs.source.helm?.valueFiles ?? []) {
        const t = resolveValueFile(mo.object, cs, String(entry), view, root);
        if ('abs' in t) out.add(t.abs);
      }
      // a chart of this repository brings its own defaults, merged first by Helm
      const dir = localChartDir(cs, view, root);
      if (dir && existsSync(posix.join(dir, 'values.yaml'))) out.add(posix.join(dir, 'values.yaml'));
    }
  }
  return out;
}
