import type { CheckSpec } from './types.ts';

export const loadChecks: CheckSpec[] = [];
