import type { CheckSpec } from './types.ts';

export const manifestsChecks: CheckSpec[] = [];
