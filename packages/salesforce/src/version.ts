/**
 * The REST API version every request uses. jsforce 3 defaults to 50.0, which is too old for fields
 * Sync Doctor reads (PermissionSetAssignment.ExpirationDate arrived in 52.0, ObjectPermissions
 * .PermissionsViewAllFields in 59.0), so the version is pinned here and passed to every Connection.
 */
export const SALESFORCE_API_VERSION = '64.0';

/** '/services/data/v64.0' */
export const DATA_PATH = `/services/data/v${SALESFORCE_API_VERSION}`;
