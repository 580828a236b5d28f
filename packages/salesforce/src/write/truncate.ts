import { STATUS_FIELD_LIMITS, type StatusChange } from '@sync-doctor/core';

/** Cuts text to a Salesforce field's length, marking the cut with an ellipsis. */
export function truncate(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/**
 * The History__c long text: the newest `historyEntries` changes as JSON, dropping the oldest until
 * the text fits the field (History__c is a 131,072-character long text area).
 */
export function historyJson(history: readonly StatusChange[]): string {
  let entries = history.slice(0, STATUS_FIELD_LIMITS.historyEntries);
  let text = JSON.stringify(entries);
  while (text.length > STATUS_FIELD_LIMITS.history && entries.length > 0) {
    entries = entries.slice(0, -1);
    text = JSON.stringify(entries);
  }
  return text;
}
