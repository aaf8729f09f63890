// Read-only access to the Kubernetes API with the official client: a kubeconfig (file and context) for a run
// by hand, or the pod's own ServiceAccount in the cluster. Every read is bounded by the profile's deadline
// and fails as a ProbeError naming what it tried: a 403 says which verb on which resource RBAC forbids.
import { ApiException, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { ProbeError, classifyNetworkError } from './errors.ts';

export interface KubeTarget {
  /** kubeconfig file; absent with inCluster */
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  timeoutMs: number;
}

export interface KubeApi {
  server: string;
  core: CoreV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  custom: CustomObjectsApi;
  timeoutMs: number;
}

export function kubeApi(t: KubeTarget): KubeApi {
  const kc = new KubeConfig();
  if (t.inCluster) kc.loadFromCluster();
  else kc.loadFromFile(t.kubeconfig!);
  if (t.context) kc.setCurrentContext(t.context);
  const server = kc.getCurrentCluster()?.server ?? '(no cluster in the kubeconfig)';
  return {
    server,
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    timeoutMs: t.timeoutMs,
  };
}

/** One API read, as RBAC sees it: `list pods in namespace kafka-connect`. */
export interface ApiRead {
  verb: 'get' | 'list';
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export function describeRead(r: ApiRead): string {
  const res = r.group ? `${r.resource}.${r.group}` : r.resource;
  return `${r.verb} ${res}${r.name ? ` ${r.name}` : ''}${r.namespace ? ` in namespace ${r.namespace}` : ' (cluster-wide)'}`;
}

/** Runs one read within the deadline; errors become ProbeErrors that say which read failed and why. */
export async function kubeRead<T>(api: KubeApi, read: ApiRead, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeError('timeout', `${api.server} did not answer "${describeRead(read)}" within ${api.timeoutMs} ms`, api.server)), api.timeoutMs);
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (e) {
    if (e instanceof ProbeError) throw e;
    if (e instanceof ApiException) {
      if (e.code === 403) throw new ProbeError('auth', `forbidden: RBAC does not allow "${describeRead(read)}" to this identity`, api.server);
      if (e.code === 401) throw new ProbeError('auth', `${api.server} refused the credentials (HTTP 401) for "${describeRead(read)}"`, api.server);
      if (e.code === 404) throw new ProbeError('missing', `not found: "${describeRead(read)}"`, api.server);
      throw new ProbeError('http_status', `${api.server} answered HTTP ${e.code} to "${describeRead(read)}"`, api.server);
    }
    throw classifyNetworkError(e, api.server);
  } finally {
    clearTimeout(timer);
  }
}
