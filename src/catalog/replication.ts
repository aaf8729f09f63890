import type { CheckSpec } from './types.ts';

export const replicationChecks: CheckSpec[] = [];
