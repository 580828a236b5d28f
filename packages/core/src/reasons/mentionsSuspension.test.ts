import { mentionsSuspension, SUSPENSION_WORDS } from './mentionsSuspension.js';

describe('mentionsSuspension', () => {
  it.each([
    ['en', 'Your HubSpot-Salesforce integration has been suspended'],
    ['da', 'Din HubSpot-Salesforce-integration er blevet suspenderet'],
    ['no', 'HubSpot-Salesforce-integrasjonen din er suspendert'],
    ['sv', 'Din HubSpot-Salesforce-integration är avbruten'],
    ['sv', 'Ta bort avstängning av Salesforce-integrationen'],
    ['pl', 'Integracja HubSpot z Salesforce została zawieszona'],
    ['fi', 'HubSpot-Salesforce-integraatio on keskeytetty'],
    ['de', 'Ihre HubSpot-Salesforce-Integration wurde ausgesetzt'],
    ['fr', 'Votre intégration HubSpot-Salesforce a été suspendue'],
    ['es', 'Su integración de HubSpot con Salesforce ha sido suspendida'],
    ['pt', 'Sua integração HubSpot-Salesforce foi suspensa'],
    ['nl', 'Uw HubSpot-Salesforce-integratie is opgeschort'],
    ['it', 'La tua integrazione HubSpot-Salesforce è stata sospesa'],
    ['ja', 'HubSpotとSalesforceの連携が一時停止されました'],
  ])('[%s] %s', (_language, text) => {
    expect(mentionsSuspension(text)).toBe(true);
    // In an HTML-only notice, in upper case, among other words.
    expect(mentionsSuspension(`<p>Hello,</p><p><b>${text.toUpperCase()}</b>. Regards</p>`)).toBe(
      true,
    );
  });

  it('needs both Salesforce and a word for suspended', () => {
    expect(mentionsSuspension('Your workflow "Welcome series" has been suspended')).toBe(false);
    expect(mentionsSuspension('Your Salesforce integration synced 1,204 records this week')).toBe(
      false,
    );
    expect(mentionsSuspension('')).toBe(false);
    expect(mentionsSuspension(undefined as unknown as string)).toBe(false);
  });

  it('matches whole words only', () => {
    expect(mentionsSuspension('Salesforce suspenders for sale')).toBe(false);
    expect(mentionsSuspension('Salesforce: the suspense is over')).toBe(false);
  });

  it('keeps every word folded as normalizeText folds text, so each of them can match', () => {
    for (const words of Object.values(SUSPENSION_WORDS))
      for (const word of words) expect(word).toMatch(/^[a-z]+$/);
  });

  it('reads a large text in bounded time', () => {
    const text = `${'lorem ipsum '.repeat(500_000)} Salesforce integration suspended`;
    // Past the first million characters: not read, so not found; and it returns.
    expect(mentionsSuspension(text)).toBe(false);
  });
});
