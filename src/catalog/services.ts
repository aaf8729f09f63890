import type { CheckSpec } from './types.ts';

export const servicesChecks: CheckSpec[] = [];
