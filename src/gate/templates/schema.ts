import { validateObject } from '../schema.ts';
import type { Template } from '../types.ts';

export const schema: Template = ({ d }) => d.objects.flatMap(validateObject);
