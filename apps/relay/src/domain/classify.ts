import { classifySuspensionText, isReasonCode, type ReasonCode } from '@sync-doctor/core';

/** The reason a sender gave, else what the core reads from the title and message, else null. */
export function reasonFor(input: { reason?: string; title?: string; message?: string }): {
  reason: ReasonCode | null;
  classifiedFrom: 'sender' | 'text' | null;
  language: string | null;
} {
  if (isReasonCode(input.reason))
    return { reason: input.reason, classifiedFrom: 'sender', language: null };
  const text = [input.title, input.message].filter(Boolean).join('\n');
  const match = text ? classifySuspensionText(text) : null;
  return match
    ? { reason: match.reason, classifiedFrom: 'text', language: match.language }
    : { reason: null, classifiedFrom: null, language: null };
}
