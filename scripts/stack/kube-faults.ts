// Faults of the box's Kubernetes, for the `cluster` suite's fault matrix. Each writes what the broken component
// would write; `up` (or `up --only kube`) undoes every one of them (kube-deploy.ts repairFaults, the apply and
// the stand-in), and the helpers below that have an obvious inverse offer it too.
import { runStandin, type Kubectl } from './cluster-standin.ts';
import { kubeBin } from './kube-build.ts';
import { FAULT_LABEL, FIELD_MANAGER, appObjects, applications, makeKubectl } from './kube-deploy.ts';
import { ADMIN_KUBECONFIG, kubeFile } from './kube.ts';

export const admin = (): Kubectl => makeKubectl(kubeBin('kubectl'), kubeFile(ADMIN_KUBECONFIG));

/** The annotation that switches on the box's crash-loop KWOK stage (fixtures/stack/kube/kwok-box-stages.yaml). */
export const CRASHLOOP_ANNOTATION = 'efd-health.lsst.io/kwok-fault';

/** Argo CD's view of one Application, as Argo CD would write it (e.g. OutOfSync, or Degraded with a message). */
export async function writeApplicationStatus(app: string, sync: 'Synced' | 'OutOfSync', health: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing', message?: string): Promise<void> {
  const k = admin();
  const cur = JSON.parse(await k(['get', 'applications.argoproj.io', '-n', 'argocd', app, '-o', 'json']));
  const status = { ...cur.status, sync: { ...cur.status?.sync, status: sync }, health: { status: health, ...(message ? { message } : {}) } };
  await k(['patch', 'applications.argoproj.io', '-n', 'argocd', app, '--subresource=status', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/status', value: status }])]);
}

/** Every container of one pod waits in CrashLoopBackOff (5 restarts, last exit Error 1), or in ImagePullBackOff;
 *  the pod is not Ready. Undo: delete the pod (its controller makes a healthy one). */
export async function crashLoop(namespace: string, pod: string, kind: 'crashloop' | 'imagepullbackoff' = 'crashloop'): Promise<void> {
  await admin()(['annotate', 'pod', '-n', namespace, pod, `${CRASHLOOP_ANNOTATION}=${kind}`, '--overwrite']);
}

/** A claim on local-path that no pod uses, so the provisioner never binds it: Pending. Undo: delete it. */
export async function pendingClaim(namespace: string, name: string, size = '1Gi'): Promise<void> {
  const pvc = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: { [FAULT_LABEL]: 'true' } },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: size } } },
  };
  await admin()(['create', '-f', '-'], JSON.stringify(pvc));
}

export async function suspendCronJob(suspend: boolean): Promise<void> {
  await admin()(['patch', 'cronjob', '-n', 'efd-health', 'efd-health', '--type=merge', '-p', JSON.stringify({ spec: { suspend } })]);
}

/** The CronJob as if just deployed, with no successful run yet: deleted and applied again from its manifest
 *  (its status cannot be backdated: the API server keeps lastSuccessfulTime to what the controller wrote). */
export async function freshCronJob(): Promise<void> {
  const k = admin();
  await k(['delete', 'cronjob', '-n', 'efd-health', 'efd-health', '--cascade=background']);
  const app = applications().find((a) => a.metadata.name === 'efd-health')!;
  const cronjob = appObjects(app).find((o) => o.kind === 'CronJob')!;
  await k(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], JSON.stringify(cronjob));
}

/** One pass of the stand-in now (Application status from live drift and health, Strimzi conditions, PVs). */
export async function rerunStandin(): Promise<void> {
  await runStandin(admin(), () => {}, { settleMs: 0, cronJob: false });
}
