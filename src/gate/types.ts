// The gate's vocabulary: a rule (data, from rules.yaml), the template that evaluates it, and what it finds.
import type { Reason } from '../report/finding.ts';
import type { Deployment, Origin } from '../model/deployment.ts';
import type { ManifestObject } from '../model/manifest-set.ts';
import type { Profile } from '../config/types.ts';
import type { Exemption } from './exemptions.ts';

export interface RuleSpec {
  /** `manifests.<group>.<name>` */
  id: string;
  title: string;
  description: string;
  /** the plan's sentence (or the requirement) this rule enforces, quoted */
  plan: string;
  template: string;
  reason: Reason;
  params: Record<string, any>;
}

/** What a template reports: a message and, when the finding belongs to one object, where. */
export interface Hit {
  message: string;
  origin?: Origin;
  /** a line more precise than the origin's node, e.g. inside a multi-line string */
  line?: number;
  /**
   * The values this finding is about (CIDR entries, a container, a host …), which an exemption must list
   * to excuse it; without them the finding's key is its key path (exemptions.ts).
   */
  keys?: string[];
}

export interface GateContext {
  d: Deployment;
  /** the efd-health profile the manifests carry (ConfigMap), if any */
  profile?: { data: Partial<Profile> & Record<string, any>; origin: Origin };
  /** the Application whose folder syncs an object (by folder), if any */
  appOf(o: ManifestObject): ManifestObject | undefined;
  /** all rule ids, for exemption checks */
  ruleIds: string[];
  /** every exemption annotation of the manifests; `used` is filled as the other rules' findings are sorted */
  exemptions: Exemption[];
}

export type Template = (ctx: GateContext, params: Record<string, any>) => Hit[];

export interface Violation {
  rule: string;
  message: string;
  file: string;
  line: number;
  /** `Kind namespace/name` of the object the finding is about */
  object?: string;
  /** what an exemption must list to excuse this finding */
  keys: string[];
  /** the exemption's written reason, when the object is exempted from this rule */
  exempted?: string;
}

export interface GateResult {
  /** absolute manifests folder */
  root: string;
  files: number;
  objects: number;
  rules: RuleSpec[];
  violations: Violation[];
  exemptions: Violation[];
  duration_ms: number;
}
