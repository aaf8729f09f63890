import type { CheckSpec } from './types.ts';

export const dataChecks: CheckSpec[] = [];
