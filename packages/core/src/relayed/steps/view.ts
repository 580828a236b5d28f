/**
 * What the suspension steps' judges share: the Judgement each gives a step, the View of the
 * diagnosis they read, the words they write amounts and sources in, and the two steps no one can
 * see from Salesforce (HubSpot's own click, and what lies outside Salesforce).
 */
import type { SuspensionStepOutcome, SuspensionStepStatus } from '../suspensionSteps.js';
import { joinList, thousands } from '../../diagnosis/text.js';
import type { Diagnosis, Finding, GrantCheck } from '../../diagnosis/types.js';
import { uncheckedList } from '../../snapshot/unchecked.js';

export interface Judgement {
  status: SuspensionStepStatus;
  evidence: string;
  findings?: Finding[];
  /** True when Salesforce shows what this step is about (so the step counts for the agreement). */
  checked?: boolean;
  /** With checked: the cause is absent now, though the step is not done (counts as done for the agreement). */
  outcome?: SuspensionStepOutcome;
  notYet?: true;
  /**
   * On a step Sync Doctor cannot see that decides the reason: what to do there before clearing the
   * suspension, as a clause ('check the property mappings in ...').
   */
  decides?: string;
  /** On the click in HubSpot that lifts the suspension (hubspotClick). */
  click?: true;
}

/** Whole amounts (requests, MB) as the report writes them: 12345 -> '12,345'. */
export const amount = (value: number): string => thousands(Math.round(value));

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function sourcesText(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 3) return joinList(unique);
  return `${unique.slice(0, 3).join(', ')} and ${plural(unique.length - 3, 'other')}`;
}

/**
 * How a required set is assigned, from its sources' labels: 'assigned directly', 'assigned through
 * the group 'Sales Ops'', or both ("through Permission set: HubSpot Integration Permissions" named
 * the set itself as how it was assigned).
 */
export function assignedHow(labels: readonly string[]): string {
  const GROUP = 'Permission set group: ';
  const groups = [...new Set(labels.filter((l) => l.startsWith(GROUP)))].map(
    (l) => `'${l.slice(GROUP.length)}'`,
  );
  const direct = labels.some((l) => !l.startsWith(GROUP));
  const through = groups.length
    ? `through the group${groups.length > 1 ? 's' : ''} ${joinList(groups)}`
    : '';
  if (direct && through) return `assigned directly and ${through}`;
  return through ? `assigned ${through}` : 'assigned directly';
}

const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

/** The diagnosis as the judges read it. */
export class View {
  constructor(
    readonly d: Diagnosis,
    /** HubSpot's own words about the suspension (the relayed title and excerpt), '' when none. */
    readonly hubspotWords = '',
    /**
     * What HubSpot's exported sync errors leave unsettled: fields they name that the org has on
     * none of their objects (deleted, renamed, or a label that looked like a field name), and
     * field-permission groups the relay could not carry (fieldGroupsLeftOut).
     */
    readonly syncErrors: { unfound: string[]; leftOut: number } = { unfound: [], leftOut: 0 },
  ) {}

  problems(predicate: (f: Finding) => boolean): Finding[] {
    return this.d.findings.filter((f) => isProblem(f) && predicate(f));
  }

  grant(kind: GrantCheck['kind'], name: string): GrantCheck | undefined {
    const lower = name.toLowerCase();
    return (this.d.grants ?? []).find((g) => g.kind === kind && g.name.toLowerCase() === lower);
  }

  limit(name: string) {
    return this.d.limits.find((l) => l.name === name);
  }

  get blocking(): Finding[] {
    return this.d.findings.filter((f) => f.severity === 'error');
  }

  /**
   * ', but 1 risk in its findings could get the sync suspended again' after "nothing blocking":
   * the diagnosis's warnings, '' when it has none.
   */
  get risksText(): string {
    const n = this.d.findings.filter((f) => f.severity === 'warning').length;
    return n === 0
      ? ''
      : `, but ${plural(n, 'risk')} in its findings could get the sync suspended again`;
  }

  /** What the diagnosis could not check ('frozen state and Login History'), '' when it checked all. */
  get unchecked(): string {
    return Array.isArray(this.d.unchecked) ? uncheckedList(this.d.unchecked) : '';
  }

  /**
   * 'check by hand what Sync Doctor could not read (frozen state and Login History)', '' when it
   * checked all: the one sentence of the summary that asks for it (the steps point to it, "below").
   */
  get byHand(): string {
    return this.unchecked
      ? `check by hand what Sync Doctor could not read (${this.unchecked})`
      : '';
  }
}

export const capital = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** "Clear Suspension" (or any other click in HubSpot): never visible, but say whether it is time. */
export function hubspotClick(v: View): Judgement {
  const blocking = v.blocking.length;
  const unchecked = v.unchecked;
  // Nothing blocking is not all clear: a risk (the org near its API limit) suspends it again.
  const risks = v.risksText;
  return {
    status: 'unknown',
    evidence:
      blocking === 0
        ? // The summary, below the steps, asks for the checks by hand: said there once.
          `This step is in HubSpot, which Sync Doctor cannot see. Sync Doctor's checks find nothing blocking now${risks}${unchecked ? '; some it could not make, and they come first (below)' : ''}.`
        : `This step is in HubSpot, which Sync Doctor cannot see. Not yet: ${plural(blocking, 'blocking finding')} ${blocking === 1 ? 'remains' : 'remain'} in Sync Doctor's findings.`,
    click: true,
    ...(blocking > 0 ? { notYet: true as const } : {}),
  };
}

export function unseen(evidence: string): Judgement {
  return { status: 'unknown', evidence };
}

export const HUBSPOT_SIDE = 'A HubSpot setting or action: Sync Doctor reads only Salesforce.';
export const OUTSIDE = 'Outside what Sync Doctor can read from Salesforce.';
