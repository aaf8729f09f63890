import type { CheckSpec } from './types.ts';

export const ingressChecks: CheckSpec[] = [];
