// Capacity: requests declared, each pod fits a node, everything fits the cluster.
import { formatBytes, formatCpu, parseQuantity } from '../../model/quantity.ts';
import type { Workload } from '../../model/deployment.ts';
import type { Hit, Template } from '../types.ts';

function podRequests(w: Workload): { cpu: number; mem: number } {
  // init containers run before the others: a pod needs the larger of the two (Kubernetes' effective request)
  let cpu = 0, mem = 0, initCpu = 0, initMem = 0;
  for (const c of w.containers) {
    const isInit = String(c.imagePath.at(-3)) === 'initContainers';
    if (isInit) {
      initCpu = Math.max(initCpu, c.cpuRequestMillis ?? 0);
      initMem = Math.max(initMem, c.memoryRequestBytes ?? 0);
    } else {
      cpu += c.cpuRequestMillis ?? 0;
      mem += c.memoryRequestBytes ?? 0;
    }
  }
  return { cpu: Math.max(cpu, initCpu), mem: Math.max(mem, initMem) };
}

const label = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;

export const requests_declared: Template = ({ d }) =>
  d.workloads.flatMap((w) =>
    w.containers
      .filter((c) => c.cpuRequestMillis === undefined || c.memoryRequestBytes === undefined)
      .map((c) => ({
        message: `container ${c.name} of ${label(w)} does not request ${c.cpuRequestMillis === undefined ? 'CPU' : ''}${c.cpuRequestMillis === undefined && c.memoryRequestBytes === undefined ? ' and ' : ''}${c.memoryRequestBytes === undefined ? 'memory' : ''}`,
        origin: { object: w.origin.object, path: c.resourcesPath },
        keys: [c.name],
      })),
  );

export const fit_node: Template = ({ d }, p) => {
  const cpu = Number(p.node_cpu) * 1000;
  const mem = parseQuantity(p.node_memory)!;
  return d.workloads.flatMap((w) => {
    const r = podRequests(w);
    if (r.cpu <= cpu && r.mem <= mem) return [];
    return [{
      message: `a pod of ${label(w)} requests ${formatCpu(r.cpu)} and ${formatBytes(r.mem)}, more than one node has (${p.node_cpu} CPU, ${formatBytes(mem)})`,
      origin: w.origin,
    }];
  });
};

export const fit_cluster: Template = ({ d }, p) => {
  const cpu = Number(p.nodes) * Number(p.node_cpu) * 1000;
  const mem = Number(p.nodes) * parseQuantity(p.node_memory)!;
  let totalCpu = 0, totalMem = 0;
  let biggest: Workload | undefined;
  for (const w of d.workloads) {
    const r = podRequests(w);
    totalCpu += r.cpu * w.replicas;
    totalMem += r.mem * w.replicas;
    if (!biggest || r.mem * w.replicas > podRequests(biggest).mem * biggest.replicas) biggest = w;
  }
  const hits: Hit[] = [];
  if (totalCpu > cpu || totalMem > mem) {
    hits.push({
      message: `all pods together request ${formatCpu(totalCpu)} and ${formatBytes(totalMem)}; the cluster has ${formatCpu(cpu)} and ${formatBytes(mem)} (${p.nodes} nodes × ${p.node_cpu} CPU / ${p.node_memory}B); the largest is ${biggest ? label(biggest) : '-'}`,
      origin: biggest?.origin,
    });
  }
  return hits;
};
