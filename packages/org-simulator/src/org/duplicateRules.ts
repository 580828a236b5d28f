/**
 * A duplicate rule of an object (Setup > Duplicate Management > Duplicate Rules), as the User
 * Interface API's duplicates configuration lists it. The simulator lists rules; it does not match
 * records against them (no write is refused with DUPLICATES_DETECTED).
 */
export interface DuplicateRuleSpec {
  name: string;
  /** What a create that matches does: 'Block', or 'Allow' (with the operations below). */
  actionOnInsert: 'Allow' | 'Block';
  actionOnUpdate: 'Allow' | 'Block';
  /** For an allowed duplicate: 'Alert' (an API write is refused unless it asks to save anyway), 'Report'. */
  operationsOnInsert?: ('Alert' | 'Report')[];
  operationsOnUpdate?: ('Alert' | 'Report')[];
  /** false: in the org but inactive (never listed). */
  active?: boolean;
  /**
   * The rule's conditions, as Setup writes them ("Current User: Username not equal to …"). The
   * User Interface API's Duplicate Rule Filter has no documented shape here: the duplicates
   * resource lists one filter whose filterItems are these texts, and Sync Doctor reads only
   * whether a rule has any. Not evaluated: the simulator matches no record against a rule.
   */
  conditions?: string[];
}
