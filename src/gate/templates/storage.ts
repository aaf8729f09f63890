// Storage: the local-path class everywhere, and the Kafka + InfluxDB budget. (That the class exists is a
// required object, rules.yaml.)
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import type { Template } from '../types.ts';

export const storage_class: Template = ({ d }, p) => {
  const want = String(p.storage_class);
  return d.claims
    .filter((c) => c.storageClass !== want)
    .map((c) => ({
      message: `volume ${c.namespace}/${c.name} uses storage class ${c.storageClass ? `"${c.storageClass}"` : '(cluster default, none named)'}, not ${want}`,
      origin: c.origin,
      keys: [`${c.namespace}/${c.name}`],
    }));
};

export const storage_budget: Template = ({ d }, p) => {
  const roles: string[] = p.roles;
  const max = parseQuantity(p.max)!;
  const claims = d.claims.filter((c) => c.role && roles.includes(c.role));
  const hits = claims
    .filter((c) => c.sizeBytes === undefined)
    .map((c) => ({ message: `volume ${c.namespace}/${c.name} has no readable size (${c.size ?? 'none'})`, origin: c.origin }));
  const total = claims.reduce((acc, c) => acc + (c.sizeBytes ?? 0) * c.count, 0);
  if (total > max) {
    const parts = claims.map((c) => `${c.role} ${c.count} × ${c.size}`).join(', ');
    const biggest = [...claims].sort((a, b) => (b.sizeBytes ?? 0) * b.count - (a.sizeBytes ?? 0) * a.count)[0];
    hits.push({ message: `${roles.join(' + ')} storage is ${formatBytes(total)} (${parts}), over the ${formatBytes(max)} budget`, origin: biggest?.origin });
  }
  return hits;
};
