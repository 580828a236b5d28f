import type { ReasonCode } from '../reasons/codes.js';

export type Verdict = 'healthy' | 'at-risk' | 'blocked';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  reason: ReasonCode;
  severity: Severity;
  /** 'Contact', 'Contact.Email', 'PermissionsApiEnabled', 'DailyApiRequests', a permission set name. */
  subject: string;
  message: string;
  remedy: string;
  /** Which Salesforce rule decided this (for the admin: "why does it say that?"). */
  rule?: string;
}

export interface EffectiveObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface ObjectResult {
  name: string;
  /** The rights required of it (empty for an object reached only as a lookup target before judging). */
  required: string[];
  effective: EffectiveObjectAccess;
  /** Profile or permission set (group) labels that grant any of the rights. */
  grantedBy: string[];
  /** Why it is in the list when it was not asked for directly: 'lookup from Contact.AccountId'. */
  reachedBy?: string[];
}

export interface FieldResult {
  name: string;
  required: string[];
  effective: { read: boolean; edit: boolean };
  grantedBy: string[];
  note?: string;
}

export interface LimitResult {
  name: string;
  used: number;
  max: number;
  ratio: number;
}

export interface Diagnosis {
  verdict: Verdict;
  findings: Finding[];
  objects: ObjectResult[];
  fields: FieldResult[];
  limits: LimitResult[];
}
