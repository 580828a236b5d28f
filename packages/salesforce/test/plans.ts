import type { RemediationPlanInput } from '../src/write/applyRemediation.js';

// What the remediation tests build their plans from: a plan that grants nothing, and a row that
// grants Read on Account and nothing else (each test spreads in what it changes).

export const emptyPlan: RemediationPlanInput = {
  assignPermissionSets: [],
  objectPermissions: [],
  fieldPermissions: [],
  systemPermissions: [],
};

export const accountReadRow = {
  sobjectType: 'Account',
  read: true,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};
