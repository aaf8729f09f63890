// The gate's optional second stage: every object of the manifests is server-side applied with dryRun=All
// to a reachable API server (the box's, or a cluster's in CI), which runs its own validation, defaulting
// and admission on it without storing anything. What the server refuses is reported, one line per object.
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { InputError } from '../errors.ts';
import { classifyNetworkError } from '../probes/errors.ts';
import type { ManifestObject } from '../model/manifest-set.ts';

export interface DryRunRefusal {
  file: string;
  line: number;
  ref: string;
  message: string;
}

export interface DryRunResult {
  server: string;
  applied: number;
  refused: DryRunRefusal[];
}

/** Namespaces and CRDs first, as Argo CD syncs them (sync waves aside), so what depends on them is judged. */
const FIRST = ['Namespace', 'CustomResourceDefinition'];

export interface DryRunTarget {
  api: KubernetesObjectApi;
  server: string;
}

/** The API server to dry-run against; a kubeconfig or context that cannot be used is an input error. */
export function dryRunTarget({ kubeconfig, context }: { kubeconfig?: string; context?: string }): DryRunTarget {
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new InputError(`--kubeconfig ${kubeconfig ?? '(default)'} cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) throw new InputError(`--context ${context} is not in ${kubeconfig ?? 'the default kubeconfig'}`);
    kc.setCurrentContext(context);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new InputError(`${kubeconfig ?? 'the default kubeconfig'} names no current cluster; give --context`);
  return { api: KubernetesObjectApi.makeApiClient(kc), server };
}

function refusal(e: unknown, server: string, mo: ManifestObject): string {
  if (e instanceof ApiException && e.code === 404 && typeof e.body === 'string' && !e.body.trim().startsWith('{'))
    return `the API server does not serve ${mo.object.apiVersion} ${mo.object.kind} (is its CustomResourceDefinition installed?)`;
  if (e instanceof ApiException) {
    let body: any = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // a plain text answer
      }
    }
    return `HTTP ${e.code}: ${typeof body === 'object' && body?.message ? body.message : String(body).trim().slice(0, 300)}`;
  }
  const err = e as { message?: string };
  if (/no matches for kind|resource mapping not found|unable to find api field/i.test(err.message ?? '')) return err.message!;
  return classifyNetworkError(e, server).message;
}

export async function serverDryRun(objects: ManifestObject[], { api, server }: DryRunTarget): Promise<DryRunResult> {
  const ordered = [...objects].sort((a, b) => Number(!FIRST.includes(a.object.kind)) - Number(!FIRST.includes(b.object.kind)));
  const refused: DryRunRefusal[] = [];
  let applied = 0;
  for (const mo of ordered) {
    try {
      await api.patch(mo.object as any, undefined, 'All', 'efd-health-gate', true, PatchStrategy.ServerSideApply);
      applied++;
    } catch (e) {
      const message = refusal(e, server, mo);
      // the server is not there at all: one sentence, not one per object
      if (!(e instanceof ApiException) && /refused|did not answer|does not resolve|unreachable/i.test(message) && applied === 0 && !refused.length)
        throw new UnreachableServer(`the API server ${server} cannot be reached: ${message}`);
      refused.push({ file: mo.file, line: mo.line, ref: mo.ref, message });
    }
  }
  return { server, applied, refused };
}

export class UnreachableServer extends Error {
  readonly exitCode = 3;
}
