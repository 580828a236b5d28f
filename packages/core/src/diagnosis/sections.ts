/** Absent snapshot sections: say what could not be judged instead of guessing. */
import type { Context } from './context.js';
import { RULES } from './rules.js';

/**
 * What Sync Doctor read none of, per snapshot section, in an admin's words: the admin never took a
 * snapshot, Sync Doctor read the org for them. The section name stays the finding's subject.
 */
const READ_NONE: Record<string, string> = {
  user: "Sync Doctor could not read the integration user's record",
  assignments: 'Sync Doctor read no permission set assignments',
  objectPermissions: 'Sync Doctor read no object permissions',
  fieldPermissions: 'Sync Doctor read no field permissions',
  fields: 'Sync Doctor read no field definitions',
  limits: "Sync Doctor read none of the org's limits",
  organization: "Sync Doctor could not read the organization's settings",
};

export function checkSections(ctx: Context): void {
  const s = ctx.snapshot;
  const absent = (
    section: keyof typeof READ_NONE,
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
      message: `${READ_NONE[section]}: ${what}`,
      remedy,
    });
  const again =
    'Check again as a user with "View Setup and Configuration": Sync Doctor needs it to read this.';
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
      'without them, deleted, non-permissionable and calculated fields cannot be told apart, so missing field rights are reported as warnings.',
      'Check again so that Sync Doctor reads the field definitions too.',
    );
  }
  if (s.limits == null) {
    absent(
      'limits',
      'warning',
      'API_LIMIT_EXCEEDED',
      'API requests and storage could not be judged.',
      'Check Setup > Company Information (API Requests, Last 24 Hours) and Setup > Storage Usage, or check again as a user with "View Setup and Configuration", which Sync Doctor needs to read the org\'s limits.',
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
