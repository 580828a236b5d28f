/**
 * The metadata files whose apiVersion is not the project's sourceApiVersion, each with the newer
 * API it needs. Everything else stays on sourceApiVersion: one version to read the Apex against,
 * and a package that deploys to any org on it. A class is raised only for an Apex API that does
 * not exist below its version (the test checks it still uses it).
 */
export const API_VERSION_EXCEPTIONS: Readonly<
  Record<string, { version: string; needs: string; usedAs: RegExp }>
> = {
  'force-app/main/default/classes/SyncDoctorRecordTypePicklistReader.cls-meta.xml': {
    version: '66.0',
    needs:
      "ConnectApi.RecordUi.getPicklistValuesByRecordType, a record type's picklist values (Spring '26)",
    usedAs: /ConnectApi\.RecordUi\.getPicklistValuesByRecordType\(/,
  },
};

/** The apiVersion `file` (relative to the repository) must have. */
export function expectedApiVersion(file: string, sourceApiVersion: string): string {
  return API_VERSION_EXCEPTIONS[file]?.version ?? sourceApiVersion;
}
