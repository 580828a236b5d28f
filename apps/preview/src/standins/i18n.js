// Stand-ins for `@salesforce/i18n/*` in our own components: an English (US) admin in the browser's
// time zone. Base components get theirs from lightning-base-components.
export const locale = 'en-US';
export const lang = 'en';
export const dir = 'ltr';
export const currency = 'USD';
export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
export const firstDayOfWeek = 1;
