/** Absent snapshot sections: say what could not be judged instead of guessing. */
import type { Context } from './context.js';
import { RULES } from './rules.js';

export function checkSections(ctx: Context): void {
  const s = ctx.snapshot;
  const absent = (
    section: string,
    severity: 'warning' | 'info',
    reason: Parameters<Context['add']>[0]['reason'],
    what: string,
    remedy: string,
  ) =>
    ctx.add({
      reason,
      severity,
      subject: section,
      rule: RULES.sectionAbsent,
      message: `The snapshot has no ${section}: ${what}`,
      remedy,
    });
  const again =
    'Collect the snapshot again with a user who may read it (the collector needs "View Setup and Configuration").';
  if (!s.user) {
    absent(
      'user',
      'warning',
      'API_ACCESS_DISABLED',
      'could not judge whether the integration user is active, nor its Marketing User checkbox.',
      again,
    );
  }
  if (s.assignments == null) {
    absent(
      'assignments',
      'warning',
      'OBJECT_PERMISSIONS_MISSING',
      'no permission, object right or field right could be judged (not even API Enabled).',
      again,
    );
  }
  if (s.assignments != null && s.objectPermissions == null && ctx.requirements.objects.length) {
    absent(
      'objectPermissions',
      'warning',
      'OBJECT_PERMISSIONS_MISSING',
      'object rights could not be judged (only Modify All Data and View All Data were).',
      again,
    );
  }
  if (s.assignments != null && s.fieldPermissions == null && ctx.requirements.fields.length) {
    absent(
      'fieldPermissions',
      'warning',
      'FIELD_PERMISSIONS_MISSING',
      'field-level security could not be judged.',
      again,
    );
  }
  if (s.fields == null && ctx.requirements.fields.length) {
    absent(
      'fields',
      'info',
      'FIELD_PERMISSIONS_MISSING',
      'without the field describe, deleted, non-permissionable and calculated fields cannot be told apart, so missing field rights are reported as warnings.',
      'Collect the snapshot again with the field describe.',
    );
  }
  if (s.limits == null) {
    absent(
      'limits',
      'warning',
      'API_LIMIT_EXCEEDED',
      'API requests and storage could not be judged.',
      'Check Setup > Company Information (API Requests, Last 24 Hours) and Setup > Storage Usage, or collect again with a user who may read /limits ("View Setup and Configuration").',
    );
  }
  if (!s.organization) {
    absent(
      'organization',
      'info',
      'OBJECT_PERMISSIONS_MISSING',
      'the org-wide defaults could not be checked, so records hidden by sharing are not reported.',
      again,
    );
  }
}
