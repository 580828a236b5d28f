/**
 * A record type of an object (Setup > Object Manager > {object} > Record Types), as SOQL on
 * RecordType and the User Interface API's picklist values by record type answer it. Each record
 * type may offer a subset of a picklist's values; a picklist it says nothing of offers all the
 * field's active values. Writes do not check record types: the simulator keeps no RecordTypeId.
 */
export interface RecordTypeSpec {
  /** The label (RecordType.Name). */
  name: string;
  /** RecordType.DeveloperName; made from the name when absent. */
  developerName?: string;
  /** A picklist's values this record type offers, by field API name. */
  values?: Record<string, string[]>;
  /** false: in the org but inactive (SOQL lists it with IsActive false). */
  active?: boolean;
}

/** A record type as the simulator keeps it: with its Id (key prefix 012). */
export interface RecordTypeEntry extends RecordTypeSpec {
  id: string;
}

/** The Master record type every object has (no RecordType row): all of a picklist's values. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';
