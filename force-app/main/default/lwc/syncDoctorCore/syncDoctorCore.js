// generated from packages/core by apps/salesforce-package/scripts/generate-core-module.mjs — do not edit
// Source: packages/core/src/index.ts, bundled by esbuild as one ES2020 module for Lightning Web Components.
var __defProp = Object.defineProperty;
var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

// packages/core/src/reasons/codes.ts
var REASON_CODES = [
  "API_LIMIT_EXCEEDED",
  "API_ACCESS_DISABLED",
  "UNKNOWN_ERROR",
  "OBJECT_PERMISSIONS_MISSING",
  "FIELD_PERMISSIONS_MISSING",
  "ORG_LOCKED",
  "STORAGE_LIMIT_EXCEEDED",
  "ORG_UNAVAILABLE",
  "SERVER_ERROR",
  "HUBSPOT_API_LIMIT_EXCEEDED",
  "FIELD_MAPPINGS_MISSING"
];
function isReasonCode(value) {
  return typeof value === "string" && REASON_CODES.includes(value);
}

// packages/core/src/requirements/hubspotDefaultMappings.ts
var RW = ["read", "edit"];
function contact(hubspotProperty, ...salesforce) {
  return salesforce.map((field) => ({
    salesforce: field,
    hubspotProperty,
    hubspotObject: "contact",
    access: RW
  }));
}
function company(hubspotProperty, field) {
  return { salesforce: `Account.${field}`, hubspotProperty, hubspotObject: "company", access: RW };
}
function deal(hubspotProperty, field) {
  return { salesforce: `Opportunity.${field}`, hubspotProperty, hubspotObject: "deal", access: RW };
}
var HUBSPOT_DEFAULT_FIELD_MAPPINGS = [
  // Contacts (HubSpot) <-> Leads and Contacts (Salesforce)
  ...contact("Account ID", "Contact.AccountId"),
  ...contact("annualrevenue", "Lead.AnnualRevenue"),
  ...contact("fax", "Lead.Fax", "Contact.Fax"),
  ...contact("phone", "Lead.Phone", "Contact.Phone"),
  ...contact("city", "Lead.City", "Contact.MailingCity"),
  ...contact("company", "Lead.Company"),
  ...contact("Contact Description", "Lead.Description", "Contact.Description"),
  ...contact("country", "Lead.Country", "Contact.MailingCountry"),
  ...contact("email", "Lead.Email", "Contact.Email"),
  ...contact("Email Opt Out", "Lead.HasOptedOutOfEmail", "Contact.HasOptedOutOfEmail"),
  ...contact("numemployees", "Lead.NumberOfEmployees"),
  ...contact("firstname", "Lead.FirstName", "Contact.FirstName"),
  ...contact("industry", "Lead.Industry"),
  ...contact("lastname", "Lead.LastName", "Contact.LastName"),
  ...contact("Lead Source", "Lead.LeadSource", "Contact.LeadSource"),
  ...contact("hubspot_owner_id", "Lead.OwnerId", "Contact.OwnerId"),
  ...contact("Rating", "Lead.Rating"),
  ...contact("salutation", "Lead.Salutation", "Contact.Salutation"),
  ...contact("state", "Lead.State", "Contact.MailingState"),
  ...contact("hs_lead_status", "Lead.Status"),
  ...contact("address", "Lead.Street", "Contact.MailingStreet"),
  ...contact("jobtitle", "Lead.Title", "Contact.Title"),
  ...contact("website", "Lead.Website"),
  ...contact("zip", "Lead.PostalCode", "Contact.MailingPostalCode"),
  // Companies (HubSpot) <-> Accounts (Salesforce)
  company("name", "Name"),
  company("hubspot_owner_id", "OwnerId"),
  company("website", "Website"),
  company("phone", "Phone"),
  company("industry", "Industry"),
  company("description", "Description"),
  company("numberofemployees", "NumberOfEmployees"),
  company("annualrevenue", "AnnualRevenue"),
  company("address", "BillingStreet"),
  company("city", "BillingCity"),
  company("state", "BillingState"),
  company("zip", "BillingPostalCode"),
  company("country", "BillingCountry"),
  // Deals (HubSpot) <-> Opportunities (Salesforce)
  deal("dealname", "Name"),
  deal("amount", "Amount"),
  deal("closedate", "CloseDate"),
  deal("dealstage", "StageName"),
  deal("hubspot_owner_id", "OwnerId"),
  deal("dealtype", "Type"),
  deal("description", "Description"),
  // The deal's associated company is synced as the opportunity's account.
  deal("associatedcompanyid", "AccountId")
];

// packages/core/src/requirements/objectRights.ts
var OBJECT_RIGHTS = [
  "read",
  "create",
  "edit",
  "delete",
  "viewAll",
  "modifyAll"
];
var OBJECT_RIGHT_DEPENDENCIES = {
  read: [],
  create: ["read"],
  edit: ["read"],
  delete: ["edit"],
  viewAll: ["read"],
  modifyAll: ["delete", "viewAll"]
};
var OBJECT_RIGHT_COLUMNS = {
  read: "PermissionsRead",
  create: "PermissionsCreate",
  edit: "PermissionsEdit",
  delete: "PermissionsDelete",
  viewAll: "PermissionsViewAllRecords",
  modifyAll: "PermissionsModifyAllRecords"
};
function withObjectRightDependencies(rights) {
  const all = /* @__PURE__ */ new Set();
  const add = (right) => {
    if (all.has(right)) return;
    all.add(right);
    OBJECT_RIGHT_DEPENDENCIES[right].forEach(add);
  };
  for (const right of rights) add(right);
  return OBJECT_RIGHTS.filter((right) => all.has(right));
}

// packages/core/src/requirements/defaults.ts
var HUBSPOT_PERMISSION_SET = "HubSpot Integration Permissions";
var DEFAULT_REQUIREMENTS = {
  objects: [
    { name: "Lead", access: ["read", "create", "edit"] },
    { name: "Contact", access: ["read", "create", "edit"] },
    { name: "Account", access: ["read", "create", "edit"] },
    { name: "Opportunity", access: ["read", "create", "edit"] },
    { name: "Campaign", access: ["read", "edit"] },
    { name: "Task", access: ["read", "create", "edit"] },
    { name: "User", access: ["read"] }
  ],
  fields: HUBSPOT_DEFAULT_FIELD_MAPPINGS.map((m) => ({
    name: m.salesforce,
    access: [...m.access],
    hubspotProperty: m.hubspotProperty
  })),
  permissionSets: [HUBSPOT_PERMISSION_SET],
  systemPermissions: ["PermissionsApiEnabled"]
};
var OBJECT_ORDER = OBJECT_RIGHTS;
var FIELD_ORDER = ["read", "edit"];
function unionInOrder(order, a, b) {
  const wanted = /* @__PURE__ */ new Set([...a, ...b]);
  return order.filter((x) => wanted.has(x));
}
function mergeNamed(order, base, extra) {
  const byName = /* @__PURE__ */ new Map();
  for (const item of [...base, ...extra]) {
    const key = item.name.toLowerCase();
    const known2 = byName.get(key);
    if (!known2) {
      byName.set(key, { ...item, access: unionInOrder(order, [], item.access) });
    } else {
      const merged = {
        ...item,
        ...known2,
        access: unionInOrder(order, known2.access, item.access)
      };
      const conditional = (r) => r.ifExists === true;
      if (!conditional(known2) || !conditional(item))
        delete merged.ifExists;
      byName.set(key, merged);
    }
  }
  return [...byName.values()];
}
function mergeNames(a, b) {
  const seen = /* @__PURE__ */ new Map();
  for (const name of [...a, ...b])
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}
function mergeRequirements(base, extra) {
  return {
    objects: mergeNamed(
      OBJECT_ORDER,
      base.objects,
      extra.objects ?? []
    ),
    fields: mergeNamed(FIELD_ORDER, base.fields, extra.fields ?? []),
    permissionSets: mergeNames(base.permissionSets, extra.permissionSets ?? []),
    systemPermissions: mergeNames(base.systemPermissions, extra.systemPermissions ?? [])
  };
}

// packages/core/src/diagnosis/text.ts
var OBJECT_RIGHT_LABELS = Object.freeze({
  read: "Read",
  create: "Create",
  edit: "Edit",
  delete: "Delete",
  viewAll: "View All",
  modifyAll: "Modify All"
});
function joinList(items, conjunction = "and") {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
function quoteAll(items) {
  return items.map((i) => `'${i}'`);
}
function percent(ratio) {
  return Number.isFinite(ratio) ? `${Math.round(ratio * 1e3) / 10}%` : "?";
}
function day(iso) {
  return iso.slice(0, 10);
}
function salesforceTime(iso) {
  return Date.parse(iso.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
}
function minute(iso) {
  const time = salesforceTime(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
function thousands(value) {
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = Math.abs(value).toFixed(Number.isInteger(value) ? 0 : 1).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}
var REACHED_BY_KINDS = [
  { one: "lookup from ", many: "lookups from " },
  { one: "mapped field ", many: "mapped fields " }
];
function reachedByText(entries, separator = "; ") {
  const seen = /* @__PURE__ */ new Set();
  const groups = /* @__PURE__ */ new Map();
  for (const entry2 of entries) {
    const key = entry2.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const kind = REACHED_BY_KINDS.find((k) => entry2.startsWith(k.one));
    const group2 = kind?.one ?? entry2;
    groups.set(group2, [...groups.get(group2) ?? [], kind ? entry2.slice(kind.one.length) : entry2]);
  }
  return [...groups].map(([group2, items]) => {
    const kind = REACHED_BY_KINDS.find((k) => k.one === group2);
    if (!kind) return group2;
    return `${items.length === 1 ? kind.one : kind.many}${joinList(items)}`;
  }).join(separator);
}

// packages/core/src/reasons/causes.ts
var CAUSE_CODES = [
  "USER_INACTIVE",
  "USER_FROZEN",
  "USER_LOCKED_OUT",
  "LOGIN_IP_RESTRICTED",
  "LOGIN_HOURS_RESTRICTED",
  "CONNECTED_APP_NOT_APPROVED"
];
var CAUSES = {
  // User.IsActive = false: no login at all, so every API call and token refresh fails.
  USER_INACTIVE: {
    code: "USER_INACTIVE",
    title: "Integration user inactive",
    reason: "API_ACCESS_DISABLED"
  },
  // UserLogin.IsFrozen = true: the user stays active but cannot log in.
  USER_FROZEN: {
    code: "USER_FROZEN",
    title: "Integration user frozen",
    reason: "API_ACCESS_DISABLED"
  },
  // Login History "Password Lockout": too many invalid logins (the password policy's lockout) lock the
  // user until an admin unlocks it or the lockout period ends; HubSpot's OAuth refresh fails meanwhile.
  USER_LOCKED_OUT: {
    code: "USER_LOCKED_OUT",
    title: "Integration user locked out",
    reason: "API_ACCESS_DISABLED"
  },
  // Login History "Restricted IP": the profile's Login IP Ranges (or the app's IP policy) refuse HubSpot.
  LOGIN_IP_RESTRICTED: {
    code: "LOGIN_IP_RESTRICTED",
    title: "HubSpot's logins refused by IP restrictions",
    reason: "API_ACCESS_DISABLED"
  },
  // Login History "Restricted Time": the profile's Login Hours refuse HubSpot outside them.
  LOGIN_HOURS_RESTRICTED: {
    code: "LOGIN_HOURS_RESTRICTED",
    title: "HubSpot's logins refused by the profile's Login Hours",
    reason: "API_ACCESS_DISABLED"
  },
  // HubSpot's connected app admits admin-approved users only, and the user is not approved.
  CONNECTED_APP_NOT_APPROVED: {
    code: "CONNECTED_APP_NOT_APPROVED",
    title: "Integration user not approved for HubSpot's connected app",
    reason: "API_ACCESS_DISABLED"
  }
};
function isCauseCode(value) {
  return typeof value === "string" && CAUSE_CODES.includes(value);
}

// packages/core/src/reasons/symptoms.ts
var SYMPTOM_CODES = ["SYNC_STOPPED", "NO_RECENT_LOGIN"];
var SYMPTOM_TITLES = {
  // HubSpot's steady logins stopped: its sync stopped, for a reason Login History does not show.
  SYNC_STOPPED: "HubSpot's sync has stopped",
  // No login of HubSpot's as this user in the window: stopped long ago, or another user syncs.
  NO_RECENT_LOGIN: "HubSpot has not logged in as this user"
};
function isSymptomCode(value) {
  return typeof value === "string" && SYMPTOM_CODES.includes(value);
}

// packages/core/src/reasons/titles.ts
var TITLE_LANGUAGES = ["en", "da", "no", "sv", "pl", "fi"];
var FIRST_FOUR = [
  "API_LIMIT_EXCEEDED",
  "API_ACCESS_DISABLED",
  "UNKNOWN_ERROR",
  "OBJECT_PERMISSIONS_MISSING"
];
var TITLE_SOURCES = {
  en: {
    url: "https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors",
    revision: "issue 2 table",
    headingsFromArticle: [],
    note: `Not read: no stored copy of the English article was found (root URL, ?hs_amp=true, mirrors). The English titles follow the table of issue 2 ("org"). The article is said to spell "Salesforce Organization" in full, and the Swedish and Norwegian versions keep those English words ("Salesforce Organization API Limit ..."), so that spelling is matched too (TITLE_VARIANTS); neither spelling is confirmed as HubSpot's.`
  },
  da: {
    url: "https://knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors",
    revision: "2023-06-28",
    articleTitle: "Løs fejl ved suspension af Salesforce-integration",
    headingsFromArticle: REASON_CODES,
    note: "All eleven headings; the whole page is the seed file shared/seeds/000_b256518e3ade0ecf.txt."
  },
  no: {
    url: "https://knowledge.hubspot.com/no/salesforce/resolve-salesforce-integration-suspension-errors?hs_amp=true",
    revision: "2025-12-17",
    articleTitle: "Løs feil i Salesforce-integrasjonen",
    headingsFromArticle: FIRST_FOUR,
    note: "First four headings read; the stored copy is searchable only up to the fourth section."
  },
  sv: {
    url: "https://knowledge.hubspot.com/sv/salesforce/resolve-salesforce-integration-suspension-errors",
    revision: "2023-06-28",
    articleTitle: "Lösa fel i samband med avstängning av Salesforce-integration",
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section. "Clear Suspension" is "Ta bort avstängning".'
  },
  pl: {
    url: "https://knowledge.hubspot.com/pl/salesforce/resolve-salesforce-integration-suspension-errors",
    revision: "2023-06-28",
    articleTitle: "Rozwiązywanie błędów zawieszenia integracji z Salesforce",
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section. "Clear Suspension" is "Wyczyść zawieszenie".'
  },
  fi: {
    url: "https://knowledge.hubspot.com/fi/salesforce/resolve-salesforce-integration-suspension-errors",
    revision: "2023-06-28",
    articleTitle: "Ratkaise Salesforce-integraation keskeytysvirheet",
    headingsFromArticle: FIRST_FOUR,
    note: "First four headings read; the stored copy is searchable only up to the fourth section."
  }
};
var SUSPENSION_TITLES = {
  API_LIMIT_EXCEEDED: {
    en: "Salesforce org API limit exceeded",
    da: "Salesforce-organisationens API-grænse overskredet",
    no: "Salesforce Organization API-grense overskredet",
    sv: "Salesforce Organization API Limit överskrids",
    pl: "Przekroczony limit API organizacji Salesforce",
    fi: "Salesforce-organisaation API-raja ylittyi"
  },
  API_ACCESS_DISABLED: {
    en: "Salesforce org API access disabled",
    da: "Salesforce-organisationens API-adgang er deaktiveret",
    no: "API-tilgang for Salesforce-organisasjon deaktivert",
    sv: "API-åtkomst för Salesforce-organisationer inaktiverad",
    pl: "Wyłączony dostęp API organizacji Salesforce",
    fi: "Salesforce-organisaation API-yhteys poistettu käytöstä"
  },
  UNKNOWN_ERROR: {
    en: "Unknown error",
    da: "Ukendt fejl",
    no: "Ukjent feil",
    sv: "Okänt fel",
    pl: "Nieznany błąd",
    fi: "Tuntematon virhe"
  },
  OBJECT_PERMISSIONS_MISSING: {
    en: "Salesforce object permissions missing",
    da: "Salesforce-objekttilladelser mangler",
    no: "Salesforce-objekttillatelser mangler",
    sv: "Salesforce-objektbehörigheter saknas",
    pl: "Brak uprawnień do obiektów Salesforce",
    fi: "Salesforce-kohteen käyttöoikeudet puuttuvat"
  },
  FIELD_PERMISSIONS_MISSING: {
    en: "Salesforce field permissions missing",
    da: "Manglende tilladelser til Salesforce-felter"
  },
  ORG_LOCKED: {
    en: "Salesforce org locked",
    da: "Salesforce-organisation låst"
  },
  STORAGE_LIMIT_EXCEEDED: {
    en: "Salesforce org storage limits exceeded",
    da: "Salesforce-organisationens lagringsgrænser er overskredet"
  },
  ORG_UNAVAILABLE: {
    en: "Salesforce org unavailable",
    da: "Salesforce-organisation utilgængelig"
  },
  SERVER_ERROR: {
    en: "Salesforce.com server error",
    da: "Salesforce.com serverfejl"
  },
  HUBSPOT_API_LIMIT_EXCEEDED: {
    en: "HubSpot API limit exceeded",
    da: "HubSpot API-grænse overskredet"
  },
  FIELD_MAPPINGS_MISSING: {
    en: "Missing field mappings",
    da: "Manglende felttilknytninger"
  }
};
var TITLE_VARIANTS = {
  API_LIMIT_EXCEEDED: { en: ["Salesforce Organization API limit exceeded"] },
  API_ACCESS_DISABLED: { en: ["Salesforce Organization API access disabled"] },
  ORG_LOCKED: { en: ["Salesforce Organization locked"] },
  STORAGE_LIMIT_EXCEEDED: { en: ["Salesforce Organization storage limits exceeded"] },
  ORG_UNAVAILABLE: { en: ["Salesforce Organization unavailable"] }
};
function titlesOf(code) {
  const out = {
    en: SUSPENSION_TITLES[code].en,
    da: SUSPENSION_TITLES[code].da
  };
  for (const language of TITLE_LANGUAGES) {
    const title = SUSPENSION_TITLES[code][language];
    if (title) out[language] = title;
  }
  return out;
}

// packages/core/src/diagnosis/hubspotPlaces.ts
var INTEGRATION = "HubSpot's Salesforce integration settings";
var HUBSPOT_SALESFORCE_PLACE = `${INTEGRATION} (Connected apps > Salesforce)`;
var HUBSPOT_SYNC_HEALTH_PLACE = `${INTEGRATION} (Connected apps > Salesforce, Sync Health tab)`;
var HUBSPOT_ALLOCATION_PLACE = HUBSPOT_SYNC_HEALTH_PLACE;
var HUBSPOT_MAPPINGS_PLACE = `${INTEGRATION} (Connected apps > Salesforce, the Contacts, Companies or Deals tab > its property mappings)`;

// packages/core/src/reasons/catalog.ts
var SALESFORCE_STATUS = {
  label: "Salesforce Status (incidents and maintenance per instance)",
  url: "https://status.salesforce.com"
};
var HUBSPOT_ARTICLE = {
  label: "HubSpot's help article: Resolve Salesforce integration suspension errors",
  url: "https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors"
};
var HUBSPOT_API_ALLOCATION = {
  label: `${HUBSPOT_ALLOCATION_PLACE}: API calls used, "Allocated to HubSpot"`
};
var HUBSPOT_API_CALLS_ARTICLE = {
  label: `HubSpot's help article: Manage Salesforce integration API calls and sync errors ("Adjust API call limit")`,
  url: "https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-sync-errors"
};
var COMPANY_INFORMATION = {
  label: "Salesforce: Setup > Company Information (API Requests, Last 24 Hours; Data and File Space Used)"
};
var SYSTEM_OVERVIEW = {
  label: "Salesforce: Setup > System Overview (API usage and storage at a glance)"
};
var STORAGE_USAGE = {
  label: "Salesforce: Setup > Storage Usage (which objects use the most data storage)"
};
var INTEGRATION_USER = {
  label: "Salesforce: Setup > Users > the HubSpot integration user (profile, permission set assignments)"
};
var PERMISSION_SETS = {
  label: "Salesforce: Setup > Permission Sets > HubSpot Integration Permissions (object and field settings)"
};
var HUBSPOT_SUPPORT = { label: "HubSpot Support", url: "https://help.hubspot.com" };
var SALESFORCE_HELP = {
  label: "Salesforce Help (open a case)",
  url: "https://help.salesforce.com"
};
var HUBSPOT_MAPPINGS = {
  label: HUBSPOT_MAPPINGS_PLACE
};
var HUBSPOT_MAPPINGS_ARTICLE = {
  label: "HubSpot's help article: Map HubSpot properties to Salesforce fields",
  url: "https://knowledge.hubspot.com/salesforce/map-hubspot-properties-to-salesforce-fields"
};
var CLEAR_IN_HUBSPOT = "clear the suspension in HubSpot";
function objectRightsText(objects) {
  const byRights = /* @__PURE__ */ new Map();
  for (const object of objects) {
    const rights = joinList(object.access.map((right) => OBJECT_RIGHT_LABELS[right]));
    byRights.set(rights, [...byRights.get(rights) ?? [], object.name]);
  }
  return [...byRights].map(([rights, names]) => `${rights} on ${joinList(names)}`).join("; ");
}
var SYNCED_OBJECTS = DEFAULT_REQUIREMENTS.objects.map((o) => o.name);
var BODIES = {
  API_LIMIT_EXCEEDED: {
    riskTitle: "Salesforce org API limit nearly reached",
    meaning: "The whole Salesforce org has used up its API requests for the rolling 24-hour window. Every integration of the org, HubSpot included, is refused until older calls fall out of the window.",
    remedy: [
      'In Salesforce, open Setup > Company Information and read "API Requests, Last 24 Hours" to confirm the org is at its maximum.',
      'Find out which integrations use the calls (Setup > System Overview, or the "API Usage Last 7 Days" report) and pause any that are running away.',
      'In HubSpot, set the Salesforce API call allocation ("Allocated to HubSpot") to a share the org can afford, so HubSpot stops before the org limit next time.',
      "During a data migration, ask Salesforce support for a temporary increase of the API limit.",
      `When calls are available again, click "Clear Suspension" in HubSpot's Salesforce integration settings.`
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      COMPANY_INFORMATION,
      SYSTEM_OVERVIEW,
      HUBSPOT_API_ALLOCATION,
      HUBSPOT_API_CALLS_ARTICLE,
      HUBSPOT_ARTICLE
    ],
    checkedBySyncDoctor: true
  },
  API_ACCESS_DISABLED: {
    riskTitle: "Salesforce may refuse HubSpot's API access",
    meaning: `Salesforce refuses API calls from the integration user: the user lacks the "API Enabled" permission, or the org's edition does not include API access.`,
    remedy: [
      `In Salesforce, open the integration user's profile (or a permission set assigned to them) and turn on the system permission "API Enabled".`,
      "Check that the org's edition includes API access (Enterprise, Unlimited, Performance, Developer, or Professional with the API add-on).",
      "In HubSpot, re-enter the Salesforce credentials of the integration user (reconnect), which clears the suspension message."
    ],
    liftsByItself: false,
    clearSuspensionNext: false,
    liftedBy: `re-enter the integration user's Salesforce credentials in HubSpot (reconnect): "Clear Suspension" is not the way out of this one`,
    whereToLook: [INTEGRATION_USER, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true
  },
  UNKNOWN_ERROR: {
    riskTitle: "Salesforce may answer with an unknown error",
    meaning: "Salesforce answered with an error HubSpot could not recognise. These are rare and the error usually passes on its own, but the suspension stays until you clear it.",
    remedy: [
      `Wait a few minutes, then click "Clear Suspension" in HubSpot's Salesforce integration settings.`,
      "If the suspension comes back, check Salesforce Status for the org's instance.",
      "If it still persists, contact HubSpot Support with the time of the suspension and this report."
    ],
    // HubSpot's article: click "Clear Suspension", and contact HubSpot Support if it comes back.
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, HUBSPOT_SUPPORT, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false
  },
  OBJECT_PERMISSIONS_MISSING: {
    riskTitle: "Salesforce object permissions may be missing",
    meaning: `The integration user may not read or edit an object HubSpot syncs (${SYNCED_OBJECTS.join(", ")}) or an object reached through a lookup, or lacks the "${HUBSPOT_PERMISSION_SET}" permission set.`,
    remedy: [
      `In Salesforce, assign the "${HUBSPOT_PERMISSION_SET}" permission set to the integration user (Setup > Users > the user > Permission Set Assignments).`,
      `Give the integration user what HubSpot's sync needs on each synced object: ${objectRightsText(DEFAULT_REQUIREMENTS.objects)}.`,
      // HubSpot's article asks "read and edit permissions on all related objects (e.g. lookups)";
      // Sync Doctor requires Read only (lookup-target-read): said, not contradicted silently.
      "Give read on every object a synced record points to through a lookup: a lookup needs Read, which Sync Doctor checks. HubSpot's article asks read and edit on related objects: if HubSpot still reports this reason once Read is granted, grant Edit on them too.",
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings.`
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [INTEGRATION_USER, PERMISSION_SETS, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true
  },
  FIELD_PERMISSIONS_MISSING: {
    riskTitle: "Salesforce field permissions may be missing",
    meaning: "The integration user lacks read or edit on a field of a synced object, or on a field of an object reached through a lookup (field-level security). Modify All Data does not grant field access.",
    remedy: [
      "Find the field: the Sync Doctor findings, or HubSpot's sync errors, name it.",
      'In Salesforce, give the integration user read and edit on that field (Field-Level Security in a permission set assigned to the user, ideally "HubSpot Integration Permissions").',
      "Repeat for every mapped field and every field of objects reached through lookups.",
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings.`
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      PERMISSION_SETS,
      INTEGRATION_USER,
      HUBSPOT_MAPPINGS,
      HUBSPOT_MAPPINGS_ARTICLE,
      HUBSPOT_ARTICLE
    ],
    checkedBySyncDoctor: true
  },
  ORG_LOCKED: {
    riskTitle: "Salesforce may lock the records HubSpot updates",
    meaning: "A temporary lock: another operation (often another integration or a bulk job updating the same records) held the records HubSpot tried to update, so Salesforce refused the write.",
    remedy: [
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings: most locks are gone within minutes.`,
      "If it comes back, look for integrations, data loads or flows that update the same records at the same time, and schedule them apart.",
      "If it still persists, ask your Salesforce system administrator to unlock the org or release the locked records."
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      { label: "Salesforce: Setup > Bulk Data Load Jobs and Apex Jobs (concurrent updates)" },
      SALESFORCE_STATUS,
      HUBSPOT_ARTICLE
    ],
    checkedBySyncDoctor: false
  },
  STORAGE_LIMIT_EXCEEDED: {
    riskTitle: "Salesforce org storage nearly full",
    meaning: "The Salesforce org has used all of its data (or file) storage, so it refuses new records.",
    remedy: [
      "In Salesforce, open Setup > Storage Usage to see which objects fill the data storage.",
      "Free space: delete or archive records nobody needs (HubSpot explains how to bulk-delete HubSpot-created records), or buy more storage from Salesforce.",
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings.`
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [STORAGE_USAGE, COMPANY_INFORMATION, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true
  },
  ORG_UNAVAILABLE: {
    riskTitle: "Salesforce org may be unavailable",
    meaning: "Salesforce could not be reached: an outage or maintenance on the org's instance.",
    remedy: [
      "Check Salesforce Status for the org's instance (its name is in Setup > Company Information).",
      "Wait until Salesforce reports the instance available again.",
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings.`
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, COMPANY_INFORMATION, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false
  },
  SERVER_ERROR: {
    riskTitle: "Salesforce may answer with a server error",
    meaning: "Salesforce answered with an internal server error.",
    remedy: [
      `Click "Clear Suspension" in HubSpot's Salesforce integration settings.`,
      "If it comes back, check Salesforce Status for the org's instance.",
      "If it still persists, open a case with Salesforce support."
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, SALESFORCE_HELP, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false
  },
  HUBSPOT_API_LIMIT_EXCEEDED: {
    riskTitle: "HubSpot's share of the org's API calls nearly used",
    meaning: "HubSpot has used the share of the org's Salesforce API calls you allocated to it in HubSpot. The org itself may still have calls left. The window is a rolling 24 hours.",
    remedy: [
      "Nothing is required: HubSpot resumes by itself as soon as calls fall out of the rolling 24-hour window.",
      `To resume sooner, compare the org's API usage (Setup > Company Information) with its maximum and raise "Allocated to HubSpot" in HubSpot's Salesforce integration settings if the org can afford it.`
    ],
    liftsByItself: true,
    clearSuspensionNext: false,
    liftedBy: "HubSpot resumes by itself once calls fall out of the rolling 24-hour window",
    whereToLook: [
      HUBSPOT_API_ALLOCATION,
      HUBSPOT_API_CALLS_ARTICLE,
      COMPANY_INFORMATION,
      HUBSPOT_ARTICLE
    ],
    // The allocation is a HubSpot setting no Salesforce snapshot holds; apiWindow forecasts it
    // when the admin gives it.
    checkedBySyncDoctor: false
  },
  FIELD_MAPPINGS_MISSING: {
    riskTitle: "Mapped fields may be missing",
    meaning: "The integration has no usable mappings between HubSpot properties and Salesforce fields: the mappings (or the default ones) are missing or were removed, or a mapped Salesforce field no longer exists.",
    remedy: [
      "In HubSpot's Salesforce integration settings, open the property mappings of contacts, companies and deals (the Contacts, Companies and Deals tabs) and check that mappings exist.",
      "For a mapped field Sync Doctor reports as deleted, restore it in Salesforce (Object Manager > Fields & Relationships > Deleted Fields) or re-point the mapping in HubSpot.",
      'Click "Clear Suspension".',
      "If it persists, or the default mappings are missing, contact HubSpot Support."
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [HUBSPOT_MAPPINGS, HUBSPOT_MAPPINGS_ARTICLE, HUBSPOT_SUPPORT, HUBSPOT_ARTICLE],
    // Partly: the mappings live in HubSpot, but a mapped field deleted in Salesforce shows in the snapshot.
    checkedBySyncDoctor: true
  }
};
function buildReasons() {
  const out = {};
  for (const code of REASON_CODES) {
    out[code] = { code, titles: titlesOf(code), ...BODIES[code] };
  }
  return out;
}
var SUSPENSION_REASONS = buildReasons();
function suspensionReason(code) {
  return typeof code === "string" && Object.hasOwn(SUSPENSION_REASONS, code) ? SUSPENSION_REASONS[code] : void 0;
}
function suspensionNextStep(code, options) {
  const reason = suspensionReason(code);
  if (!reason)
    return options.blocked ? "Fix the findings below first, then clear the suspension in HubSpot." : '"Suspension reported by HubSpot" below says what to do and when to clear it.';
  if (options.blocked)
    return reason.liftsByItself ? `Fix the findings below first; ${reason.liftedBy}.` : `Fix the findings below first, then ${reason.liftedBy}.`;
  if (reason.clearSuspensionNext)
    return '"Suspension reported by HubSpot" below says what to do and when to clear it.';
  return reason.liftsByItself ? `"Suspension reported by HubSpot" below says what to check; ${reason.liftedBy}.` : `"Suspension reported by HubSpot" below says what to do, then ${reason.liftedBy}.`;
}
function findingCode(finding) {
  return finding.symptom ?? finding.cause ?? finding.reason;
}
var AT_RISK = "At risk: ";
var HUBSPOT_WOULD_SUSPEND_WITH = "HubSpot would suspend with:";
function findingHeading(finding) {
  const reason = suspensionReason(finding.reason);
  const reasonTitle = reason?.titles.en || finding.reason;
  const happened = finding.severity === "error";
  const hubspotReason = happened ? `(${HUBSPOT_WOULD_SUSPEND_WITH} ${reasonTitle})` : `(HubSpot's reason if it suspends: ${reasonTitle})`;
  if (finding.symptom && SYMPTOM_TITLES[finding.symptom]) return SYMPTOM_TITLES[finding.symptom];
  const cause = !finding.symptom && finding.cause && Object.hasOwn(CAUSES, finding.cause) ? CAUSES[finding.cause] : void 0;
  if (cause) return `${cause.title} ${hubspotReason}`;
  if (happened || !reason) return reasonTitle;
  if (finding.severity === "warning") return `${reason.riskTitle} ${hubspotReason}`;
  return `About HubSpot's reason "${reasonTitle}"`;
}
function findingTitle(finding) {
  const heading2 = findingHeading(finding);
  return finding.severity === "warning" ? `${AT_RISK}${heading2}` : heading2;
}

// packages/core/src/reasons/classifySalesforceError.ts
var BY_ERROR_CODE = {
  // The org's rolling 24-hour API request limit (also the concurrent long-request limit, which
  // Salesforce reports with the same code: "ConcurrentPerOrgLongTxn Limit exceeded").
  REQUEST_LIMIT_EXCEEDED: "API_LIMIT_EXCEEDED",
  TOTAL_REQUESTS_LIMIT_EXCEEDED: "API_LIMIT_EXCEEDED",
  // The org's edition has no API, or the user lacks "API Enabled".
  API_DISABLED_FOR_ORG: "API_ACCESS_DISABLED",
  API_CURRENTLY_DISABLED: "API_ACCESS_DISABLED",
  // The credentials HubSpot holds no longer open the API (revoked token, frozen or deactivated
  // user, expired password). HubSpot's remedy under "API access disabled" is the same:
  // re-enter the Salesforce credentials.
  INVALID_SESSION_ID: "API_ACCESS_DISABLED",
  INVALID_LOGIN: "API_ACCESS_DISABLED",
  INVALID_OPERATION_WITH_EXPIRED_PASSWORD: "API_ACCESS_DISABLED",
  LOGIN_MUST_USE_SECURITY_TOKEN: "API_ACCESS_DISABLED",
  INVALID_GRANT: "API_ACCESS_DISABLED",
  INACTIVE_OWNER_OR_USER: "API_ACCESS_DISABLED",
  // Object-level access (including records reached through a lookup).
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: "OBJECT_PERMISSIONS_MISSING",
  INSUFFICIENT_ACCESS_OR_READONLY: "OBJECT_PERMISSIONS_MISSING",
  INSUFFICIENT_ACCESS: "OBJECT_PERMISSIONS_MISSING",
  INSUFFICIENT_PRIVILEGES: "OBJECT_PERMISSIONS_MISSING",
  // "sObject type 'X' is not supported": the object exists but the user may not read it.
  INVALID_TYPE: "OBJECT_PERMISSIONS_MISSING",
  INVALID_TYPE_FOR_OPERATION: "OBJECT_PERMISSIONS_MISSING",
  // A lookup to a record the user cannot see (the article's "cross-related object").
  INVALID_CROSS_REFERENCE_KEY: "OBJECT_PERMISSIONS_MISSING",
  // Field-level security: "Unable to create/update fields: X. Please check the security settings
  // of this field", or "No such column 'X' on entity 'Y'" for a field the user cannot see.
  INVALID_FIELD_FOR_INSERT_UPDATE: "FIELD_PERMISSIONS_MISSING",
  INVALID_FIELD: "FIELD_PERMISSIONS_MISSING",
  INVALID_FIELD_WHEN_USING_TEMPLATE: "FIELD_PERMISSIONS_MISSING",
  // Row-lock contention ("unable to obtain exclusive access to this record"), which the article
  // describes under "Salesforce org locked"; records locked by an approval process likewise.
  UNABLE_TO_LOCK_ROW: "ORG_LOCKED",
  ORG_LOCKED: "ORG_LOCKED",
  ENTITY_IS_LOCKED: "ORG_LOCKED",
  STORAGE_LIMIT_EXCEEDED: "STORAGE_LIMIT_EXCEEDED",
  EXCEEDED_QUOTA: "STORAGE_LIMIT_EXCEEDED",
  EXCEEDED_MAX_SIZE_REQUEST: "STORAGE_LIMIT_EXCEEDED",
  SERVER_UNAVAILABLE: "ORG_UNAVAILABLE",
  // Orgs in read-only mode during a Salesforce maintenance window.
  INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE: "ORG_UNAVAILABLE",
  ORG_IN_MAINTENANCE: "ORG_UNAVAILABLE",
  UNKNOWN_EXCEPTION: "SERVER_ERROR",
  INTERNAL_ERROR: "SERVER_ERROR",
  INTERNAL_SERVER_ERROR: "SERVER_ERROR"
};
var NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET"
]);
var LEADING_CODE = /^\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*[:\-]/;
var ANY_CODE = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g;
function str(value) {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : void 0;
}
function num(value) {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\d{3}$/.test(value.trim())) return Number(value.trim());
  return void 0;
}
function httpStatusInCode(code) {
  const match = code ? /^(?:ERROR_)?HTTP_(\d{3})$/i.exec(code) : null;
  return match ? Number(match[1]) : void 0;
}
function known(code) {
  if (!code) return void 0;
  return BY_ERROR_CODE[code.toUpperCase()];
}
function candidates(error) {
  const out = [];
  const visit = (value, depth) => {
    if (depth > 3 || value === null || value === void 0) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 10)) visit(item, depth + 1);
      return;
    }
    if (typeof value === "string") {
      const text4 = value.trim();
      if ((text4.startsWith("[") || text4.startsWith("{")) && text4.length < 1e5) {
        try {
          visit(JSON.parse(text4), depth + 1);
        } catch {
        }
      }
      return;
    }
    if (typeof value !== "object") return;
    const record = value;
    out.push(record);
    for (const key of ["content", "body", "data", "response", "errors", "cause"]) {
      if (key in record) visit(record[key], depth + 1);
    }
  };
  visit(error, 0);
  return out;
}
function fromMessage(message) {
  const leading = LEADING_CODE.exec(message);
  const lead = known(leading?.[1]);
  if (lead) return lead;
  for (const match of message.matchAll(ANY_CODE)) {
    const reason = known(match[1]);
    if (reason) return reason;
  }
  const text4 = message.toLowerCase();
  if (/totalrequests limit exceeded|api request limit|request limit exceeded/.test(text4))
    return "API_LIMIT_EXCEEDED";
  if (/api is not enabled for this organization|api (?:is )?(?:currently )?disabled/.test(text4))
    return "API_ACCESS_DISABLED";
  if (/unable to obtain exclusive access to this record/.test(text4)) return "ORG_LOCKED";
  if (/no such column '[^']+' on entity/.test(text4)) return "FIELD_PERMISSIONS_MISSING";
  if (/unable to create\/update fields?:/.test(text4)) return "FIELD_PERMISSIONS_MISSING";
  if (/storage limit exceeded/.test(text4)) return "STORAGE_LIMIT_EXCEEDED";
  return void 0;
}
function classifySalesforceError(error) {
  const items = candidates(error);
  let status;
  const messages = [];
  if (typeof error === "string") messages.push(error);
  for (const item of items) {
    const byCode = known(str(item.errorCode)) ?? known(str(item.name)) ?? known(str(item.statusCode));
    if (byCode) return byCode;
    const network = str(item.code);
    if (network && NETWORK_CODES.has(network.toUpperCase())) return "ORG_UNAVAILABLE";
    const byCodeField = known(network);
    if (byCodeField) return byCodeField;
    const oauth = str(item.error);
    if (oauth && known(oauth)) return known(oauth);
    status ?? (status = num(item.statusCode) ?? num(item.status) ?? httpStatusInCode(str(item.errorCode) ?? str(item.name)));
    const message = str(item.message) ?? str(item.error_description);
    if (message) messages.push(message);
  }
  for (const message of messages) {
    const reason = fromMessage(message);
    if (reason) return reason;
  }
  if (status === 403 && messages.some((m) => /limit/i.test(m))) return "API_LIMIT_EXCEEDED";
  if (status === 503 || status === 502 || status === 504) return "ORG_UNAVAILABLE";
  if (status !== void 0 && status >= 500) return "SERVER_ERROR";
  return "UNKNOWN_ERROR";
}

// packages/core/src/reasons/normalizeText.ts
var NAMED_ENTITIES = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  rsquo: "'",
  lsquo: "'",
  ndash: "-",
  mdash: "-",
  shy: "",
  zwnj: "",
  zwj: "",
  hellip: " ",
  laquo: " ",
  raquo: " ",
  bdquo: " ",
  ldquo: " ",
  rdquo: " ",
  aelig: "ae",
  AElig: "AE",
  oslash: "o",
  Oslash: "O",
  szlig: "ss",
  oelig: "oe",
  OElig: "OE",
  eth: "d",
  thorn: "th"
};
var SPECIAL_LETTERS = {
  ø: "o",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  ŋ: "n"
};
function decodeEntities(text4) {
  return text4.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,10});?/gi, (whole, body) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 1114111 ? String.fromCodePoint(code) : " ";
    }
    const named = NAMED_ENTITIES[body];
    if (named !== void 0) return named;
    const accented = /^([a-z])(acute|grave|uml|circ|tilde|ring|cedil|caron|slash|ogon|dot)$/i.exec(
      body
    );
    if (accented) return accented[1];
    return whole.endsWith(";") ? " " : whole;
  });
}
var RAW_TEXT_ELEMENTS = ["style", "script", "head"];
var isAsciiLetter = (code) => code >= 97 && code <= 122 || code >= 65 && code <= 90;
var isWordChar = (code) => isAsciiLetter(code) || code >= 48 && code <= 57 || code === 95;
var isSpace = (code) => code === 32 || code >= 9 && code <= 13;
function searcher(text4) {
  const last = /* @__PURE__ */ new Map();
  return (needle, from) => {
    const known2 = last.get(needle);
    if (known2 && known2.from <= from && (known2.at === -1 || known2.at >= from)) return known2.at;
    const at = text4.indexOf(needle, from);
    last.set(needle, { from, at });
    return at;
  };
}
function stripHtml(text4) {
  if (!/[<&]/.test(text4)) return text4;
  return decodeEntities(text4.includes("<") ? removeMarkup(text4) : text4);
}
function removeMarkup(text4) {
  const lower = text4.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const find = searcher(lower);
  const closers = /* @__PURE__ */ new Map();
  const closerEnd = (name, from) => {
    const known2 = closers.get(name);
    if (known2 && known2.from <= from && (known2.end === -1 || known2.at >= from)) return known2.end;
    for (let position = from; ; ) {
      const at = find(`</${name}`, position);
      let end = at === -1 ? -1 : at + name.length + 2;
      if (end !== -1) {
        while (end < lower.length && isSpace(lower.charCodeAt(end))) end++;
        if (lower.charCodeAt(end) !== 62) {
          position = at + 1;
          continue;
        }
        end += 1;
      }
      closers.set(name, { from, at, end });
      return end;
    }
  };
  const parts = [];
  let copied = 0;
  for (let open = lower.indexOf("<"); open !== -1; ) {
    let end = -1;
    if (lower.startsWith("<!--", open)) {
      const close = find("-->", open + 4);
      if (close !== -1) end = close + 3;
    } else {
      const element = RAW_TEXT_ELEMENTS.find(
        (name) => lower.startsWith(name, open + 1) && !isWordChar(lower.charCodeAt(open + 1 + name.length))
      );
      if (element) end = closerEnd(element, open + 1 + element.length);
      const nameAt = lower.charCodeAt(open + 1) === 47 ? open + 2 : open + 1;
      if (end === -1 && isAsciiLetter(lower.charCodeAt(nameAt))) {
        const close = find(">", nameAt);
        if (close !== -1) end = close + 1;
      }
    }
    if (end !== -1) {
      parts.push(text4.slice(copied, open), " ");
      copied = end;
    }
    open = lower.indexOf("<", end === -1 ? open + 1 : end);
  }
  parts.push(text4.slice(copied));
  return parts.join("");
}
function foldLetters(text4) {
  return text4.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[øæœßłđðþıħŧŋ]/g, (c) => SPECIAL_LETTERS[c] ?? c).replace(/['\u2019\u2018\u02bc`´]/g, "");
}
function normalizeText(text4) {
  const plain = foldLetters(stripHtml(text4)).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return plain === "" ? " " : ` ${plain} `;
}

// packages/core/src/reasons/requiredWord.ts
function requiredWord(source) {
  let rest = source;
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(/\((?:[^()\\]|\\.)*\)[?*+]?/g, " ");
  }
  if (rest.includes("(") || rest.includes(")") || rest.includes("|")) return null;
  rest = rest.replace(/\[[^\]]*\][?*+]?/g, " ").replace(/\\./g, " ").replace(/.[?*]/gu, " ");
  let best = null;
  for (const word of rest.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= 3 && (!best || word.length > best.length)) best = word;
  }
  return best;
}

// packages/core/src/reasons/suspensionPhrases.ts
var ORG = "(?:org|organi[sz]ation)s?";
var BE = "(?:(?:has|have) been |was |were |is |are |got |being |currently )?";
var MISSING_STARTS_NEXT = "(?! (?:hubspot |salesforce )?(?:field|object) (?:level )?(?:mappings?|permissions?|security))";
var EN = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce (?:com )?${ORG} api (?:call |request )?limits? ${BE}(?:exceeded|reached)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `(?:exceeded|reached|hit) (?:the |your |its )?salesforce (?:com )?${ORG} api (?:call |request )?limits?`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api (?:call |request )?limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce api (?:call |request )?limits? ${BE}(?:exceeded|reached)`,
    weight: 0.9
  },
  { reason: "API_LIMIT_EXCEEDED", pattern: `totalrequests limit exceeded` },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api (?:call |request )?limits? ${BE}exceeded`,
    weight: 0.6
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    // "HubSpot's" loses its apostrophe to normalizeText: 'hubspots' or 'hubspot s'.
    pattern: `hubspot(?: ?s)? (?:salesforce )?api (?:call )?(?:limits?|allocation) ${BE}(?:exceeded|reached)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `(?:exceeded|reached|hit) (?:the |your )?hubspot api (?:call )?(?:limits?|allocation)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `api call allocation (?:set |configured )?in hubspot ${BE}(?:exceeded|reached|used up)`
  },
  // "API call allocation" is HubSpot's word for its share ("Allocated to HubSpot"); Salesforce's
  // own is a limit, so the allocation exceeded is HubSpot's even when HubSpot is not named.
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `api call allocation ${BE}(?:exceeded|reached|used up)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `(?:allocated to hubspot|hubspot s? ?(?:api )?(?:call )?allocation) ${BE}(?:exceeded|reached|used up)`
  },
  { reason: "API_ACCESS_DISABLED", pattern: `salesforce (?:com )?${ORG} api access ${BE}disabled` },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api access (?:(?:to|for) (?:the |your )?salesforce (?:${ORG} )?)?${BE}(?:disabled|turned off|not enabled)`,
    weight: 0.8
  },
  { reason: "API_ACCESS_DISABLED", pattern: `api (?:is )?not enabled for this organi[sz]ation` },
  { reason: "UNKNOWN_ERROR", pattern: `unknown (?:salesforce )?error`, weight: 0.8 },
  // Our English rendering of the article's body sentence (the English article was not read).
  {
    reason: "UNKNOWN_ERROR",
    pattern: `(?:the )?error (?:sent|returned) (?:from|by) salesforce (?:is not|isnt|was not|wasnt) clear or known`,
    weight: 0.5
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `salesforce object (?:level )?permissions? ${BE}missing${MISSING_STARTS_NEXT}`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `missing (?:salesforce )?object (?:level )?permissions?`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `object permissions? ${BE}missing${MISSING_STARTS_NEXT}`,
    weight: 0.9
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `salesforce field (?:level )?(?:permissions?|security) ${BE}missing${MISSING_STARTS_NEXT}`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `missing (?:salesforce )?field (?:level )?(?:permissions?|security)`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `field (?:level )?permissions? ${BE}missing${MISSING_STARTS_NEXT}`,
    weight: 0.9
  },
  { reason: "ORG_LOCKED", pattern: `salesforce (?:com )?${ORG} ${BE}locked(?! out)` },
  {
    reason: "ORG_LOCKED",
    pattern: `unable to obtain exclusive access to this record`,
    weight: 0.8
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce (?:com )?${ORG} (?:data |file )?storage limits? ${BE}(?:exceeded|reached)`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `(?:data |file )?storage limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `(?:data |file )?storage limits? ${BE}exceeded`,
    weight: 0.8
  },
  {
    reason: "ORG_UNAVAILABLE",
    pattern: `salesforce (?:com )?(?:${ORG} )?${BE}(?:unavailable|not available|down for maintenance)`
  },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?(?:internal )?server error` },
  {
    reason: "SERVER_ERROR",
    pattern: `server error (?:from|at|in) salesforce(?: com)?`,
    weight: 0.9
  },
  // Article body under "Salesforce.com server error", as the Danish copy words it ("Salesforce
  // returnerede en ukendt fejl"; no English copy is stored): longer than the "unknown error" it contains.
  { reason: "SERVER_ERROR", pattern: `salesforce returned an unknown error` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `missing (?:hubspot |salesforce )?field mappings?` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:hubspot |salesforce )?field mappings? ${BE}missing`
  },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `no (?:field )?mappings? between hubspot properties and salesforce fields`
  }
];
var NOT_ENGLISH_LAST = "(?! (?:updated|modified|week|month|year|time|night|day|login|sync|synced|run|saved|checked))";
var DA_ORG = "salesforce organisation(?:en|ens|er)?";
var DA_BE = "(?:(?:er|blev) )?(?:blevet )?";
var HUBSPOT_GENITIVE = "hubspot(?:s| s)?";
var DA = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `${DA_ORG} api (?:opkalds)?graense(?:n)? ${DA_BE}overskre(?:det|dt|des)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api (?:opkalds)?graensen (?:i|for) (?:din )?${DA_ORG} ${DA_BE}overskre(?:det|dt)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce api (?:opkalds)?graense(?:n)? (?:er )?overskre(?:det|dt)`,
    weight: 0.9
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `${HUBSPOT_GENITIVE} api (?:opkalds)?(?:graense(?:n)?|allokering(?:en)?) ${DA_BE}overskre(?:det|dt)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `api opkaldsallokering(?:en)? der er indstillet i hubspot (?:er )?overskredet`
  },
  { reason: "API_ACCESS_DISABLED", pattern: `${DA_ORG} api adgang (?:er )?deaktiveret` },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api adgang(?:en)? (?:til|for) (?:din )?${DA_ORG} ${DA_BE}deaktiveret`
  },
  // The article's body under this heading (the page glues "tilladelse" and "API Enabled").
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `(?:den )?administrative tilladelse(?:n)? ?api enabled`,
    weight: 0.8
  },
  { reason: "UNKNOWN_ERROR", pattern: `ukendt fejl`, weight: 0.8 },
  // The article's body sentence under "Ukendt fejl" (HubSpot's words).
  {
    reason: "UNKNOWN_ERROR",
    pattern: `fejlen der sendes fra salesforce er ikke klar eller kendt`,
    weight: 0.5
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `salesforce objekttilladelser (?:mangler|manglende)`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `(?:manglende|mangler) (?:salesforce )?objekttilladelser`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `manglende tilladelser til salesforce objekter`
  },
  // Article body: "... et af de objekter, der forsøges synkroniseret, ikke har de korrekte tilladelser i Salesforce."
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `objekter der forsøges synkroniseret ikke har de korrekte tilladelser i salesforce`,
    weight: 0.5
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `(?:manglende|mangler) (?:salesforce )?felttilladelser`
  },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `salesforce felttilladelser mangler` },
  // Article body: "Integrationsbrugeren har ikke læse- og redigeringstilladelser til et felt ..."
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `integrationsbrugeren har ikke læse og redigeringstilladelser til et felt`,
    weight: 0.6
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `manglende tilladelser til (?:salesforce )?felter`
  },
  // "låst" normalises to "last": keep English "last updated/week/..." out.
  { reason: "ORG_LOCKED", pattern: `${DA_ORG} (?:er )?last${NOT_ENGLISH_LAST}` },
  // Article body: "En midlertidig fejl, der opstår, når der udføres en handling, som skal afsluttes, før en anden opdatering kan finde sted."
  {
    reason: "ORG_LOCKED",
    pattern: `handling som skal afsluttes før en anden opdatering kan finde sted`,
    weight: 0.5
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `${DA_ORG} lagringsgraense(?:r|n|rne)? ${DA_BE}overskre(?:det|dt)`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `lagringsgraensen (?:i|for) (?:din )?${DA_ORG} ${DA_BE}overskre(?:det|dt)`
  },
  {
    reason: "ORG_UNAVAILABLE",
    pattern: `${DA_ORG} (?:er )?(?:utilgaengelig|ikke (?:er )?tilgaengelig)`
  },
  // Article body: "Salesforce oplever i øjeblikket udfald."
  { reason: "ORG_UNAVAILABLE", pattern: `salesforce oplever (?:i øjeblikket )?(?:et )?udfald` },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?serverfejl` },
  { reason: "SERVER_ERROR", pattern: `serverfejl (?:hos|i|fra) salesforce(?: com)?`, weight: 0.9 },
  // Article body under "Salesforce.com serverfejl": longer than the "Ukendt fejl" heading it contains.
  { reason: "SERVER_ERROR", pattern: `salesforce returnerede en ukendt fejl` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `manglende felttilknytninger` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `(?:ingen|mangler) felttilknytninger` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:der er )?ingen mappings mellem hubspot egenskaber og salesforce felter`
  }
];
var NO = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce (?:organization|organisasjon(?:en|ens)?) api (?:anrops)?grense(?:n)? (?:er )?overskredet`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `grensen for api anrop i (?:din )?salesforce organisasjon(?:en)?(?: din)? er overskredet`
  },
  // article body
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api (?:anrops)?grense(?:n)? (?:for|i) (?:din )?salesforce organisasjon(?:en)?(?: din)? (?:er )?(?:blitt )?overskredet`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `${HUBSPOT_GENITIVE} api (?:anrops)?grense(?:n)? (?:er )?(?:blitt )?overskredet`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `api anropsallokering(?:en)? (?:som er )?(?:angitt|satt) i hubspot (?:er )?overskredet`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api tilgang(?:en)? for salesforce organisasjon(?:en)? (?:er )?deaktivert`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `(?:den )?administrative tillatelse(?:n)? ?api enabled`,
    weight: 0.8
  },
  // article body
  { reason: "UNKNOWN_ERROR", pattern: `ukjent feil`, weight: 0.8 },
  {
    reason: "UNKNOWN_ERROR",
    pattern: `feilen som sendes fra salesforce er ikke klar eller kjent`,
    weight: 0.5
  },
  // article body
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `(?:manglende|mangler) (?:salesforce )?objekttillatelser`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `objektene som prøver å synkronisere har ikke de riktige tillatelsene i salesforce`,
    weight: 0.5
  },
  // article body
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `salesforce felttillatelser mangler` },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `manglende (?:salesforce )?felttillatelser` },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `manglende tillatelser (?:til|for) salesforce felt(?:er|ene)?`
  },
  {
    reason: "ORG_LOCKED",
    pattern: `salesforce organisasjon(?:en)? (?:er )?låst${NOT_ENGLISH_LAST}`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce organisasjon(?:ens|en)? lagringsgrense(?:r|n|ne)? (?:er )?overskredet`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `lagringsgrense(?:n|ne)? (?:for|i) (?:din )?salesforce organisasjon(?:en)?(?: din)? (?:er )?(?:blitt )?overskredet`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `salesforce organisasjon(?:en)? (?:er )?utilgjengelig` },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?serverfeil` },
  { reason: "SERVER_ERROR", pattern: `serverfeil (?:hos|i|fra) salesforce(?: com)?`, weight: 0.9 },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:manglende|mangler) (?:felttilordninger|feltkoblinger|felttilknytninger)`
  }
];
var SV = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api gräns(?:en)? för salesforce organisation(?:en|er)? (?:har )?överskri(?:dits|ds)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `gränsen för api samtal i (?:din )?salesforce organisation(?:en)? har överskridits`
  },
  // article body
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `${HUBSPOT_GENITIVE} api (?:gräns(?:en)?|limit) (?:har )?överskri(?:dits|ds)`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api åtkomst(?:en)? för salesforce organisation(?:er|en)? (?:är |har )?inaktiver(?:ad|ats)`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `(?:den )?administrativa behörighet(?:en)? ?api enabled`,
    weight: 0.8
  },
  // article body
  { reason: "UNKNOWN_ERROR", pattern: `okänt fel`, weight: 0.8 },
  {
    reason: "UNKNOWN_ERROR",
    pattern: `felet som skickas från salesforce är inte tydligt eller känt`,
    weight: 0.5
  },
  // article body
  { reason: "OBJECT_PERMISSIONS_MISSING", pattern: `saknade (?:salesforce )?objektbehörigheter` },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `salesforce fältbehörigheter saknas` },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `saknade (?:salesforce )?fältbehörigheter` },
  {
    reason: "ORG_LOCKED",
    pattern: `salesforce organisation(?:en)? (?:är )?låst${NOT_ENGLISH_LAST}`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `lagringsgräns(?:en|erna)? (?:för|i) (?:din )?salesforce organisation(?:en|er)? (?:har )?överskri(?:dits|ds)`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce organisation(?:ens|ers)? lagringsgräns(?:er|en)? (?:har )?överskri(?:dits|ds)`
  },
  {
    reason: "ORG_UNAVAILABLE",
    pattern: `salesforce organisation(?:en)? (?:är )?(?:inte tillgänglig|otillgänglig)`
  },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?serverfel` },
  { reason: "SERVER_ERROR", pattern: `serverfel (?:hos|i|från) salesforce(?: com)?`, weight: 0.9 },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `saknade fältmappningar` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `fältmappningar saknas` }
];
var PL = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `limit (?:wywołań )?api (?:w )?organizacji salesforce (?:został )?przekroczony`
  },
  // article body
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `przekroczono limit (?:wywołań )?api (?:w )?organizacji salesforce`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `przekroczon(?:y|o) limit (?:wywołań )?api (?:w )?hubspot`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `limit (?:wywołań )?api (?:w )?hubspot (?:został )?przekroczony`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `dostęp api organizacji salesforce (?:został |jest )?wyłączony`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `uprawnienia administracyjne profilu użytkownika ?api enabled`,
    weight: 0.8
  },
  // article body
  { reason: "UNKNOWN_ERROR", pattern: `nieznany błąd`, weight: 0.8 },
  {
    reason: "UNKNOWN_ERROR",
    pattern: `błąd wysłany z salesforce nie jest jasny lub znany`,
    weight: 0.5
  },
  // article body
  // "Brak" (heading) and "z powodu braku" (genitive, in a sentence).
  { reason: "OBJECT_PERMISSIONS_MISSING", pattern: `braku uprawnień do obiektów salesforce` },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `braku? uprawnień do pól salesforce` },
  { reason: "ORG_LOCKED", pattern: `organizacja salesforce (?:jest |została )?zablokowana` },
  { reason: "ORG_LOCKED", pattern: `zablokowana organizacja salesforce` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `przekroczon[eyo] limity? (?:pamięci|miejsca|przechowywania)(?: masowej| danych)? (?:w )?organizacji salesforce`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `limity? (?:pamięci|miejsca|przechowywania)(?: masowej| danych)? (?:w )?organizacji salesforce (?:został[oy]? )?przekroczon[eyo]`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `organizacja salesforce (?:jest )?niedostępna` },
  { reason: "ORG_UNAVAILABLE", pattern: `niedostępna organizacja salesforce` },
  { reason: "SERVER_ERROR", pattern: `(?:błąd|błędu|błędem) serwera salesforce(?: com)?` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:braku?|brakujące|brakujących) mapowa(?:ń|nia) pól`
  }
];
var FI = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce organisaatio(?:n|si) api (?:kutsu)?raj(?:a|oitus) (?:on )?(?:ylittyi|ylitetty)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `hubspot(?:in)? api (?:kutsu)?raj(?:a|oitus) (?:on )?(?:ylittyi|ylitetty)`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `salesforce organisaation api yhteys (?:on )?poistettu käytöstä`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api enabled käyttäjäprofiilin hallinnointioikeus`,
    weight: 0.8
  },
  // article body
  { reason: "UNKNOWN_ERROR", pattern: `tuntematon virhe`, weight: 0.8 },
  {
    reason: "UNKNOWN_ERROR",
    pattern: `salesforcen lähettämä virhe ei ole selkeä tai tiedossa`,
    weight: 0.5
  },
  // article body
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `salesforce (?:kentän|kenttien) käyttöoikeudet puuttuvat`
  },
  { reason: "ORG_LOCKED", pattern: `salesforce organisaatio (?:on )?lukittu` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce organisaation tallennus(?:tila)?raj(?:a|at) (?:on )?(?:ylittyi|ylittyivät|ylitetty)`
  },
  {
    reason: "ORG_UNAVAILABLE",
    pattern: `salesforce organisaatio ei (?:ole )?(?:käytettävissä|saatavilla)`
  },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?palvelinvirhe(?:en|ttä)?` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:puuttuvat kenttämääritykset|kenttämääritykset puuttuvat|puuttuvat kenttien yhdistämiset)`
  }
];
var DE = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api (?:aufruf)?limit der salesforce organisation (?:wurde )?überschritten`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce organisation api (?:aufruf)?limit (?:wurde )?überschritten`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `hubspot api (?:aufruf)?limit (?:wurde )?überschritten`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `api (?:aufruf)?limit von hubspot (?:wurde )?überschritten`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api zugriff (?:der|für die) salesforce organisation (?:ist |wurde )?deaktiviert`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `salesforce organisation api zugriff (?:ist |wurde )?deaktiviert`
  },
  { reason: "UNKNOWN_ERROR", pattern: `unbekannter fehler`, weight: 0.8 },
  { reason: "OBJECT_PERMISSIONS_MISSING", pattern: `salesforce objektberechtigungen fehlen` },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `fehlende (?:salesforce )?objektberechtigungen`
  },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `salesforce feldberechtigungen fehlen` },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `fehlende (?:salesforce )?feldberechtigungen` },
  { reason: "ORG_LOCKED", pattern: `salesforce organisation (?:ist |wurde )?gesperrt` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `speicher(?:platz)?limits? der salesforce organisation (?:wurden? )?überschritten`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce organisation speicher(?:platz)?limits? (?:wurden? )?überschritten`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `salesforce organisation (?:ist )?nicht verfügbar` },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?serverfehler` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `fehlende feldzuordnungen` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `feldzuordnungen fehlen` }
];
var FR = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `limite (?:d'appels )?d'API de l'organisation Salesforce (?:a été |est )?(?:dépassée|atteinte)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `limite (?:d'appels )?d'API (?:de )?HubSpot (?:a été |est )?(?:dépassée|atteinte)`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `accès (?:à l'API|API) de l'organisation Salesforce (?:a été |est )?désactivé`
  },
  { reason: "UNKNOWN_ERROR", pattern: `erreur inconnue`, weight: 0.8 },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `(?:autorisations|permissions) (?:d'objets?|des objets) Salesforce manquantes`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `(?:autorisations|permissions) (?:de champs?|des champs) Salesforce manquantes`
  },
  { reason: "ORG_LOCKED", pattern: `organisation Salesforce (?:est )?verrouillée` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `limites? de stockage de l'organisation Salesforce (?:ont été |a été )?(?:dépassées?|atteintes?)`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `organisation Salesforce (?:est )?indisponible` },
  { reason: "SERVER_ERROR", pattern: `erreur (?:du |de )?serveur (?:de )?Salesforce(?: com)?` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:mappages|mappings|correspondances) de champs? manquant(?:e)?s`
  }
];
var ES = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `límite (?:de llamadas )?(?:de|a la) API de la organización de Salesforce (?:superado|excedido)`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `(?:se ha )?(?:superado|excedido) (?:el )?límite (?:de llamadas )?(?:de|a la) API de la organización de Salesforce`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `límite (?:de llamadas )?(?:de|a la) API de HubSpot (?:superado|excedido)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `(?:se ha )?(?:superado|excedido) (?:el )?límite (?:de llamadas )?(?:de|a la) API de HubSpot`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `acceso (?:a la )?API de la organización de Salesforce (?:está )?(?:deshabilitado|desactivado)`
  },
  { reason: "UNKNOWN_ERROR", pattern: `error desconocido`, weight: 0.8 },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `faltan (?:los )?permisos de objetos? (?:de )?Salesforce`
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `permisos de objetos? de Salesforce (?:faltantes|ausentes)`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `faltan (?:los )?permisos de campos? (?:de )?Salesforce`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `permisos de campos? de Salesforce (?:faltantes|ausentes)`
  },
  { reason: "ORG_LOCKED", pattern: `organización de Salesforce (?:está )?bloqueada` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `límites? de almacenamiento de la organización de Salesforce (?:superados?|excedidos?)`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `(?:se han )?(?:superado|excedido) (?:los )?límites? de almacenamiento de la organización de Salesforce`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `organización de Salesforce no (?:está )?disponible` },
  { reason: "SERVER_ERROR", pattern: `error (?:del )?servidor (?:de )?Salesforce(?: com)?` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `faltan (?:las )?asignaciones de campos?` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `asignaciones de campos? (?:faltantes|ausentes)` }
];
var PT = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `limite (?:de chamadas )?(?:de|da) API da organização (?:do )?Salesforce (?:foi )?(?:excedido|ultrapassado)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `limite (?:de chamadas )?(?:de|da) API (?:do )?HubSpot (?:foi )?(?:excedido|ultrapassado)`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `acesso (?:à )?API da organização (?:do )?Salesforce (?:foi )?desativado`
  },
  { reason: "UNKNOWN_ERROR", pattern: `erro desconhecido`, weight: 0.8 },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `permissões de objetos? (?:do )?Salesforce (?:ausentes|em falta)`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `permissões de campos? (?:do )?Salesforce (?:ausentes|em falta)`
  },
  { reason: "ORG_LOCKED", pattern: `organização (?:do )?Salesforce (?:está )?bloqueada` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `limites? de armazenamento da organização (?:do )?Salesforce (?:foram |foi )?(?:excedidos?|ultrapassados?)`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `organização (?:do )?Salesforce (?:está )?indisponível` },
  { reason: "SERVER_ERROR", pattern: `erro (?:de|do) servidor (?:do )?Salesforce(?: com)?` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `mapeamentos de campos? (?:ausentes|em falta)` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `faltam mapeamentos de campos?` }
];
var NL = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `api limiet (?:van de |voor de )?salesforce organisatie (?:is )?overschreden`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce organisatie api limiet (?:is )?overschreden`
  },
  { reason: "HUBSPOT_API_LIMIT_EXCEEDED", pattern: `hubspot api limiet (?:is )?overschreden` },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `api toegang (?:van de |voor de )?salesforce organisatie (?:is )?uitgeschakeld`
  },
  { reason: "UNKNOWN_ERROR", pattern: `onbekende fout`, weight: 0.8 },
  { reason: "OBJECT_PERMISSIONS_MISSING", pattern: `salesforce objectrechten ontbreken` },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `ontbrekende (?:salesforce )?object(?:rechten|machtigingen)`
  },
  { reason: "FIELD_PERMISSIONS_MISSING", pattern: `salesforce veldrechten ontbreken` },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `ontbrekende (?:salesforce )?veld(?:rechten|machtigingen)`
  },
  { reason: "ORG_LOCKED", pattern: `salesforce organisatie (?:is )?vergrendeld` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `opslaglimieten? (?:van de )?salesforce organisatie (?:zijn |is )?overschreden`
  },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce organisatie opslaglimieten? (?:zijn |is )?overschreden`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `salesforce organisatie (?:is )?niet beschikbaar` },
  { reason: "SERVER_ERROR", pattern: `salesforce (?:com )?serverfout` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `ontbrekende veldtoewijzingen` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `veldtoewijzingen ontbreken` }
];
var IT = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `limite (?:di chiamate )?(?:di )?API dell'organizzazione Salesforce superato`
  },
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `superato (?:il )?limite (?:di chiamate )?(?:di )?API dell'organizzazione Salesforce`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `limite (?:di chiamate )?(?:di )?API (?:di )?HubSpot superato`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `superato (?:il )?limite (?:di chiamate )?(?:di )?API (?:di )?HubSpot`
  },
  {
    reason: "API_ACCESS_DISABLED",
    pattern: `accesso API dell'organizzazione Salesforce (?:è )?disabilitato`
  },
  { reason: "UNKNOWN_ERROR", pattern: `errore sconosciuto`, weight: 0.8 },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `autorizzazioni (?:per gli |degli )?oggetti (?:di )?Salesforce mancanti`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `autorizzazioni (?:per i |dei )?campi (?:di )?Salesforce mancanti`
  },
  { reason: "ORG_LOCKED", pattern: `organizzazione Salesforce (?:è )?bloccata` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `limiti? di (?:archiviazione|spazio) dell'organizzazione Salesforce superat[io]`
  },
  { reason: "ORG_UNAVAILABLE", pattern: `organizzazione Salesforce (?:non è|non) disponibile` },
  { reason: "SERVER_ERROR", pattern: `errore (?:del )?server (?:di )?Salesforce(?: com)?` },
  { reason: "FIELD_MAPPINGS_MISSING", pattern: `mappature (?:dei|di) campi? mancanti` }
];
var JA = [
  {
    reason: "API_LIMIT_EXCEEDED",
    pattern: `salesforce ?組織の ?api ?(?:コール)?(?:制限|上限)を?超(?:過|えました|えています)`
  },
  {
    reason: "HUBSPOT_API_LIMIT_EXCEEDED",
    pattern: `hubspot ?の? ?api ?(?:コール)?(?:制限|上限)を?超(?:過|えました|えています)`
  },
  { reason: "API_ACCESS_DISABLED", pattern: `salesforce ?組織の ?api ?アクセスが?無効` },
  { reason: "UNKNOWN_ERROR", pattern: `不明なエラー`, weight: 0.8 },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    pattern: `salesforce ?オブジェクトの?(?:権限|アクセス権)が?(?:ありません|不足)`
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    pattern: `salesforce ?(?:項目|フィールド)の?(?:権限|アクセス権)が?(?:ありません|不足)`
  },
  { reason: "ORG_LOCKED", pattern: `salesforce ?組織が?ロック` },
  {
    reason: "STORAGE_LIMIT_EXCEEDED",
    pattern: `salesforce ?組織の ?(?:データ)?ストレージ ?(?:制限|上限)を?超(?:過|えました|えています)`
  },
  {
    reason: "ORG_UNAVAILABLE",
    pattern: `salesforce ?組織(?:が|を)?(?:利用|使用)(?:不可|できません)`
  },
  { reason: "SERVER_ERROR", pattern: `salesforce ?(?:com ?)?サーバー ?エラー` },
  {
    reason: "FIELD_MAPPINGS_MISSING",
    pattern: `(?:項目|フィールド)の?マッピングが?(?:ありません|不足)`
  }
];
var SUSPENSION_PHRASES = {
  en: EN,
  da: DA,
  no: NO,
  sv: SV,
  pl: PL,
  fi: FI,
  de: DE,
  fr: FR,
  es: ES,
  pt: PT,
  nl: NL,
  it: IT,
  ja: JA
};
var UNSPACED_LANGUAGES = /* @__PURE__ */ new Set(["ja", "zh", "ko"]);
var LANGUAGE_HINTS = {
  en: ["the", "your", "has", "been", "integration", "suspended", "and", "to", "is", "of"],
  da: ["din", "er", "og", "til", "har", "integrationen", "suspenderet", "af", "ikke", "blevet"],
  no: ["din", "er", "og", "til", "har", "integrasjonen", "suspendert", "av", "ikke", "blitt"],
  sv: ["din", "är", "och", "till", "har", "integrationen", "avbruten", "av", "inte", "att"],
  pl: ["jest", "i", "w", "do", "integracja", "została", "zawieszona", "nie", "się", "z"],
  fi: ["on", "ja", "integraatio", "keskeytetty", "ei", "sinun", "että", "kun"],
  de: ["die", "der", "ist", "und", "wurde", "integration", "ausgesetzt", "nicht", "ihre", "zu"],
  fr: ["le", "la", "les", "est", "et", "votre", "intégration", "suspendue", "de", "a"],
  es: ["el", "la", "los", "es", "y", "su", "integración", "suspendida", "de", "se"],
  pt: ["o", "a", "os", "é", "e", "sua", "integração", "suspensa", "de", "foi"],
  nl: ["de", "het", "is", "en", "uw", "integratie", "opgeschort", "van", "niet", "een"],
  it: ["il", "la", "è", "e", "tua", "integrazione", "sospesa", "di", "non", "stata"]
};
var HEADING_GUARDS = {
  en: {
    ORG_LOCKED: "(?! out)",
    // "Salesforce org locked out the user" is a login lockout
    OBJECT_PERMISSIONS_MISSING: MISSING_STARTS_NEXT,
    FIELD_PERMISSIONS_MISSING: MISSING_STARTS_NEXT
  },
  da: { ORG_LOCKED: NOT_ENGLISH_LAST }
};

// packages/core/src/reasons/classifySuspensionText.ts
var HEADING_WEIGHT = 1.25;
var MAX_NORMALIZED_CHARS = 256e3;
var MAX_RAW_CHARS = 4 * MAX_NORMALIZED_CHARS;
function escapeRegExp(text4) {
  return text4.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function compile(reason, language, source, weight) {
  const anchor = requiredWord(source);
  if (UNSPACED_LANGUAGES.has(language)) {
    return { reason, language, regex: new RegExp(`(${source})`, "g"), weight, group: 1, anchor };
  }
  return {
    reason,
    language,
    regex: new RegExp(` (${source})(?= )`, "g"),
    weight,
    group: 1,
    anchor
  };
}
function headingPattern(heading2, language) {
  const words = normalizeText(heading2).trim().split(" ").map(escapeRegExp);
  return words.join(UNSPACED_LANGUAGES.has(language) ? " ?" : " ");
}
function buildPatterns() {
  const out = [];
  for (const code of REASON_CODES) {
    for (const language of TITLE_LANGUAGES) {
      const headings = [
        SUSPENSION_TITLES[code][language],
        ...TITLE_VARIANTS[code]?.[language] ?? []
      ];
      for (const heading2 of headings) {
        const guard = HEADING_GUARDS[language]?.[code] ?? "";
        if (heading2)
          out.push(
            compile(code, language, headingPattern(heading2, language) + guard, HEADING_WEIGHT)
          );
      }
    }
  }
  for (const [language, phrases] of Object.entries(SUSPENSION_PHRASES)) {
    for (const phrase of phrases)
      out.push(compile(phrase.reason, language, foldLetters(phrase.pattern), phrase.weight ?? 1));
  }
  return out;
}
var compiled;
var SUSPENSION_TEXT_LANGUAGES = [
  .../* @__PURE__ */ new Set([...TITLE_LANGUAGES, ...Object.keys(SUSPENSION_PHRASES)])
];
function languageEvidence(text4, language) {
  const hints = LANGUAGE_HINTS[language];
  if (!hints) return 0;
  let count3 = 0;
  for (const word of hints) if (text4.includes(` ${word} `)) count3 += 1;
  return count3;
}
function classifySuspensionText(text4) {
  if (typeof text4 !== "string" || text4.trim() === "") return null;
  let normalized = normalizeText(text4.length > MAX_RAW_CHARS ? text4.slice(0, MAX_RAW_CHARS) : text4);
  if (normalized.length > MAX_NORMALIZED_CHARS)
    normalized = `${normalized.slice(0, MAX_NORMALIZED_CHARS)} `;
  if (normalized.trim() === "") return null;
  compiled ?? (compiled = buildPatterns());
  const hits = [];
  for (const pattern of compiled) {
    if (pattern.anchor && !normalized.includes(pattern.anchor)) continue;
    pattern.regex.lastIndex = 0;
    let best;
    for (const match of normalized.matchAll(pattern.regex)) {
      const phrase = match[pattern.group] ?? "";
      const score = phrase.replace(/ /g, "").length * pattern.weight;
      if (!best || score > best.score)
        best = {
          reason: pattern.reason,
          language: pattern.language,
          score,
          index: match.index ?? 0
        };
    }
    if (best) hits.push(best);
  }
  if (hits.length === 0) return null;
  hits.sort((a, b) => b.score - a.score || a.index - b.index);
  const top = hits[0];
  const sameWords = hits.filter(
    (h) => h.reason === top.reason && Math.abs(h.score - top.score) < 1e-9 && h.index === top.index
  );
  let language = top.language;
  if (sameWords.length > 1) {
    let bestEvidence = -1;
    for (const hit of sameWords) {
      const evidence = languageEvidence(normalized, hit.language);
      if (evidence > bestEvidence) {
        bestEvidence = evidence;
        language = hit.language;
      }
    }
  }
  return { reason: top.reason, language };
}

// packages/core/src/reasons/classifySyncErrorText.ts
var SYNC_HEALTH_PHRASES = [
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    language: "en",
    phrases: ["field permission", "field level security"]
  },
  {
    reason: "FIELD_PERMISSIONS_MISSING",
    language: "da",
    phrases: ["felttilladelse", "tilladelse til salesforce feltet"]
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    language: "en",
    phrases: ["insufficient access", "object permission"]
  },
  {
    reason: "OBJECT_PERMISSIONS_MISSING",
    language: "da",
    phrases: ["utilstraekkelig adgang", "objekttilladelse"]
  }
];
var RECORD_CODES = /* @__PURE__ */ new Set(["INACTIVE_OWNER_OR_USER"]);
var FIRST_CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;
var MAX_TEXT_CHARS = 2e4;
function classifySyncErrorText(text4) {
  if (typeof text4 !== "string") return null;
  const input = text4.length > MAX_TEXT_CHARS ? text4.slice(0, MAX_TEXT_CHARS) : text4;
  if (input.trim() === "") return null;
  const code = FIRST_CODE.exec(input)?.[0];
  if (code && RECORD_CODES.has(code)) return null;
  const bySalesforce = classifySalesforceError(input);
  if (bySalesforce !== "UNKNOWN_ERROR")
    return { reason: bySalesforce, matchedBy: "salesforce-error", language: null };
  const byHeading = classifySuspensionText(input);
  if (byHeading && byHeading.reason !== "UNKNOWN_ERROR")
    return {
      reason: byHeading.reason,
      matchedBy: "suspension-heading",
      language: byHeading.language
    };
  const normalized = normalizeText(input);
  for (const { reason, language, phrases } of SYNC_HEALTH_PHRASES) {
    if (phrases.some((phrase) => normalized.includes(` ${phrase}`)))
      return { reason, matchedBy: "sync-health-phrase", language };
  }
  return null;
}

// packages/core/src/reasons/mentionsSuspension.ts
var SUSPENSION_WORDS = {
  en: ["suspended", "suspension", "suspensions"],
  da: ["suspenderet", "suspenderede", "suspension", "suspensionen", "suspensioner"],
  no: ["suspendert", "suspensjon", "suspensjonen", "suspendering"],
  sv: ["avstangd", "avstangning", "avstangningen", "avbruten", "avbrytas"],
  pl: ["zawieszona", "zawieszenie", "zawieszenia"],
  fi: ["keskeytetty", "keskeytys", "keskeytyksen", "keskeytysvirheet"],
  de: ["ausgesetzt", "aussetzung", "suspendiert"],
  fr: ["suspendu", "suspendue", "suspension"],
  es: ["suspendido", "suspendida", "suspension"],
  pt: ["suspenso", "suspensa", "suspensao"],
  nl: ["opgeschort", "opschorting"],
  it: ["sospeso", "sospesa", "sospensione"]
};
var UNSPACED_SUSPENSION_WORDS = ["一時停止", "停止されました"];
var MAX_CHARS = 1e6;
var SPACED = new RegExp(
  ` (?:${[...new Set(Object.values(SUSPENSION_WORDS).flat())].join("|")}) `
);
function mentionsSuspension(text4) {
  if (typeof text4 !== "string" || text4 === "") return false;
  const head = text4.length > MAX_CHARS ? text4.slice(0, MAX_CHARS) : text4;
  const normalized = normalizeText(head);
  if (!normalized.includes("salesforce")) return false;
  if (SPACED.test(normalized)) return true;
  return UNSPACED_SUSPENSION_WORDS.some((word) => head.includes(word));
}

// packages/core/src/reasons/pageText.ts
var PAGE_TEXT_MAX_CHARS = 64 * 1024;
function withoutScripts(html) {
  const lower = html.toLowerCase();
  const opening = /<(script|style)\b/g;
  let text4 = "";
  let from = 0;
  for (let match = opening.exec(lower); match; match = opening.exec(lower)) {
    text4 += `${html.slice(from, match.index)} `;
    const closing = lower.indexOf(`</${match[1]}`, opening.lastIndex);
    if (closing === -1) return text4;
    const end = lower.indexOf(">", closing);
    if (end === -1) return text4;
    from = end + 1;
    opening.lastIndex = from;
  }
  return text4 + html.slice(from);
}
function pageText(html) {
  return withoutScripts(html.slice(0, PAGE_TEXT_MAX_CHARS)).replace(/<[^<>]*>/g, " ").replace(/\s+/g, " ").trim();
}

// packages/core/src/snapshot/jsonSchema.ts
var ROOT = "(root)";
function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  if (t === "number") return Number.isInteger(value) ? "integer" : "number";
  if (t === "string" || t === "boolean" || t === "object") return t;
  return "undefined";
}
function matchesType(actual, expected) {
  return actual === expected || expected === "number" && actual === "integer";
}
function describeExpected(types) {
  return types.length === 1 ? types[0] : `${types.slice(0, -1).join(", ")} or ${types[types.length - 1]}`;
}
function formatPath(steps) {
  let out = "";
  for (const step of steps) {
    if (typeof step === "number") out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out || ROOT;
}
function parseSalesforceDateTime(text4) {
  const normalized = text4.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  return Date.parse(normalized);
}
function fail(path, message, extra) {
  const steps = path.slice();
  if (extra !== void 0) steps.push(extra);
  return { steps, message };
}
function check(schema, value, path) {
  if (schema.anyOf) {
    let best = null;
    for (const option of schema.anyOf) {
      const error = check(option, value, path);
      if (!error) return null;
      if (!best || error.steps.length > best.steps.length) best = error;
    }
    return best;
  }
  const actual = typeOf(value);
  if (schema.type !== void 0) {
    const expected = schema.type;
    let ok = false;
    if (typeof expected === "string") ok = matchesType(actual, expected);
    else for (const t of expected) if (matchesType(actual, t)) ok = true;
    if (!ok) {
      const types = typeof expected === "string" ? [expected] : expected;
      return fail(path, `expected ${describeExpected(types)}, got ${actual}`);
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return fail(path, `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  if (schema.format === "date-time" && typeof value === "string" && Number.isNaN(parseSalesforceDateTime(value))) {
    return fail(path, "expected an ISO 8601 date-time");
  }
  if (schema.minimum !== void 0 && typeof value === "number" && value < schema.minimum) {
    return fail(path, `expected a number >= ${schema.minimum}`);
  }
  if (actual === "array" && schema.items) {
    const list = value;
    for (let i = 0; i < list.length; i++) {
      path.push(i);
      const error = check(schema.items, list[i], path);
      path.pop();
      if (error) return error;
    }
  }
  if (actual === "object") {
    const record = value;
    for (const key of schema.required ?? []) {
      if (record[key] === void 0) {
        const expected = schema.properties?.[key]?.type;
        const what = expected === void 0 ? "" : ` (${describeExpected(typeof expected === "string" ? [expected] : expected)})`;
        return fail(path, `is required${what}`, key);
      }
    }
    const properties = schema.properties ?? {};
    for (const key in record) {
      const sub = record[key];
      if (sub === void 0) continue;
      const propertySchema = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : void 0;
      const next = propertySchema ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : void 0);
      if (next) {
        path.push(key);
        const error = check(next, sub, path);
        path.pop();
        if (error) return error;
      } else if (schema.additionalProperties === false) {
        return fail(path, "is not allowed here", key);
      }
    }
  }
  return null;
}
function firstSchemaError(schema, value) {
  const failure = check(schema, value, []);
  return failure ? { path: formatPath(failure.steps), message: failure.message } : null;
}

// packages/core/src/snapshot/schema.ts
var attributes = {
  type: "object",
  properties: { type: { type: "string" }, url: { type: ["string", "null"] } }
};
var optionalString = { type: ["string", "null"] };
var optionalBoolean = { type: ["boolean", "null"] };
var id = { type: "string" };
var nameRef = {
  type: ["object", "null"],
  properties: { attributes, Name: optionalString }
};
var organization = {
  type: "object",
  required: ["Id"],
  properties: {
    attributes,
    Id: id,
    Name: optionalString,
    InstanceName: optionalString,
    IsSandbox: optionalBoolean,
    OrganizationType: optionalString,
    DefaultAccountAccess: optionalString,
    DefaultContactAccess: optionalString,
    DefaultLeadAccess: optionalString,
    DefaultOpportunityAccess: optionalString,
    DefaultCampaignAccess: optionalString,
    DefaultCaseAccess: optionalString,
    DefaultCalendarAccess: optionalString
  }
};
var user = {
  type: "object",
  required: ["Id", "Username", "IsActive"],
  properties: {
    attributes,
    Id: id,
    Username: { type: "string" },
    Name: optionalString,
    IsActive: { type: "boolean" },
    UserPermissionsMarketingUser: optionalBoolean,
    IsFrozen: optionalBoolean,
    ProfileId: optionalString,
    Profile: nameRef
  }
};
var permissionSet = {
  type: "object",
  required: ["Id", "Name", "IsOwnedByProfile"],
  // Every other Permissions* column is a boolean when present; extra columns are welcome.
  properties: {
    attributes,
    Id: id,
    Name: { type: "string" },
    Label: optionalString,
    Type: optionalString,
    IsOwnedByProfile: { type: "boolean" },
    HasActivationRequired: optionalBoolean,
    Profile: nameRef,
    PermissionsApiEnabled: optionalBoolean,
    PermissionsViewSetup: optionalBoolean,
    PermissionsModifyAllData: optionalBoolean,
    PermissionsViewAllData: optionalBoolean,
    PermissionsEditTask: optionalBoolean,
    PermissionsEditEvent: optionalBoolean,
    PermissionsViewAllUsers: optionalBoolean,
    PermissionsManageUsers: optionalBoolean,
    PermissionsUpdateWithInactiveOwner: optionalBoolean
  }
};
var PERMISSION_SET_FIELDS = [
  "Id",
  "Name",
  "Label",
  "Type",
  "IsOwnedByProfile",
  "HasActivationRequired",
  "Profile.Name",
  "PermissionsApiEnabled",
  "PermissionsViewSetup",
  "PermissionsModifyAllData",
  "PermissionsViewAllData",
  "PermissionsEditTask",
  "PermissionsEditEvent",
  "PermissionsViewAllUsers",
  "PermissionsManageUsers",
  // Read to answer an inactive-owner sync error (SIDE_PERMISSIONS); absent until the org turns on
  // Setup > User Interface > "Enable 'Set Audit Fields upon Record Creation' and 'Update Records
  // with Inactive Owners' User Permissions".
  "PermissionsUpdateWithInactiveOwner"
];
var MUTING_PERMISSION_SET_FIELDS = [
  "Id",
  "DeveloperName",
  "MasterLabel",
  "PermissionsApiEnabled",
  "PermissionsEditTask",
  "PermissionsEditEvent"
];
var assignment = {
  type: "object",
  required: ["PermissionSetId", "PermissionSet"],
  properties: {
    attributes,
    Id: id,
    AssigneeId: optionalString,
    PermissionSetId: id,
    PermissionSetGroupId: optionalString,
    ExpirationDate: { anyOf: [{ type: "null" }, { type: "string", format: "date-time" }] },
    PermissionSet: permissionSet,
    PermissionSetGroup: {
      type: ["object", "null"],
      properties: {
        attributes,
        Id: id,
        DeveloperName: optionalString,
        MasterLabel: optionalString,
        Status: optionalString,
        HasActivationRequired: optionalBoolean,
        // Optional: older snapshots and readers do not have it (absent = not read).
        MutingPermissionSets: {
          type: ["array", "null"],
          items: {
            type: "object",
            required: ["Id"],
            properties: {
              attributes,
              Id: id,
              DeveloperName: optionalString,
              MasterLabel: optionalString,
              // What it mutes, when read (MUTING_PERMISSION_SET_FIELDS); absent = not read.
              PermissionsApiEnabled: optionalBoolean,
              PermissionsEditTask: optionalBoolean,
              PermissionsEditEvent: optionalBoolean
            }
          }
        },
        // Optional: the group's regular sets (absent = not read).
        PermissionSets: {
          type: ["array", "null"],
          items: {
            type: "object",
            required: ["Id", "Name"],
            properties: { attributes, Id: id, Name: { type: "string" }, Label: optionalString }
          }
        }
      }
    }
  }
};
var objectPermissions = {
  type: "object",
  required: [
    "ParentId",
    "SobjectType",
    "PermissionsRead",
    "PermissionsCreate",
    "PermissionsEdit",
    "PermissionsDelete",
    "PermissionsViewAllRecords",
    "PermissionsModifyAllRecords"
  ],
  properties: {
    attributes,
    ParentId: id,
    SobjectType: { type: "string" },
    PermissionsRead: { type: "boolean" },
    PermissionsCreate: { type: "boolean" },
    PermissionsEdit: { type: "boolean" },
    PermissionsDelete: { type: "boolean" },
    PermissionsViewAllRecords: { type: "boolean" },
    PermissionsModifyAllRecords: { type: "boolean" },
    PermissionsViewAllFields: optionalBoolean
  }
};
var fieldPermissions = {
  type: "object",
  required: ["ParentId", "SobjectType", "Field", "PermissionsRead", "PermissionsEdit"],
  properties: {
    attributes,
    ParentId: id,
    SobjectType: { type: "string" },
    Field: { type: "string" },
    PermissionsRead: { type: "boolean" },
    PermissionsEdit: { type: "boolean" }
  }
};
var fieldDescribe = {
  type: "object",
  required: ["permissionable", "calculated"],
  properties: {
    permissionable: { type: "boolean" },
    calculated: { type: "boolean" },
    autoNumber: optionalBoolean,
    nillable: optionalBoolean,
    type: optionalString,
    referenceTo: { type: ["array", "null"], items: { type: "string" } },
    exists: optionalBoolean,
    createable: optionalBoolean,
    updateable: optionalBoolean,
    hiddenFromReader: optionalBoolean,
    picklistValues: { type: ["array", "null"], items: { type: "string" } },
    restrictedPicklist: optionalBoolean
  }
};
var objectDescribe = {
  type: "object",
  required: ["exists"],
  properties: {
    exists: { type: "boolean" },
    masterDetailParents: { type: ["array", "null"], items: { type: "string" } },
    personAccounts: optionalBoolean,
    createable: optionalBoolean,
    updateable: optionalBoolean,
    hiddenFromReader: optionalBoolean
  }
};
var reader = {
  type: ["object", "null"],
  required: ["Username"],
  properties: {
    attributes,
    Id: optionalString,
    Username: { type: "string" },
    Name: optionalString
  }
};
var maxRemaining = {
  type: "object",
  required: ["Max", "Remaining"],
  properties: { Max: { type: "number" }, Remaining: { type: "number" } }
};
var limitEntry = {
  type: "object",
  required: ["Max", "Remaining"],
  properties: { Max: { type: "number" }, Remaining: { type: "number" } },
  // Per-connected-app usage ("HubSpot": { Max, Remaining }) sits beside Max and Remaining.
  additionalProperties: { anyOf: [{ type: "number" }, maxRemaining] }
};
var LOGIN_HISTORY_DAYS = 7;
var LOGIN_HISTORY_LIMIT = 200;
var LOGIN_HISTORY_FIELDS = [
  "LoginTime",
  "Status",
  "Application",
  "LoginType",
  "SourceIp"
];
var loginHistory = {
  type: "object",
  required: ["LoginTime", "Status"],
  properties: {
    attributes,
    LoginTime: { type: "string", format: "date-time" },
    Status: { type: "string" },
    Application: optionalString,
    LoginType: optionalString,
    SourceIp: optionalString
  }
};
var CONNECTED_APP_NAME_LIKE = "%HubSpot%";
var CONNECTED_APP_FIELDS = [
  "Id",
  "Name",
  "OptionsAllowAdminApprovedUsersOnly",
  "OptionsHasSessionLevelPolicy",
  "OptionsRefreshTokenValidityMetric",
  "RefreshTokenValidityPeriod"
];
var CONNECTED_APP_ACCESS_FIELDS = ["ParentId", "SetupEntityId"];
var connectedApps = {
  type: ["object", "null"],
  required: ["apps", "access"],
  properties: {
    apps: {
      type: "array",
      items: {
        type: "object",
        required: ["Id", "Name"],
        properties: {
          attributes,
          Id: { type: "string" },
          Name: { type: "string" },
          OptionsAllowAdminApprovedUsersOnly: optionalBoolean,
          OptionsHasSessionLevelPolicy: optionalBoolean,
          OptionsRefreshTokenValidityMetric: optionalBoolean,
          RefreshTokenValidityPeriod: { type: ["number", "null"] }
        }
      }
    },
    access: {
      type: "array",
      items: {
        type: "object",
        required: ["ParentId", "SetupEntityId"],
        properties: {
          attributes,
          ParentId: { type: "string" },
          SetupEntityId: { type: "string" }
        }
      }
    }
  }
};
var frozenRead = {
  type: ["object", "null"],
  required: ["read"],
  properties: {
    read: { type: "boolean" },
    frozen: optionalBoolean,
    cause: optionalString,
    errorCode: optionalString,
    message: optionalString
  }
};
var SNAPSHOT_SCHEMA = {
  description: "Sync Doctor snapshot: what a Salesforce org says about one HubSpot integration user.",
  type: "object",
  required: ["capturedAt"],
  properties: {
    schemaVersion: { enum: [1] },
    capturedAt: { type: "string", format: "date-time" },
    // A section may also be null (Apex serializes an unset member as null): it counts as absent.
    organization: { ...organization, type: ["object", "null"] },
    user: { ...user, type: ["object", "null"] },
    assignments: { type: ["array", "null"], items: assignment },
    objectPermissions: { type: ["array", "null"], items: objectPermissions },
    fieldPermissions: { type: ["array", "null"], items: fieldPermissions },
    fields: { type: ["object", "null"], additionalProperties: fieldDescribe },
    objects: { type: ["object", "null"], additionalProperties: objectDescribe },
    absentPermissions: { type: ["array", "null"], items: { type: "string" } },
    reader,
    limits: { type: ["object", "null"], additionalProperties: limitEntry },
    logins: { type: ["array", "null"], items: loginHistory },
    connectedApps,
    frozenRead
  }
};
function validateSnapshot(value) {
  const error = firstSchemaError(SNAPSHOT_SCHEMA, value);
  if (error) return { ok: false, path: error.path, message: error.message };
  return { ok: true, snapshot: value };
}

// packages/core/src/snapshot/frozenRead.ts
var FROZEN_READ_CAUSES = ["needs-manage-users", "no-user-login", "error"];
var FROZEN_NOT_READ_PREFIX = "Whether the user is frozen was not read: ";
var FROZEN_NOT_READ_MESSAGES = {
  "needs-manage-users": `${FROZEN_NOT_READ_PREFIX}reading UserLogin needs the "Manage Users" permission.`,
  "no-user-login": `${FROZEN_NOT_READ_PREFIX}Salesforce has no UserLogin row for it.`
};
var FROZEN_CHECK_BY_HAND = "Check the user in Setup > Users (a frozen user has an Unfreeze button).";
function isFrozenReadCause(value) {
  return typeof value === "string" && FROZEN_READ_CAUSES.includes(value);
}
function frozenNotReadLine(read) {
  if (!read || read.read !== false) return void 0;
  if (read.cause === "needs-manage-users") return FROZEN_NOT_READ_MESSAGES["needs-manage-users"];
  if (read.cause === "no-user-login")
    return `${FROZEN_NOT_READ_MESSAGES["no-user-login"]} ${FROZEN_CHECK_BY_HAND}`;
  const detail = (read.message ?? "").replace(FROZEN_NOT_READ_PREFIX, "").trim();
  return detail ? `${FROZEN_NOT_READ_PREFIX}${detail}` : "Whether the user is frozen was not read.";
}

// packages/core/src/snapshot/notRead.ts
var LOGINS_NOT_READ_PREFIX = "Login History not read: ";
var LOGINS_NOT_READ_MESSAGE = `Not read: reading the integration user's logins needs the "Manage Users" or "Monitor Login History" permission.`;
var CONNECTED_APPS_NOT_READ_PREFIX = "HubSpot's connected app not read: ";
var CONNECTED_APPS_NOT_READ_MESSAGE = `Not read: reading HubSpot's connected app needs the "Customize Application" permission plus "Modify All Data" or "Manage Connected Apps"; its policies were not checked.`;
function notReadLine(read, missingRights, message, prefix) {
  if (!read || read.read !== false) return void 0;
  if (read.cause === missingRights) return message;
  const detail = (read.message ?? "").replace(prefix, "").trim();
  return detail ? `Not read: ${detail}` : "Not read.";
}
function loginsNotReadLine(read) {
  return notReadLine(read, "needs-manage-users", LOGINS_NOT_READ_MESSAGE, LOGINS_NOT_READ_PREFIX);
}
function connectedAppsNotReadLine(read) {
  return notReadLine(
    read,
    "needs-permissions",
    CONNECTED_APPS_NOT_READ_MESSAGE,
    CONNECTED_APPS_NOT_READ_PREFIX
  );
}

// packages/core/src/snapshot/unchecked.ts
var UNCHECKED_CHECKS = ["frozen", "loginHistory", "connectedApps"];
var LABELS = {
  frozen: "frozen state",
  loginHistory: "Login History",
  connectedApps: "HubSpot's connected app"
};
var NEEDS = {
  frozen: '"Manage Users"',
  loginHistory: '"Manage Users" or "Monitor Login History"',
  connectedApps: '"Customize Application" with "Modify All Data" or "Manage Connected Apps"'
};
var BY_HAND = {
  frozen: FROZEN_CHECK_BY_HAND,
  loginHistory: "Open the user's Login History (Setup > Users > the user > Login History): a login of HubSpot's refused by IP ranges, login hours or a lockout shows there with its Status.",
  connectedApps: "Open HubSpot's connected app in Setup > Connected Apps > Manage Connected Apps: its Permitted Users, IP Relaxation and the profiles or permission sets approved for it must admit the user."
};
var SHOWS = {
  frozen: "a frozen user",
  loginHistory: "logins refused by IP ranges, login hours or a lockout",
  connectedApps: "its policies refusing the integration user"
};
function snapshotFrozenRead(snapshot) {
  const read = snapshot?.frozenRead;
  if (!read || typeof read !== "object") return void 0;
  const r = read;
  if (r.read !== false) return void 0;
  return {
    read: false,
    cause: isFrozenReadCause(r.cause) ? r.cause : "error",
    message: typeof r.message === "string" ? r.message : ""
  };
}
function frozenNeeds(read) {
  if (read && read.read === false && read.cause !== "needs-manage-users") return "";
  return NEEDS.frozen;
}
function entry(check2, line2, needs = NEEDS[check2]) {
  return { check: check2, label: LABELS[check2], line: line2, byHand: BY_HAND[check2], needs };
}
function uncheckedOf(snapshot) {
  const out = [];
  if (snapshot.user && typeof snapshot.user.IsFrozen !== "boolean") {
    const read = snapshotFrozenRead(snapshot);
    out.push(
      entry(
        "frozen",
        (read && frozenNotReadLine(read)) ?? "Whether the user is frozen was not read.",
        frozenNeeds(read)
      )
    );
  }
  if (snapshot.logins == null) out.push(entry("loginHistory", LOGINS_NOT_READ_MESSAGE));
  if (snapshot.connectedApps == null)
    out.push(entry("connectedApps", CONNECTED_APPS_NOT_READ_MESSAGE));
  return out;
}
function uncheckedList(unchecked) {
  return joinList((unchecked ?? []).map((u) => u.label));
}
function uncheckedWhereShown(unchecked) {
  const parts = (unchecked ?? []).map((u, i) => {
    const name = `${i === 0 && u.check === "frozen" ? "the " : ""}${u.label}`;
    const shows = SHOWS[u.check];
    return shows ? `${name}, where ${shows} would show` : name;
  });
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}`;
}
function uncheckedSentence(unchecked, options = {}) {
  const list = unchecked ?? [];
  if (!list.length) return "";
  const it = list.length === 1 ? "it" : "them";
  const byHand = options.named === false ? `Check ${it} by hand` : `Not checked: ${uncheckedList(list)}. Check ${it} by hand`;
  const needs = uncheckedNeeds(list);
  if (!needs) return `${byHand}.`;
  return `${byHand}, or ask an admin who has ${list.filter((u) => u.needs).length === 1 ? "this" : "these"} to check again: ${needs}.`;
}
function uncheckedNeeds(unchecked) {
  return (unchecked ?? []).filter((u) => u.needs).map((u) => `${u.label}: ${u.needs}`).join("; ");
}

// packages/core/src/requirements/scope.ts
var API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
function isApiName(name) {
  return API_NAME.test(name);
}
function splitFieldName(name) {
  const parts = name.split(".");
  if (parts.length !== 2 || !isApiName(parts[0]) || !isApiName(parts[1])) return null;
  return { object: parts[0], field: parts[1] };
}
function snapshotScope(requirements) {
  const objects = /* @__PURE__ */ new Map();
  const fields = /* @__PURE__ */ new Map();
  const add = (into, name) => {
    const key = name.toLowerCase();
    if (!into.has(key)) into.set(key, name);
  };
  for (const object of requirements.objects) if (isApiName(object.name)) add(objects, object.name);
  for (const field of requirements.fields) {
    const parts = splitFieldName(field.name);
    if (!parts) continue;
    add(fields, field.name);
    add(objects, parts.object);
  }
  return { objects: [...objects.values()], fields: [...fields.values()] };
}
function scopeUnread(read, wanted) {
  const objects = new Set(read.objects.map((name) => name.toLowerCase()));
  const fields = new Set(read.fields.map((name) => name.toLowerCase()));
  const scope = snapshotScope(wanted);
  return {
    objects: scope.objects.filter((name) => !objects.has(name.toLowerCase())),
    fields: scope.fields.filter((name) => !fields.has(name.toLowerCase()))
  };
}
function isEmptyScope(scope) {
  return scope.objects.length === 0 && scope.fields.length === 0;
}

// packages/core/src/requirements/document.ts
var OBJECT_RIGHTS2 = new Set(OBJECT_RIGHTS);
var FIELD_RIGHTS = /* @__PURE__ */ new Set(["read", "edit"]);
var REQUIREMENTS_DOCUMENT_KEYS = [
  "objects",
  "fields",
  "permissionSets",
  "systemPermissions",
  "replaceDefaults",
  "$schema",
  "description"
];
var RequirementsDocumentError = class extends Error {
  constructor(path, problem) {
    super(`${path} ${problem}`);
    __publicField(this, "path", path);
    __publicField(this, "problem", problem);
    this.name = "RequirementsDocumentError";
  }
};
function fail2(where, what) {
  throw new RequirementsDocumentError(where, what);
}
function stringList(value, where) {
  if (value === void 0) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.trim() === ""))
    fail2(where, "must be an array of names");
  return value.map((v) => v.trim());
}
function requirementsFromDocument(document) {
  if (!document || typeof document !== "object" || Array.isArray(document))
    fail2("the document", "must be a JSON object");
  const doc = document;
  const known2 = new Set(REQUIREMENTS_DOCUMENT_KEYS);
  for (const key of Object.keys(doc))
    if (!known2.has(key))
      fail2(`"${key}"`, `is not a requirements key (use ${[...known2].slice(0, 5).join(", ")})`);
  const objects = doc.objects ?? [];
  if (!Array.isArray(objects)) fail2('"objects"', "must be an array");
  const fields = doc.fields ?? [];
  if (!Array.isArray(fields)) fail2('"fields"', "must be an array");
  const extra = {
    objects: objects.map((o, i) => {
      const item = o;
      if (typeof item?.name !== "string" || !isApiName(item.name))
        fail2(`objects[${i}].name`, 'must be an object API name like "Contact"');
      const access = stringList(item.access ?? ["read", "edit"], `objects[${i}].access`);
      for (const a of access)
        if (!OBJECT_RIGHTS2.has(a))
          fail2(`objects[${i}].access`, `has '${a}'; allowed: ${[...OBJECT_RIGHTS2].join(", ")}`);
      return { name: item.name, access };
    }),
    fields: fields.map((f, i) => {
      const item = f;
      if (typeof item?.name !== "string" || !splitFieldName(item.name))
        fail2(`fields[${i}].name`, 'must be "Object.Field", like "Contact.Email"');
      const access = stringList(item.access ?? ["read", "edit"], `fields[${i}].access`);
      for (const a of access)
        if (!FIELD_RIGHTS.has(a)) fail2(`fields[${i}].access`, `has '${a}'; allowed: read, edit`);
      if (item.hubspotProperty !== void 0 && typeof item.hubspotProperty !== "string")
        fail2(`fields[${i}].hubspotProperty`, "must be a string");
      return {
        name: item.name,
        access,
        ...typeof item.hubspotProperty === "string" ? { hubspotProperty: item.hubspotProperty } : {}
      };
    }),
    permissionSets: stringList(doc.permissionSets, '"permissionSets"'),
    systemPermissions: stringList(doc.systemPermissions, '"systemPermissions"')
  };
  for (const p of extra.systemPermissions)
    if (!/^Permissions[A-Za-z0-9_]+$/.test(p))
      fail2(
        '"systemPermissions"',
        `has '${p}'; use PermissionSet column names like PermissionsApiEnabled`
      );
  if (doc.replaceDefaults !== void 0 && typeof doc.replaceDefaults !== "boolean")
    fail2('"replaceDefaults"', "must be true or false");
  const base = doc.replaceDefaults === true ? { objects: [], fields: [], permissionSets: [], systemPermissions: [] } : DEFAULT_REQUIREMENTS;
  const merged = mergeRequirements(base, extra);
  if (merged.objects.length === 0 && merged.fields.length === 0 && merged.permissionSets.length === 0 && merged.systemPermissions.length === 0)
    fail2(
      "the document",
      'requires nothing: with "replaceDefaults": true, list the "objects", "fields", "permissionSets" or "systemPermissions" to check'
    );
  return merged;
}

// packages/core/src/diagnosis/sources.ts
var KIND_LABEL = {
  profile: "Profile",
  permissionSet: "Permission set",
  group: "Permission set group"
};
function kindOf(a) {
  if (a.PermissionSet.IsOwnedByProfile) return "profile";
  if (a.PermissionSetGroupId || a.PermissionSetGroup || a.PermissionSet.Type === "Group")
    return "group";
  return "permissionSet";
}
function displayNameOf(a, kind, profileName) {
  const ps = a.PermissionSet;
  if (kind === "profile") return ps.Profile?.Name ?? profileName ?? ps.Label ?? ps.Name;
  if (kind === "group")
    return a.PermissionSetGroup?.MasterLabel ?? a.PermissionSetGroup?.DeveloperName ?? ps.Label ?? ps.Name;
  return ps.Label ?? ps.Name;
}
function sourceLabel(kind, displayName) {
  return `${KIND_LABEL[kind]}: ${displayName}`;
}
function indexSources(snapshot) {
  const capturedAt = parseSalesforceDateTime(snapshot.capturedAt);
  const byId = /* @__PURE__ */ new Map();
  const list = [];
  let profile;
  for (const assignment2 of snapshot.assignments ?? []) {
    const record = assignment2.PermissionSet;
    const id2 = assignment2.PermissionSetId ?? record.Id;
    if (byId.has(id2)) continue;
    const kind = kindOf(assignment2);
    const displayName = displayNameOf(assignment2, kind, snapshot.user?.Profile?.Name);
    let inactiveBecause;
    if (assignment2.ExpirationDate) {
      const expires = parseSalesforceDateTime(assignment2.ExpirationDate);
      if (!Number.isNaN(expires) && expires <= capturedAt) {
        inactiveBecause = `its assignment expired on ${day(assignment2.ExpirationDate)}`;
      }
    }
    const sessionBased = kind !== "profile" && (record.HasActivationRequired === true || kind === "group" && assignment2.PermissionSetGroup?.HasActivationRequired === true);
    if (!inactiveBecause && sessionBased) {
      inactiveBecause = "it is session-based and grants nothing until a session activates it (the HubSpot connector never does)";
    }
    const source = {
      id: id2,
      kind,
      displayName,
      label: sourceLabel(kind, displayName),
      active: inactiveBecause === void 0,
      sessionBased,
      record,
      assignment: assignment2
    };
    if (inactiveBecause !== void 0) source.inactiveBecause = inactiveBecause;
    const status = assignment2.PermissionSetGroup?.Status;
    if (kind === "group" && status) source.groupStatus = status;
    const muting = assignment2.PermissionSetGroup?.MutingPermissionSets;
    if (kind === "group" && Array.isArray(muting))
      source.mutingSets = muting.map((m) => m.MasterLabel || m.DeveloperName || m.Id);
    const held = assignment2.PermissionSetGroup?.PermissionSets;
    if (kind === "group" && Array.isArray(held))
      source.groupSetNames = held.map(
        (h) => permissionSetNames({
          Id: h.Id,
          Name: h.Name,
          Label: h.Label ?? "",
          IsOwnedByProfile: false
        })
      );
    byId.set(id2, source);
    list.push(source);
    if (kind === "profile" && !profile) profile = source;
  }
  return { byId, list, active: list.filter((s) => s.active), profile };
}
function permissionSetNames(record) {
  const names = [record.Name, record.Label ?? ""];
  const withoutNamespace = record.Name.includes("__") ? record.Name.slice(record.Name.indexOf("__") + 2) : record.Name;
  names.push(withoutNamespace, withoutNamespace.replace(/_/g, " "));
  return names.filter(Boolean).map((n) => n.toLowerCase());
}
function normalizeSetName(name) {
  const lower = name.toLowerCase();
  return [lower, lower.replace(/_/g, " ")];
}

// packages/core/src/diagnosis/context.ts
function createContext(snapshot, requirements) {
  const sources = indexSources(snapshot);
  const cache = /* @__PURE__ */ new Map();
  const findings = [];
  let canonicalIndex;
  const absentPermissions = new Set((snapshot.absentPermissions ?? []).map((p) => p.toLowerCase()));
  const objectExistence = /* @__PURE__ */ new Map();
  const objectFacts = /* @__PURE__ */ new Map();
  for (const [name, facts] of Object.entries(snapshot.objects ?? {}))
    if (facts) {
      if (facts.hiddenFromReader !== true)
        objectExistence.set(name.toLowerCase(), facts.exists !== false);
      objectFacts.set(name.toLowerCase(), facts);
    }
  return {
    snapshot,
    requirements,
    who: snapshot.user?.Username ? `'${snapshot.user.Username}'` : "the integration user",
    reader: snapshot.reader?.Username ? `'${snapshot.reader.Username}'` : "the user who read the org",
    sources,
    permissionsKnown: snapshot.assignments != null,
    findings,
    explainedSources: /* @__PURE__ */ new Set(),
    add: (finding) => void findings.push(finding),
    describe(field) {
      const key = this.canonicalField(field);
      return key === void 0 ? void 0 : snapshot.fields?.[key];
    },
    objectExists(name) {
      return objectExistence.get(name.toLowerCase());
    },
    objectFacts(name) {
      return objectFacts.get(name.toLowerCase());
    },
    hiddenFromReader(name) {
      const dot = name.indexOf(".");
      if (dot < 0) return objectFacts.get(name.toLowerCase())?.hiddenFromReader === true;
      if (objectFacts.get(name.slice(0, dot).toLowerCase())?.hiddenFromReader === true) return true;
      return this.describe(name)?.hiddenFromReader === true;
    },
    canonicalField(field) {
      const fields = snapshot.fields;
      if (!fields) return void 0;
      if (Object.prototype.hasOwnProperty.call(fields, field)) return field;
      if (!canonicalIndex) {
        canonicalIndex = /* @__PURE__ */ new Map();
        for (const key of Object.keys(fields)) canonicalIndex.set(key.toLowerCase(), key);
      }
      return canonicalIndex.get(field.toLowerCase());
    },
    system(permission) {
      let grant = cache.get(permission);
      if (!grant) {
        grant = {
          granted: false,
          by: [],
          inactive: [],
          absent: absentPermissions.has(permission.toLowerCase())
        };
        for (const source of sources.list) {
          if (source.record[permission] !== true) continue;
          if (source.active) grant.by.push(source.label);
          else grant.inactive.push({ label: source.label, because: source.inactiveBecause ?? "" });
        }
        grant.granted = grant.by.length > 0;
        cache.set(permission, grant);
      }
      return grant;
    }
  };
}
function inactiveHint(inactive) {
  if (inactive.length === 0) return "";
  return ` ${inactive.map((i) => `${i.label} would grant it, but ${i.because}.`).join(" ")}`;
}
function mutersOf(g, permission) {
  const records2 = g.assignment.PermissionSetGroup?.MutingPermissionSets;
  if (!permission || !g.mutingSets || !Array.isArray(records2)) return void 0;
  const columns = records2.map((r) => r[permission]);
  if (!columns.every((c) => typeof c === "boolean")) return void 0;
  return g.mutingSets.filter((_, i) => columns[i] === true);
}
function holdsNoSet(g) {
  const held = g.assignment.PermissionSetGroup?.PermissionSets;
  return Array.isArray(held) && held.length === 0;
}
function heldSetsPhrase(g) {
  const held = g.assignment.PermissionSetGroup?.PermissionSets;
  if (!Array.isArray(held) || !held.length) return "a set in the group";
  const names = quoteAll(held.map((h) => h.Label || h.Name));
  return names.length > 1 ? `one of its sets ${joinList(names, "or")}` : `its set ${names[0]}`;
}
function mutedInGroupsHint(ctx, permission) {
  const groups = ctx.sources.active.filter((s) => s.kind === "group");
  if (!groups.length) return "";
  const unknown = groups.filter((g) => g.mutingSets === void 0);
  const sentences = [];
  if (unknown.length)
    sentences.push(
      `Permission set group${unknown.length > 1 ? "s" : ""} ${joinList(quoteAll(unknown.map((g) => g.displayName)))} ${unknown.length > 1 ? "do" : "does"} not grant it either: if a set in the group grants it, a muting permission set in the group removes it.`
    );
  for (const g of groups) {
    const muting = g.mutingSets;
    if (muting === void 0) continue;
    const group2 = quoteAll([g.displayName])[0];
    if (holdsNoSet(g)) {
      sentences.push(
        `Permission set group ${group2} does not grant it either: it holds no permission set.`
      );
      continue;
    }
    if (!muting.length) {
      sentences.push(
        `Permission set group ${group2} does not grant it either, and has no muting permission set.`
      );
      continue;
    }
    const muters = mutersOf(g, permission);
    if (muters && !muters.length) {
      sentences.push(
        `Permission set group ${group2} does not grant it either, and its muting permission set${muting.length > 1 ? "s" : ""} ${joinList(quoteAll(muting))} ${muting.length > 1 ? "do" : "does"} not mute it.`
      );
      continue;
    }
    if (muters) {
      const many2 = muters.length > 1;
      sentences.push(
        `Permission set group ${group2} does not grant it either: its muting permission set${many2 ? "s" : ""} ${joinList(quoteAll(muters))} mute${many2 ? "" : "s"} it, so no set in the group can grant it.`
      );
      continue;
    }
    const many = muting.length > 1;
    sentences.push(
      `Permission set group ${group2} does not grant it either: if ${heldSetsPhrase(g)} grants it, ${many ? "one of its muting permission sets" : "its muting permission set"} ${joinList(quoteAll(muting), "or")} removes it.`
    );
  }
  return sentences.join(" ");
}
function mutingRemedy(ctx, rights, place, pronoun, permission) {
  const groups = ctx.sources.active.filter((s) => s.kind === "group" && s.mutingSets?.length && !holdsNoSet(s)).map((g) => ({ g, muters: mutersOf(g, permission) })).filter(({ muters }) => muters === void 0 || muters.length > 0);
  if (!groups.length) return "";
  const where = (g, m) => `${m} (Setup > Permission Set Groups > ${quoteAll([g.displayName])[0]} > Muting Permission Set ${m} > ${place})`;
  const known2 = groups.filter(({ muters }) => muters !== void 0);
  if (known2.length === groups.length) {
    const sets2 = known2.flatMap(({ g, muters }) => quoteAll(muters).map((m) => where(g, m)));
    const many2 = sets2.length > 1;
    return `Remove ${rights} from the muting permission set${many2 ? "s" : ""} ${joinList(sets2)}; or `;
  }
  const sets = groups.flatMap(
    ({ g, muters }) => quoteAll(muters ?? g.mutingSets).map((m) => where(g, m))
  );
  const many = sets.length > 1;
  return `Remove ${rights} from the muting permission set${many ? " that mutes " + pronoun + ", " : " "}${joinList(sets, "or")}; or `;
}
function mutingFirst(muting, grant, where) {
  if (!muting) return grant + where;
  return `${muting}${grant.charAt(0).toLowerCase()}${grant.slice(1)} outside the group${where}`;
}

// packages/core/src/diagnosis/dependencies.ts
function isCustomObject(name) {
  return /__c$/i.test(name);
}
function readDependenciesOf(snapshot) {
  const out = {};
  for (const [name, facts] of Object.entries(snapshot.objects ?? {})) {
    if (!facts || facts.exists === false) continue;
    const parents = /* @__PURE__ */ new Map();
    if (isCustomObject(name)) {
      for (const master of facts.masterDetailParents ?? [])
        if (typeof master === "string" && master && master.toLowerCase() !== name.toLowerCase())
          parents.set(master.toLowerCase(), master);
    }
    if (name.toLowerCase() === "account" && facts.personAccounts === true)
      parents.set("contact", "Contact");
    if (parents.size) out[name] = [...parents.values()];
  }
  return Object.keys(out).length ? out : void 0;
}

// packages/core/src/diagnosis/readOnlyFields.ts
function editNeverRequired(ctx, describe, name) {
  return describe?.calculated === true || describe?.autoNumber === true || writableByNobody(ctx, describe, name);
}
function writableByNobody(ctx, describe, name) {
  if (!describe || describe.permissionable !== false) return false;
  if (describe.createable !== false || describe.updateable !== false) return false;
  const dot = name.indexOf(".");
  const objectName = name.slice(0, dot);
  const fieldName = name.slice(dot + 1);
  if (objectName.toLowerCase() === "account" && /^person|__pc$/i.test(fieldName)) return false;
  const object = ctx.objectFacts(objectName);
  return object?.createable === true && object?.updateable === true;
}

// packages/core/src/diagnosis/rules.ts
var RULES = {
  /** A section of the snapshot was absent: something could not be judged. */
  sectionAbsent: "section-absent",
  /** The profile's own permission set was not among the assignments. */
  profileMissing: "profile-not-in-snapshot",
  /** An assignment past its ExpirationDate grants nothing. */
  expiredAssignment: "expired-assignment",
  /** A session-based permission set grants nothing until a session activates it. */
  sessionBased: "session-based-permission-set",
  /** A permission set group whose aggregate is being or failed to be recalculated. */
  groupStatus: "permission-set-group-status",
  /** A required permission set (HubSpot Integration Permissions) is not assigned. */
  requiredPermissionSet: "required-permission-set",
  /** The user must be active to log in at all. */
  inactiveUser: "inactive-user",
  /** A frozen user (UserLogin.IsFrozen) cannot log in either. */
  frozenUser: "frozen-user",
  /** API Enabled: without it no API call succeeds. */
  apiEnabled: "api-enabled",
  /** Any other required system permission. */
  systemPermission: "system-permission",
  /** A system permission HubSpot needs that this org's API does not expose: check it by hand. */
  permissionNotInOrg: "permission-not-in-org",
  /** Object rights come from ObjectPermissions (plus Modify/View All Data). */
  objectPermissions: "object-permissions",
  /** A mapped lookup needs read on the object it references (a polymorphic one: on the targets HubSpot syncs). */
  lookupTarget: "lookup-target-read",
  /** Tasks (and events) have no object permissions: "Edit Tasks" governs create/edit/delete. */
  taskEditTasks: "task-edit-tasks",
  /** Users have no object permissions: every user reads the users visible to it; View All Users sees all. */
  userVisibility: "user-visibility",
  /** Campaigns can be created or edited only by users with the Marketing User checkbox. */
  campaignMarketingUser: "campaign-marketing-user",
  /** Field-level security (FieldPermissions, View All Fields). */
  fieldLevelSecurity: "field-level-security",
  /** Modify All Data / View All Data grant object rights but no field access. */
  adminDataPermissionsNoFls: "modify-all-data-grants-no-field-access",
  /** A mapped field the org describes as not existing. */
  fieldDeleted: "field-does-not-exist",
  /** A mapped field absent from the describe: deleted, or hidden from whoever described it. */
  fieldNotFound: "field-not-in-describe",
  /**
   * Edit asked of a field nobody can write (a system or audit field such as CreatedDate: describe
   * says neither createable nor updateable, it has no field-level security, and the object is
   * writable): no permission can meet the requirement.
   */
  fieldNotWritable: "field-not-writable",
  /**
   * A requirement that cannot be judged as written: a field named without its object ('Email'
   * instead of 'Contact.Email'), a system permission this org does not have.
   */
  invalidRequirement: "invalid-requirement",
  /** A required object (or the object of a mapped field) the org does not have. */
  objectDeleted: "object-does-not-exist",
  /** Private or read-only org-wide defaults hide or lock records from the sync. */
  orgWideDefault: "org-wide-default",
  /** Daily API requests, data and file storage. */
  apiLimit: "daily-api-requests",
  /** A per-connected-app cap on daily API requests (HubSpot's own connected app). */
  connectedAppApiLimit: "connected-app-api-requests",
  storageLimit: "storage-limit",
  /** Login History: HubSpot's logins as the integration user fail (IP ranges, login hours, lockout). */
  loginFailures: "login-failures",
  /**
   * Login History: HubSpot's last login failed for a cause that is gone now (the user unfrozen or
   * reactivated, the app approved) and HubSpot has not logged in since: it logs in again only when
   * told to in HubSpot, so this is fixed there, unlike login-failures.
   */
  loginFailureCleared: "login-failure-cleared",
  /** Login History: no login of HubSpot's in the window, so HubSpot is not syncing as this user. */
  noRecentLogin: "no-recent-login",
  /** Login History: HubSpot logged in on a steady rhythm, then stopped: its sync has stopped. */
  loginsStopped: "hubspot-logins-stopped",
  /** HubSpot's connected app admits admin-approved users only and the user is not approved. */
  connectedAppApproval: "connected-app-approval",
  /** HubSpot's connected app requires a high-assurance session, which an OAuth refresh cannot give. */
  connectedAppSessionPolicy: "connected-app-session-policy",
  /** HubSpot's refresh tokens expire by the app's policy. */
  connectedAppTokenPolicy: "connected-app-token-policy",
  /** HubSpot's connected app is not installed: a reconnect may be refused (uninstalled-app restriction). */
  connectedAppNotInstalled: "connected-app-not-installed"
};
var RULES_OF_OPTIONAL_SECTIONS = {
  frozen: [RULES.frozenUser],
  loginHistory: [
    RULES.loginsStopped,
    RULES.noRecentLogin,
    RULES.loginFailureCleared,
    RULES.loginFailures
  ],
  connectedApps: [
    RULES.connectedAppNotInstalled,
    RULES.connectedAppApproval,
    RULES.connectedAppSessionPolicy,
    RULES.connectedAppTokenPolicy
  ]
};

// packages/core/src/diagnosis/hubspotApp.ts
var HUBSPOT_APP = /hubspot/i;
var HUBSPOT_SALES_APP = /^hubspot sales/i;
function isHubSpotAppName(name) {
  const app = name.trim();
  return HUBSPOT_APP.test(app) && !HUBSPOT_SALES_APP.test(app);
}
function approveForAppRemedy(who, profile, app = "HubSpot's app") {
  return `In Setup > Connected Apps > Manage Connected Apps, open ${app} and add ${profile} (Manage Profiles) or a permission set assigned to ${who} (Manage Permission Sets), or set Permitted Users to "All users may self-authorize"`;
}
function hubSpotAppApprovals(ctx) {
  const section = ctx.snapshot.connectedApps;
  if (!section || !ctx.permissionsKnown) return null;
  return section.apps.filter((app) => isHubSpotAppName(app.Name) && app.OptionsAllowAdminApprovedUsersOnly === true).map((app) => {
    const parents = new Set(
      section.access.filter((row) => row.SetupEntityId === app.Id).map((row) => row.ParentId)
    );
    const approving = ctx.sources.list.filter((source) => parents.has(source.id));
    return {
      app,
      approvedBy: approving.filter((source) => source.active).map((source) => source.label),
      inactive: approving.filter((source) => !source.active).map((source) => `${source.label} (${source.inactiveBecause})`)
    };
  });
}

// packages/core/src/diagnosis/user.ts
var FRIENDLY = {
  PermissionsApiEnabled: "API Enabled",
  PermissionsViewSetup: "View Setup and Configuration",
  PermissionsEditTask: "Edit Tasks",
  PermissionsEditEvent: "Edit Events",
  PermissionsManageUsers: "Manage Users",
  PermissionsViewAllUsers: "View All Users",
  PermissionsModifyAllData: "Modify All Data",
  PermissionsViewAllData: "View All Data",
  PermissionsUpdateWithInactiveOwner: "Update Records with Inactive Owners"
};
var INACTIVE_OWNERS_PERMISSION = "PermissionsUpdateWithInactiveOwner";
var SIDE_PERMISSIONS = [INACTIVE_OWNERS_PERMISSION];
function sideGrants(ctx) {
  if (!ctx.permissionsKnown) return [];
  return SIDE_PERMISSIONS.map((name) => {
    const grant = ctx.system(name);
    const check2 = { kind: "systemPermission", name, by: [...grant.by] };
    if (grant.absent && !grant.granted) check2.absent = true;
    else if (grant.granted || ctx.sources.list.some((s) => name in s.record))
      check2.granted = grant.granted;
    return check2;
  });
}
function friendlyPermission(name) {
  return FRIENDLY[name] ?? name.replace(/^Permissions/, "").replace(/([a-z])([A-Z])/g, "$1 $2");
}
function checkUser(ctx) {
  const user2 = ctx.snapshot.user;
  if (!user2) return;
  if (user2.IsActive === false) {
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      cause: "USER_INACTIVE",
      severity: "error",
      subject: user2.Username,
      rule: RULES.inactiveUser,
      message: `${ctx.who} is inactive: it cannot log in, so HubSpot cannot call Salesforce at all.`,
      remedy: `Reactivate ${ctx.who} in Setup > Users (it needs a free license), or connect HubSpot with another active integration user; then re-enter the Salesforce credentials in ${HUBSPOT_SALESFORCE_PLACE}; reconnecting clears a suspension for it.`
    });
  } else if (user2.IsFrozen === true) {
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      cause: "USER_FROZEN",
      severity: "error",
      subject: user2.Username,
      rule: RULES.frozenUser,
      message: `${ctx.who} is frozen: it stays active but cannot log in, so HubSpot cannot call Salesforce at all.`,
      remedy: `Open ${ctx.who} in Setup > Users and click Unfreeze; then re-enter the Salesforce credentials in ${HUBSPOT_SALESFORCE_PLACE}; reconnecting clears a suspension for it.`
    });
  }
}
function checkSystemPermissions(ctx) {
  if (!ctx.permissionsKnown) return;
  for (const permission of ctx.requirements.systemPermissions) {
    const grant = ctx.system(permission);
    if (grant.granted) continue;
    if (grant.absent) {
      reportAbsentPermission(ctx, permission);
      continue;
    }
    const friendly = friendlyPermission(permission);
    const api = permission === "PermissionsApiEnabled";
    const muted = mutedInGroupsHint(ctx, permission);
    ctx.add({
      reason: api ? "API_ACCESS_DISABLED" : "OBJECT_PERMISSIONS_MISSING",
      severity: "error",
      subject: permission,
      rule: api ? RULES.apiEnabled : RULES.systemPermission,
      message: `${ctx.who} lacks "${friendly}": no active profile or permission set grants it${api ? ", so every API call HubSpot makes is refused" : ""}.${inactiveHint(grant.inactive)}${muted ? ` ${muted}` : ""}`,
      remedy: mutingFirst(
        mutingRemedy(ctx, `"${friendly}"`, "System Permissions", "it", permission),
        `Turn on "${friendly}" (System Permissions)`,
        ` in the user's profile or in a permission set assigned to ${ctx.who}${api ? ", then re-enter the Salesforce credentials in HubSpot to clear the suspension" : ""}.`
      )
    });
  }
}
var HUBSPOT_SYSTEM_PERMISSIONS = new Set(
  DEFAULT_REQUIREMENTS.systemPermissions.map((p) => p.toLowerCase())
);
var KNOWN_SYSTEM_PERMISSIONS = new Set(
  PERMISSION_SET_FIELDS.filter((f) => f.startsWith("Permissions")).map((p) => p.toLowerCase())
);
function reportAbsentPermission(ctx, permission) {
  const api = permission === "PermissionsApiEnabled";
  const reason = api ? "API_ACCESS_DISABLED" : "OBJECT_PERMISSIONS_MISSING";
  const hubspotNeeds = HUBSPOT_SYSTEM_PERMISSIONS.has(permission.toLowerCase());
  if (hubspotNeeds || KNOWN_SYSTEM_PERMISSIONS.has(permission.toLowerCase())) {
    const friendly = friendlyPermission(permission);
    ctx.add({
      reason,
      severity: "warning",
      subject: permission,
      rule: RULES.permissionNotInOrg,
      message: `This org's API does not expose "${friendly}" (PermissionSet has no ${permission} column), so Sync Doctor cannot tell whether ${ctx.who} has it.${hubspotNeeds ? ` HubSpot needs it${api ? " for every API call it makes" : ""}.` : ""}`,
      remedy: `Check by hand: open ${ctx.who}'s profile and permission sets in Setup and confirm "${friendly}" is on under System Permissions.${api ? " If the org's edition has no API access at all (Professional without the API add-on), HubSpot cannot sync with it." : ""}`
    });
    return;
  }
  ctx.add({
    reason,
    severity: "warning",
    subject: permission,
    rule: RULES.invalidRequirement,
    message: `The requirements ask for the system permission '${permission}', which this org does not have (PermissionSet has no such column), so it could not be judged.`,
    remedy: `Correct '${permission}' in the requirements (a PermissionSet field name such as 'PermissionsViewSetup'), or remove it if it belongs to another edition or feature.`
  });
}
function groupsHolding(ctx, names) {
  const groups = ctx.sources.active.filter((s) => s.kind === "group");
  return {
    holding: groups.filter(
      (g) => g.groupSetNames?.some((set) => set.some((n) => names.includes(n)))
    ),
    unread: groups.filter((g) => g.groupSetNames === void 0)
  };
}
function checkRequiredPermissionSets(ctx) {
  if (!ctx.permissionsKnown) return;
  for (const wanted of ctx.requirements.permissionSets) {
    const names = normalizeSetName(wanted);
    const matches = ctx.sources.list.filter(
      (s) => s.kind === "permissionSet" && permissionSetNames(s.record).some((n) => names.includes(n))
    );
    if (matches.some((s) => s.active)) continue;
    const { holding, unread } = groupsHolding(ctx, names);
    if (holding.length) continue;
    const inactive = matches.find((s) => !s.active);
    if (inactive) ctx.explainedSources.add(inactive.id);
    const inGroupMaybe = !inactive && unread.length > 0;
    const groupList = joinList(quoteAll(unread.map((g) => g.displayName)), "or");
    const hubspot = normalizeSetName(HUBSPOT_PERMISSION_SET).some((n) => names.includes(n));
    ctx.add({
      reason: "OBJECT_PERMISSIONS_MISSING",
      severity: inGroupMaybe ? "warning" : "error",
      subject: wanted,
      rule: RULES.requiredPermissionSet,
      message: inactive ? `The permission set '${wanted}' is assigned to ${ctx.who}, but ${inactive.inactiveBecause}.` : `The permission set '${wanted}' is not assigned to ${ctx.who}${inGroupMaybe ? ` (unless it is part of the permission set group ${groupList}, whose sets could not be read: see Setup > Permission Set Groups > ${groupList} > Permission Sets in Group)` : ""}.${hubspot ? ` HubSpot names a missing '${wanted}' as one of the two usual causes of missing object permissions.` : ""}`,
      remedy: `${inGroupMaybe ? `If the group does not hold it, open` : "Open"} ${ctx.who} in Setup > Users > Permission Set Assignments > Edit Assignments, and add '${wanted}'${inactive ? " without an expiration date (or as a regular, not session-based, set)" : ""}. ${hubspot ? "If it is not offered, reinstall HubSpot's Salesforce package." : `If it is not offered, check in Setup > Permission Sets that a set of that name exists, and correct the name in the requirements if it does not.`}`
    });
  }
}
function checkSources(ctx) {
  if (!ctx.permissionsKnown) return;
  for (const source of ctx.sources.list) {
    if (source.sessionBased && !source.inactiveBecause?.startsWith("its assignment expired") && !ctx.explainedSources.has(source.id)) {
      ctx.add({
        reason: "OBJECT_PERMISSIONS_MISSING",
        severity: "warning",
        subject: source.displayName,
        rule: RULES.sessionBased,
        message: `${source.label} is session-based: it grants nothing until a session activates it, and HubSpot's API sessions never do. Its rights are not counted.`,
        remedy: `Give ${ctx.who} these rights through a regular permission set (one without "Session Activation Required").`
      });
    } else if (source.inactiveBecause?.startsWith("its assignment expired") && !ctx.explainedSources.has(source.id)) {
      ctx.add({
        reason: "OBJECT_PERMISSIONS_MISSING",
        severity: "info",
        subject: source.displayName,
        rule: RULES.expiredAssignment,
        message: `${source.label} is still listed for ${ctx.who}, but ${source.inactiveBecause}: it grants nothing.`,
        remedy: `If ${ctx.who} still needs it, edit the assignment in Setup > Users > Permission Set Assignments and remove or extend the expiration date.`
      });
    }
    if (source.kind === "group" && source.groupStatus && source.groupStatus !== "Updated") {
      ctx.add({
        reason: "OBJECT_PERMISSIONS_MISSING",
        severity: "warning",
        subject: source.displayName,
        rule: RULES.groupStatus,
        message: `${source.label} has status '${source.groupStatus}': Salesforce has not (or could not) recalculate what it grants, so its rights may change once it does.`,
        remedy: `Open Setup > Permission Set Groups > ${source.displayName} and click Recalculate; check again afterwards.`
      });
    }
  }
  const user2 = ctx.snapshot.user;
  if (!ctx.sources.profile && user2?.ProfileId) {
    ctx.add({
      reason: "OBJECT_PERMISSIONS_MISSING",
      severity: "warning",
      subject: user2.Profile?.Name ?? user2.ProfileId,
      rule: RULES.profileMissing,
      message: `Sync Doctor read no assignment of the permission set of the profile${user2.Profile?.Name ? ` '${user2.Profile.Name}'` : ""} of ${ctx.who}: rights granted by the profile were not counted, so some findings may be wrong.`,
      remedy: "Check again. If this stays, the org was read without the profile's own permission set assignment (PermissionSet.IsOwnedByProfile = true), as a file made by hand or by an older Sync Doctor can be: read the org again with the current Sync Doctor."
    });
  }
}
function requiredGrants(ctx) {
  const grants = [];
  for (const name of ctx.requirements.systemPermissions) {
    const check2 = { kind: "systemPermission", name, by: [] };
    if (ctx.permissionsKnown) {
      const grant = ctx.system(name);
      if (!grant.absent || grant.granted) {
        check2.granted = grant.granted;
        check2.by = [...grant.by];
      }
    }
    grants.push(check2);
  }
  for (const wanted of ctx.requirements.permissionSets) {
    const check2 = { kind: "permissionSet", name: wanted, by: [] };
    if (ctx.permissionsKnown) {
      const names = normalizeSetName(wanted);
      const active = ctx.sources.active.filter(
        (s) => s.kind === "permissionSet" && permissionSetNames(s.record).some((n) => names.includes(n))
      );
      const { holding, unread } = groupsHolding(ctx, names);
      if (active.length || holding.length || unread.length === 0)
        check2.granted = active.length + holding.length > 0;
      check2.by = [...active, ...holding].map((s) => s.label);
    }
    grants.push(check2);
  }
  for (const { app, approvedBy } of hubSpotAppApprovals(ctx) ?? [])
    grants.push({
      kind: "connectedApp",
      name: app.Name,
      id: app.Id,
      granted: approvedBy.length > 0,
      by: approvedBy
    });
  return grants;
}

// packages/core/src/report/labels.ts
var LIMIT_LABELS = {
  DailyApiRequests: { label: "API requests, last 24 hours (whole org)", unit: "" },
  DataStorageMB: { label: "Data storage", unit: " MB" },
  FileStorageMB: { label: "File storage", unit: " MB" }
};
var CONNECTED_APP_LIMIT = "DailyApiRequests.";
var isLimitName = (name) => name in LIMIT_LABELS || name.startsWith(CONNECTED_APP_LIMIT);
function limitLabel(name) {
  const known2 = LIMIT_LABELS[name];
  if (known2) return known2;
  if (name.startsWith(CONNECTED_APP_LIMIT))
    return {
      label: `API requests of the connected app ${name.slice(CONNECTED_APP_LIMIT.length)}`,
      unit: ""
    };
  return { label: name, unit: "" };
}
function limitRows(limits) {
  const org = limits.find((l) => l.name === "DailyApiRequests");
  return limits.map((limit) => {
    const { label, unit } = limitLabel(limit.name);
    const used = `${thousands(limit.used)}${unit}`;
    if (org && limit.name.startsWith(CONNECTED_APP_LIMIT) && limit.max === org.max) {
      const ratio = org.used > 0 ? Math.min(1, limit.used / org.used) : 0;
      const of = `of the org's ${thousands(org.used)} used`;
      return {
        name: limit.name,
        label,
        used,
        of,
        amount: `${used} ${of}`,
        ratio,
        share: percent(ratio),
        basis: "org-used"
      };
    }
    const max = `${thousands(limit.max)}${unit}`;
    return {
      name: limit.name,
      label,
      used,
      of: max,
      amount: `${used} of ${max}`,
      ratio: limit.ratio,
      share: percent(limit.ratio),
      basis: "max"
    };
  });
}
function subjectLabel(subject) {
  if (typeof subject !== "string" || subject === "") return "";
  if (isLimitName(subject)) return limitLabel(subject).label;
  if (/^Permissions[A-Z]/.test(subject)) {
    const friendly = friendlyPermission(subject);
    if (friendly !== subject) return `${friendly} (system permission)`;
  }
  return subject;
}
var RULE_LABELS = {
  "section-absent": "Part of the org Sync Doctor could not read",
  "profile-not-in-snapshot": "Profile's permissions not read",
  "expired-assignment": "Expired permission set assignment (Expiration Date)",
  "session-based-permission-set": "Session-based permission set (needs session activation)",
  "permission-set-group-status": "Permission set group not recalculated (Status Updating or Failed)",
  "required-permission-set": "Required permission set assigned",
  "inactive-user": "Active user (User.IsActive)",
  "frozen-user": "Frozen user (UserLogin.IsFrozen)",
  "api-enabled": "API Enabled (system permission)",
  "system-permission": "System permissions",
  "permission-not-in-org": "System permission this org does not expose",
  "object-permissions": "Object permissions (ObjectPermissions, Modify/View All Data)",
  "lookup-target-read": "Read on the objects mapped lookups point to",
  "task-edit-tasks": "Tasks and events (Edit Tasks, Edit Events)",
  "user-visibility": "Users (user visibility, View All Users)",
  "campaign-marketing-user": "Campaigns (Marketing User checkbox)",
  "field-level-security": "Field-level security (FieldPermissions, View All Fields)",
  "modify-all-data-grants-no-field-access": "Modify/View All Data grant no field access",
  "field-does-not-exist": "Mapped field does not exist",
  "field-not-in-describe": "Mapped field not found (deleted or hidden)",
  "field-not-writable": "Field no one can edit (system or audit field)",
  "invalid-requirement": "Requirement that cannot be checked as written",
  "object-does-not-exist": "Object not in this org",
  "org-wide-default": "Organization-wide defaults (Sharing Settings)",
  "daily-api-requests": "Daily API request limit (whole org)",
  "connected-app-api-requests": "Connected app's daily API request limit",
  "storage-limit": "Data and file storage limits",
  "login-failures": "Login History: logins refused",
  "login-failure-cleared": "Login History: last login refused, cause since gone",
  "no-recent-login": "Login History: no recent login by HubSpot",
  "hubspot-logins-stopped": "Login History: HubSpot's logins stopped",
  "connected-app-approval": "Connected app: admin-approved users only (Permitted Users)",
  "connected-app-session-policy": "Connected app: High Assurance session required",
  "connected-app-token-policy": "Connected app: Refresh Token Policy expires tokens",
  "connected-app-not-installed": "Connected app not installed (uninstalled apps restricted)"
};
function ruleLabel(id2) {
  if (typeof id2 !== "string") return "";
  return Object.prototype.hasOwnProperty.call(RULE_LABELS, id2) ? RULE_LABELS[id2] : id2;
}
var SEVERITY_LABELS = {
  error: "Blocks the sync",
  warning: "Risk",
  info: "Note"
};
function findingCountsLabel(counts) {
  const n = (value) => typeof value === "number" && Number.isFinite(value) ? value : 0;
  const blocking = n(counts?.error);
  const plural2 = (count3, word) => `${count3} ${word}${count3 === 1 ? "" : "s"}`;
  return [
    `${plural2(blocking, "finding")} ${blocking === 1 ? "blocks" : "block"} the sync`,
    plural2(n(counts?.warning), "risk"),
    plural2(n(counts?.info), "note")
  ].join(", ");
}
var NO_PROBLEMS_FOUND = "No problems found.";
var NO_PROBLEMS_FOUND_PARTLY = "No problems found in what Sync Doctor could read.";
function noProblemsLabel(unchecked) {
  return Array.isArray(unchecked) && unchecked.length > 0 ? NO_PROBLEMS_FOUND_PARTLY : NO_PROBLEMS_FOUND;
}
var REACHED_BY_NAMED = 3;
var REACHED_BY_KIND_PREFIXES = ["lookup from ", "mapped field "];
function reachedByShortText(entries, separator = "; ") {
  const seen = /* @__PURE__ */ new Set();
  const unique = (Array.isArray(entries) ? entries : []).filter((entry2) => {
    const key = String(entry2).trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= REACHED_BY_NAMED + 1) return reachedByText(unique, separator);
  const shown = unique.slice(0, REACHED_BY_NAMED);
  const more = unique.length - shown.length;
  const kind = REACHED_BY_KIND_PREFIXES.find(
    (prefix) => shown[shown.length - 1].startsWith(prefix)
  );
  return kind ? reachedByText([...shown, `${kind}${more} more`], separator) : `${reachedByText(shown, separator)}${separator}${more} more`;
}
function reachedBySentence(objectName, entries, also = false) {
  if (!entries?.length) return "";
  return ` HubSpot ${also ? "also " : ""}reaches ${objectName} through the ${reachedByShortText(entries, " and the ")}.`;
}

// packages/core/src/diagnosis/objects.ts
var NOT_PERMISSION_GOVERNED = /* @__PURE__ */ new Set([
  "group",
  "recordtype",
  "userrole",
  "profile",
  "organization",
  "businesshours",
  "queue"
]);
function isPermissionGovernedObject(sobjectType) {
  return !NOT_PERMISSION_GOVERNED.has(sobjectType.toLowerCase());
}
var ACTIVITY_PERMISSION = {
  task: "PermissionsEditTask",
  event: "PermissionsEditEvent"
};
var ACTIVITY_EDIT_RIGHTS = /* @__PURE__ */ new Set(["create", "edit", "delete"]);
function noAccess() {
  return {
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false
  };
}
function work(name) {
  return {
    name,
    key: name.toLowerCase(),
    required: /* @__PURE__ */ new Set(),
    direct: false,
    reachedBy: [],
    fields: [],
    rows: noAccess(),
    rowsBy: /* @__PURE__ */ new Set(),
    viewAllFieldsBy: [],
    inactive: []
  };
}
function collectObjects(ctx) {
  const objects = /* @__PURE__ */ new Map();
  const get = (name) => {
    const key = name.toLowerCase();
    let w = objects.get(key);
    if (!w) objects.set(key, w = work(name));
    return w;
  };
  const reach = (t, field) => {
    t.required.add("read");
    const entry2 = `lookup from ${field}`;
    if (!t.reachedBy.some((r) => r.toLowerCase() === entry2.toLowerCase())) t.reachedBy.push(entry2);
  };
  const polymorphic = [];
  for (const req of ctx.requirements.objects) {
    const w = get(req.name);
    w.direct = true;
    for (const right of req.access) w.required.add(right);
  }
  for (const field of ctx.requirements.fields) {
    const dot = field.name.indexOf(".");
    if (dot <= 0 || dot === field.name.length - 1) continue;
    const objectName = field.name.slice(0, dot);
    const w = get(objectName);
    w.fields.push(field.name);
    const describe = ctx.describe(field.name);
    const addsRead = !w.required.has("read");
    const addsEdit = field.access.includes("edit") && !w.required.has("edit") && !editNeverRequired(ctx, describe, field.name);
    w.required.add("read");
    if (addsEdit) {
      w.required.add("edit");
      w.reachedBy.push(`mapped field ${field.name} (edit)`);
    } else if (addsRead) w.reachedBy.push(`mapped field ${field.name}`);
    if (!describe || describe.exists === false) continue;
    const targets = (describe.referenceTo ?? []).filter(
      (t) => !NOT_PERMISSION_GOVERNED.has(t.toLowerCase())
    );
    if (targets.length > 1) polymorphic.push({ field: field.name, targets });
    else for (const target of targets) reach(get(target), field.name);
  }
  for (const { field, targets } of polymorphic)
    for (const target of targets) {
      const t = objects.get(target.toLowerCase());
      if (t) reach(t, field);
    }
  return objects;
}
function rowRights(row) {
  const rights = noAccess();
  const grant = (right) => {
    if (rights[right]) return;
    rights[right] = true;
    OBJECT_RIGHT_DEPENDENCIES[right].forEach(grant);
  };
  for (const right of OBJECT_RIGHTS) if (row[OBJECT_RIGHT_COLUMNS[right]] === true) grant(right);
  return rights;
}
function aggregateObjectPermissions(ctx, objects) {
  for (const row of ctx.snapshot.objectPermissions ?? []) {
    const w = objects.get(row.SobjectType.toLowerCase());
    if (!w) continue;
    const source = ctx.sources.byId.get(row.ParentId);
    if (!source) continue;
    const rights = rowRights(row);
    if (source.active) {
      let any = false;
      for (const r of OBJECT_RIGHTS) {
        if (rights[r]) {
          w.rows[r] = true;
          any = true;
        }
      }
      if (any) w.rowsBy.add(source.label);
      if (row.PermissionsViewAllFields === true) w.viewAllFieldsBy.push(source.label);
    } else {
      const granted = OBJECT_RIGHTS.filter((r) => rights[r]);
      if (granted.length)
        w.inactive.push({
          label: source.label,
          because: source.inactiveBecause ?? "",
          rights: granted
        });
    }
  }
}
function requiredList(w) {
  return OBJECT_RIGHTS.filter((r) => w.required.has(r));
}
function rightsText(rights) {
  return joinList(rights.map((r) => OBJECT_RIGHT_LABELS[r]));
}
function editableSetHint(ctx) {
  const required = new Set(ctx.requirements.permissionSets.map((n) => n.toLowerCase()));
  const own = ctx.sources.active.filter(
    (s) => s.kind === "permissionSet" && !required.has(s.displayName.toLowerCase()) && !required.has(s.record.Name.toLowerCase())
  ).map((s) => s.displayName);
  const examples = own.length ? ` such as ${joinList(quoteAll(own.slice(0, 3)), "or")}` : "";
  return `a permission set assigned to ${ctx.who}${examples}, or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'`;
}
function reachedText(w) {
  return reachedBySentence(w.name, w.reachedBy, w.direct);
}
function judgeObjects(ctx, objects) {
  const mad = ctx.system("PermissionsModifyAllData");
  const vad = ctx.system("PermissionsViewAllData");
  const results = [];
  const rowsKnown = ctx.snapshot.objectPermissions != null;
  for (const w of objects.values()) {
    const required = requiredList(w);
    if (ctx.objectExists(w.name) === false) {
      results.push(reportMissingObject(ctx, w, required));
      continue;
    }
    if (ctx.hiddenFromReader(w.name)) reportHiddenObject(ctx, w);
    const effective = { ...w.rows };
    const grantedBy = new Set(w.rowsBy);
    let rule = !w.direct && w.reachedBy.some((r) => r.startsWith("lookup")) ? RULES.lookupTarget : RULES.objectPermissions;
    let missing;
    let note;
    const activityPermission = ACTIVITY_PERMISSION[w.key];
    if (w.key === "user") {
      rule = RULES.userVisibility;
      const viewAllUsers = ctx.system("PermissionsViewAllUsers");
      const manageUsers = ctx.system("PermissionsManageUsers");
      Object.assign(effective, noAccess(), { read: ctx.permissionsKnown });
      if (ctx.permissionsKnown) grantedBy.add("Every user (user visibility)");
      if (viewAllUsers.granted || vad.granted || mad.granted) effective.viewAll = true;
      for (const l of [...viewAllUsers.by, ...vad.by, ...mad.by]) grantedBy.add(l);
      if (manageUsers.granted) effective.edit = effective.create = true;
      manageUsers.by.forEach((l) => grantedBy.add(l));
      missing = ctx.permissionsKnown ? [] : void 0;
      const lacking3 = required.filter((r) => !effective[r]);
      if (ctx.permissionsKnown && lacking3.length) {
        ctx.add({
          reason: "OBJECT_PERMISSIONS_MISSING",
          severity: "error",
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(lacking3)} User records. Users have no object permissions: reading every user takes "View All Users", creating or editing users takes "Manage Users".`,
          remedy: `Turn on ${lacking3.some((r) => r !== "read" && r !== "viewAll") ? '"Manage Users"' : '"View All Users"'} in ${editableSetHint(ctx)}.`
        });
      } else if (ctx.permissionsKnown && !effective.viewAll) {
        ctx.add({
          reason: "OBJECT_PERMISSIONS_MISSING",
          severity: "info",
          subject: w.name,
          rule,
          message: `${ctx.who} reads only the users visible to it. HubSpot matches record owners to Salesforce users; if User Sharing is on in this org, owners it cannot see will not map.`,
          remedy: `If Setup > Sharing Settings shows a Private default for users, turn on "View All Users" in ${editableSetHint(ctx)}.`
        });
      }
    } else if (activityPermission) {
      rule = RULES.taskEditTasks;
      const edit = ctx.system(activityPermission);
      const canEdit = edit.granted || mad.granted;
      Object.assign(effective, {
        read: ctx.permissionsKnown,
        create: canEdit,
        edit: canEdit,
        delete: canEdit,
        viewAll: vad.granted || mad.granted,
        modifyAll: mad.granted
      });
      grantedBy.clear();
      if (ctx.permissionsKnown) grantedBy.add("Every user (activities on records it can see)");
      for (const l of [...edit.by, ...mad.by, ...vad.by]) grantedBy.add(l);
      missing = ctx.permissionsKnown ? [] : void 0;
      const lacking3 = required.filter((r) => !effective[r]);
      const friendly = activityPermission === "PermissionsEditTask" ? "Edit Tasks" : "Edit Events";
      const unreadable = ctx.permissionsKnown && edit.absent && !canEdit;
      const unknown = unreadable ? lacking3.filter((r) => ACTIVITY_EDIT_RIGHTS.has(r)) : [];
      const denied = lacking3.filter((r) => !unknown.includes(r));
      if (unknown.length) {
        missing = void 0;
        note = `Not judged: this org's API does not expose "${friendly}" (PermissionSet has no ${activityPermission} column), which governs ${rightsText(unknown)}.`;
        ctx.add({
          reason: "OBJECT_PERMISSIONS_MISSING",
          severity: "warning",
          subject: w.name,
          rule: RULES.permissionNotInOrg,
          message: `This org's API does not expose "${friendly}" (PermissionSet has no ${activityPermission} column), so Sync Doctor cannot tell whether ${ctx.who} can ${rightsText(unknown)} ${w.name} records: ${w.name} has no object permissions, its create, edit and delete come from that system permission. HubSpot needs ${rightsText(unknown)} on ${w.name}.`,
          remedy: `Check by hand: open ${ctx.who}'s profile and permission sets in Setup and confirm "${friendly}" is on under System Permissions.`
        });
      }
      if (ctx.permissionsKnown && denied.length) {
        const muted = mutedInGroupsHint(ctx, activityPermission);
        ctx.add({
          reason: "OBJECT_PERMISSIONS_MISSING",
          severity: "error",
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(denied)} ${w.name} records: ${w.name} has no object permissions, its create, edit and delete come from the system permission "${friendly}" (${activityPermission}), which no active profile or permission set of the user grants.${inactiveHint(edit.inactive)}${muted ? " " + muted : ""}`,
          remedy: mutingFirst(
            mutingRemedy(ctx, `"${friendly}"`, "System Permissions", "it", activityPermission),
            `Turn on "${friendly}" (under System Permissions)`,
            ` in ${editableSetHint(ctx)}.`
          )
        });
      }
    } else {
      if (mad.granted) {
        for (const r of OBJECT_RIGHTS) effective[r] = true;
        mad.by.forEach((l) => grantedBy.add(`${l} (Modify All Data)`));
      }
      if (vad.granted) {
        effective.read = effective.viewAll = true;
        vad.by.forEach((l) => grantedBy.add(`${l} (View All Data)`));
      }
      const judged = ctx.permissionsKnown && (rowsKnown || mad.granted);
      if (!judged) {
        note = ctx.permissionsKnown ? "Not judged: Sync Doctor read no object permissions." : "Not judged: Sync Doctor read no permission set assignments.";
      }
      const lacking3 = required.filter((r) => !effective[r]);
      if (judged) missing = lacking3;
      if (judged && lacking3.length) {
        const hints = [];
        const wouldGrant = w.inactive.filter((i) => i.rights.some((r) => lacking3.includes(r)));
        for (const i of wouldGrant)
          hints.push(
            `${i.label} grants ${rightsText(i.rights.filter((r) => lacking3.includes(r)))}, but ${i.because}.`
          );
        const muted = mutedInGroupsHint(ctx);
        if (muted) hints.push(muted);
        const plural2 = lacking3.length > 1 ? "them" : "it";
        const rights = rightsText(withObjectRightDependencies(lacking3));
        ctx.add({
          reason: "OBJECT_PERMISSIONS_MISSING",
          severity: "error",
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(lacking3)} ${w.name} records (it has ${describeHeld(effective)}).${reachedText(w)}${hints.length ? " " + hints.join(" ") : ""}`,
          remedy: mutingFirst(
            mutingRemedy(
              ctx,
              `${rightsText(lacking3)} on ${w.name}`,
              `Object Settings > ${w.name}`,
              lacking3.length > 1 ? "them" : "it"
            ),
            // The user once: the permission set to add them in is named as assigned to it.
            `Give the user ${rights} on ${w.name}`,
            `: add ${plural2} under Object Settings > ${w.name} in ${editableSetHint(ctx)}.`
          )
        });
      }
      if (w.key === "campaign") rule = campaignRule(ctx, w, required, effective, rule);
    }
    const result2 = {
      name: w.name,
      required,
      effective,
      grantedBy: [...grantedBy],
      rule
    };
    if (w.reachedBy.length) result2.reachedBy = [...w.reachedBy];
    if (missing) result2.missing = missing;
    if (note) result2.note = note;
    results.push(result2);
  }
  return results;
}
function reportMissingObject(ctx, w, required) {
  const asks = [];
  if (w.direct) asks.push(`the requirements ask for ${rightsText(required)} on it`);
  if (w.fields.length)
    asks.push(`HubSpot maps its field${w.fields.length > 1 ? "s" : ""} ${joinList(w.fields)}`);
  ctx.add({
    reason: "FIELD_MAPPINGS_MISSING",
    severity: "error",
    subject: w.name,
    rule: RULES.objectDeleted,
    message: `${w.name} does not exist in this Salesforce org (no object has that API name), yet ${joinList(asks)}: ${w.fields.length ? "every sync of those records fails" : "HubSpot cannot sync it"}.`,
    remedy: `If ${w.name} was deleted, restore it (Setup > Object Manager > Deleted Objects, within 15 days of the deletion)${w.fields.length ? ` or remove the mappings to its fields in ${HUBSPOT_MAPPINGS_PLACE}` : ""}; if the name is wrong, correct it in the requirements.`
  });
  return {
    name: w.name,
    required,
    effective: noAccess(),
    grantedBy: [],
    rule: RULES.objectDeleted,
    missing: [],
    exists: false,
    note: "The object does not exist in this org.",
    ...w.reachedBy.length ? { reachedBy: [...w.reachedBy] } : {}
  };
}
function reportHiddenObject(ctx, w) {
  const fields = w.fields.length > 3 ? ` nor its ${w.fields.length} mapped fields` : w.fields.length ? ` nor its mapped field${w.fields.length > 1 ? "s" : ""} ${joinList(w.fields)}` : "";
  ctx.add({
    reason: "FIELD_MAPPINGS_MISSING",
    severity: "warning",
    subject: w.name,
    rule: RULES.sectionAbsent,
    message: `Could not check that ${w.name} exists in this Salesforce org${fields}: ${ctx.reader}, the user who read the org, may not read ${w.name}, and Salesforce answers such a user as if the object did not exist. The permissions of ${ctx.who} on it were judged from its permission sets all the same.`,
    remedy: `Give ${ctx.reader} Read on ${w.name} (Object Settings > ${w.name} in a permission set assigned to it) so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`
  });
}
function describeHeld(e) {
  const held = OBJECT_RIGHTS.filter((r) => e[r]).map((r) => OBJECT_RIGHT_LABELS[r]);
  return held.length ? joinList(held) : "no access";
}
function campaignRule(ctx, w, required, effective, rule) {
  const needsMarketing = required.some(
    (r) => r === "create" || r === "edit" || r === "delete" || r === "modifyAll"
  );
  if (!needsMarketing || !ctx.permissionsKnown) return rule;
  const user2 = ctx.snapshot.user;
  if (!user2) {
    ctx.add({
      reason: "OBJECT_PERMISSIONS_MISSING",
      severity: "warning",
      subject: w.name,
      rule: RULES.campaignMarketingUser,
      message: `Could not check the Marketing User checkbox: Sync Doctor read no user record. Without it ${ctx.who} cannot edit campaigns, whatever its permission sets say.`,
      remedy: 'Open the integration user in Setup > Users and make sure "Marketing User" is checked.'
    });
    return RULES.campaignMarketingUser;
  }
  if (user2.UserPermissionsMarketingUser === true) return rule;
  const blocked = required.filter((r) => r !== "read" && r !== "viewAll" && effective[r]);
  for (const r of ["create", "edit", "delete", "modifyAll"]) effective[r] = false;
  ctx.add({
    reason: "OBJECT_PERMISSIONS_MISSING",
    severity: "error",
    subject: w.name,
    rule: RULES.campaignMarketingUser,
    message: `${ctx.who} is not a Marketing User, so it cannot create or edit campaigns (nor add leads and contacts to them)${blocked.length ? `, although its permissions grant ${rightsText(blocked)} on Campaign` : ""}.`,
    remedy: `Open ${ctx.who} in Setup > Users, click Edit and check "Marketing User" (a checkbox on the user record; no permission set can grant it).`
  });
  return RULES.campaignMarketingUser;
}

// packages/core/src/diagnosis/fields.ts
var FIELD_LABEL = { read: "Read", edit: "Edit" };
function fieldFails(field) {
  return field.exists === false || (field.missing?.length ?? 0) > 0 || field.required.some((r) => (r === "read" || r === "edit") && field.effective[r] !== true);
}
function judgeFields(ctx, objects, objectResults) {
  const works = /* @__PURE__ */ new Map();
  for (const requirement of ctx.requirements.fields) {
    const dot = requirement.name.indexOf(".");
    if (dot <= 0 || dot === requirement.name.length - 1) {
      ctx.add({
        reason: "FIELD_MAPPINGS_MISSING",
        severity: "warning",
        subject: requirement.name,
        rule: RULES.invalidRequirement,
        message: `The required field '${requirement.name}' is not of the form Object.Field, so it could not be judged.`,
        remedy: "Correct it in Sync Doctor's settings (extra fields), for example 'Contact.Email'."
      });
      continue;
    }
    works.set(requirement.name.toLowerCase(), {
      requirement,
      objectKey: requirement.name.slice(0, dot).toLowerCase(),
      read: false,
      edit: false,
      by: /* @__PURE__ */ new Set(),
      inactive: []
    });
  }
  if (works.size === 0) return [];
  const objectKeys = new Set([...works.values()].map((w) => w.objectKey));
  const describesKnown = ctx.snapshot.fields != null;
  const exact = /* @__PURE__ */ new Map();
  for (const w of works.values())
    exact.set(ctx.canonicalField(w.requirement.name) ?? w.requirement.name, w);
  const relevantType = /* @__PURE__ */ new Map();
  for (const row of ctx.snapshot.fieldPermissions ?? []) {
    let relevant = relevantType.get(row.SobjectType);
    if (relevant === void 0) {
      relevant = objectKeys.has(row.SobjectType.toLowerCase());
      relevantType.set(row.SobjectType, relevant);
    }
    if (!relevant) continue;
    const w = describesKnown ? exact.get(row.Field) : works.get(row.Field.toLowerCase());
    if (!w) continue;
    const source = ctx.sources.byId.get(row.ParentId);
    if (!source) continue;
    const edit = row.PermissionsEdit === true;
    const read = row.PermissionsRead === true || edit;
    if (!read) continue;
    if (source.active) {
      w.read = true;
      if (edit) w.edit = true;
      w.by.add(source.label);
    } else {
      w.inactive.push({
        label: source.label,
        because: source.inactiveBecause ?? "",
        rights: edit ? ["read", "edit"] : ["read"]
      });
    }
  }
  const flsKnown = ctx.permissionsKnown && ctx.snapshot.fieldPermissions != null;
  const mad = ctx.system("PermissionsModifyAllData");
  const vad = ctx.system("PermissionsViewAllData");
  const results = [];
  const unjudged2 = /* @__PURE__ */ new Map();
  for (const w of works.values()) {
    const { requirement } = w;
    const name = requirement.name;
    const object = objectResults.get(w.objectKey);
    const objectWork = objects.get(w.objectKey);
    const objectRead = object?.effective.read === true;
    const objectEdit = object?.effective.edit === true;
    const hidden = ctx.hiddenFromReader(name);
    const describe = hidden ? void 0 : ctx.describe(name);
    if (requirement.ifExists && (ctx.objectExists(name.slice(0, name.indexOf("."))) === false || !hidden && (describe?.exists === false || describesKnown && !describe)))
      continue;
    const result2 = {
      name,
      required: [...requirement.access],
      effective: { read: false, edit: false },
      grantedBy: []
    };
    if (requirement.hubspotProperty) result2.hubspotProperty = requirement.hubspotProperty;
    if (Array.isArray(describe?.picklistValues)) {
      result2.picklist = {
        restricted: describe.restrictedPicklist === true,
        values: describe.picklistValues.filter((v) => typeof v === "string")
      };
      if (describe.type?.toLowerCase() === "multipicklist") result2.picklist.multi = true;
    }
    const mapped = requirement.hubspotProperty ? ` (mapped from HubSpot's '${requirement.hubspotProperty}')` : "";
    results.push(result2);
    const objectName = name.slice(0, name.indexOf("."));
    if (ctx.objectExists(objectName) === false) {
      result2.exists = false;
      result2.missing = [];
      result2.note = `Its object ${objectName} does not exist in this org.`;
      continue;
    }
    if (hidden) {
      if (!ctx.hiddenFromReader(objectName)) reportHiddenField(ctx, name, mapped);
    } else if (describe?.exists === false) {
      result2.exists = false;
      result2.missing = [];
      result2.note = "The field does not exist in this org.";
      ctx.add({
        reason: "FIELD_MAPPINGS_MISSING",
        severity: "error",
        subject: name,
        rule: RULES.fieldDeleted,
        message: `${name}${mapped} does not exist in this Salesforce org, yet HubSpot maps it: every sync of that record fails.`,
        remedy: `Restore the field (Setup > Object Manager > ${name.split(".")[0]} > Fields & Relationships, Deleted Fields) or remove or re-point the mapping in ${HUBSPOT_MAPPINGS_PLACE}.`
      });
      continue;
    }
    if (describesKnown && !describe && !hidden) {
      result2.exists = false;
      result2.missing = [];
      result2.note = "Not found among the fields Sync Doctor read: deleted, or hidden from the user who read the org.";
      ctx.add({
        reason: "FIELD_PERMISSIONS_MISSING",
        severity: "error",
        subject: name,
        rule: RULES.fieldNotFound,
        message: `${name}${mapped} was not found when Sync Doctor read the org's fields: it was deleted, or ${ctx.who} cannot see it. Salesforce rejects both with INVALID_FIELD.`,
        remedy: `Check Setup > Object Manager > ${name.split(".")[0]} > Fields & Relationships. If the field exists, give ${ctx.who} ${joinList(requirement.access.map((a) => FIELD_LABEL[a]))} on it (Field Permissions); if it was deleted, remove the mapping in HubSpot.`
      });
      continue;
    }
    const autoNumber = describe?.autoNumber === true;
    const calculated = describe?.calculated === true || autoNumber;
    const notWritable = !calculated && requirement.access.includes("edit") && writableByNobody(ctx, describe, name);
    const required = calculated || notWritable ? requirement.access.filter((a) => a !== "edit") : [...requirement.access];
    if (!required.includes("read") && required.length) required.unshift("read");
    result2.required = required;
    const notes = [];
    if (autoNumber)
      notes.push("Auto-number (Salesforce numbers it): read-only by nature, edit is not required.");
    else if (calculated)
      notes.push("Calculated (formula or roll-up): read-only by nature, edit is not required.");
    if (notWritable) {
      notes.push(
        "Not writable by anyone (Salesforce sets it): edit cannot be granted and is not judged."
      );
      ctx.add({
        reason: "FIELD_PERMISSIONS_MISSING",
        severity: "warning",
        subject: name,
        rule: RULES.fieldNotWritable,
        message: `Edit is required on ${name}${mapped}, but nobody can write it: Salesforce sets this field itself (it is neither createable nor updateable, and no field-level security applies to it). No permission can meet this requirement; a sync that writes it fails with INVALID_FIELD_FOR_INSERT_UPDATE.`,
        remedy: `Require only Read on ${name} (remove Edit from it in Sync Doctor's requirements)${requirement.hubspotProperty ? `, and let Salesforce's value win for '${requirement.hubspotProperty}' in ${HUBSPOT_MAPPINGS_PLACE} ("Always use Salesforce")` : ""}.`
      });
    }
    if (!ctx.permissionsKnown) {
      result2.note = [...notes, "Not judged: Sync Doctor read no permission set assignments."].join(
        " "
      );
      continue;
    }
    if (describe && describe.permissionable === false) {
      result2.effective = { read: objectRead, edit: objectEdit && !calculated && !notWritable };
      result2.grantedBy = object ? [...object.grantedBy] : [];
      result2.missing = [];
      notes.push("Not permissionable: accessible whenever the object is.");
      if (!objectRead || required.includes("edit") && !objectEdit)
        notes.push(`Blocked by the object access on ${object?.name ?? w.objectKey}.`);
      result2.note = notes.join(" ");
      continue;
    }
    if (!flsKnown) {
      result2.note = [...notes, "Not judged: Sync Doctor read no field permissions."].join(" ");
      continue;
    }
    const viewAllFieldsBy = objectWork?.viewAllFieldsBy ?? [];
    const flsRead = w.read || viewAllFieldsBy.length > 0;
    const flsEdit = w.edit;
    result2.effective = { read: flsRead && objectRead, edit: flsEdit && objectEdit && !calculated };
    result2.grantedBy = [
      ...w.by,
      ...viewAllFieldsBy.filter((l) => !w.by.has(l)).map((l) => `${l} (View All Fields)`)
    ];
    const missing = required.filter((a) => a === "read" ? !flsRead : !flsEdit);
    result2.missing = missing;
    if (!objectRead || required.includes("edit") && !objectEdit)
      notes.push(`Blocked by the object access on ${object?.name ?? w.objectKey}.`);
    if (missing.length && hidden) {
      delete result2.missing;
      notes.push(
        `Field-level security not judged: ${ctx.reader}, who read the org, cannot see the field's definition.`
      );
      const list = unjudged2.get(objectName) ?? [];
      list.push(name);
      unjudged2.set(objectName, list);
    }
    if (notes.length) result2.note = notes.join(" ");
    if (missing.length === 0 || hidden) continue;
    const hints = [];
    for (const i of w.inactive) {
      const would = i.rights.filter((r) => missing.includes(r));
      if (would.length)
        hints.push(
          `${i.label} grants ${joinList(would.map((r) => FIELD_LABEL[r]))}, but ${i.because}.`
        );
    }
    const muted = mutedInGroupsHint(ctx);
    if (muted) hints.push(muted);
    const admin = adminGrants(mad.by, vad.by);
    if (admin.length) {
      hints.push(
        `${joinList(admin)}, but those grant object access only: field permissions must still be given (a classic trap with admin-like integration users).`
      );
    }
    const toGrant = missing.includes("edit") ? "Read and Edit" : "Read";
    const objectLabel = object?.name ?? name.split(".")[0];
    ctx.add({
      reason: "FIELD_PERMISSIONS_MISSING",
      // Without the describe we cannot tell a non-permissionable field from one lacking FLS: do not guess.
      severity: describesKnown ? "error" : "warning",
      subject: name,
      rule: admin.length ? RULES.adminDataPermissionsNoFls : RULES.fieldLevelSecurity,
      message: `${ctx.who} cannot ${missing.includes("read") ? required.includes("edit") ? "read or edit" : "read" : "edit"} ${name}${mapped}: no active profile or permission set gives it ${joinList(missing.map((r) => FIELD_LABEL[r]))} access.${hints.length ? " " + hints.join(" ") : ""}${describesKnown ? "" : " (Sync Doctor read no field definitions, so this may be a field without field-level security.)"}`,
      remedy: mutingFirst(
        mutingRemedy(
          ctx,
          `${joinList(missing.map((r) => FIELD_LABEL[r]))} on ${name}`,
          `Object Settings > ${objectLabel} > Field Permissions`,
          missing.length > 1 ? "them" : "it"
        ),
        `Give the user ${toGrant} on ${name}`,
        `: Object Settings > ${objectLabel} > Field Permissions in ${editableSetHint(ctx)}.`
      )
    });
  }
  for (const [objectName, names] of unjudged2) reportUnjudgedFields(ctx, objectName, names);
  return results;
}
function reportHiddenField(ctx, name, mapped) {
  ctx.add({
    reason: "FIELD_MAPPINGS_MISSING",
    severity: "warning",
    subject: name,
    rule: RULES.sectionAbsent,
    message: `Could not check that ${name}${mapped} exists in this Salesforce org: ${ctx.reader}, the user who read the org, cannot see it, and Salesforce hides such a field from it as if it did not exist.`,
    remedy: `Give ${ctx.reader} Read on ${name} (Object Settings > ${name.split(".")[0]} > Field Permissions in a permission set assigned to it) so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`
  });
}
function reportUnjudgedFields(ctx, objectName, names) {
  const s = names.length > 1 ? "s" : "";
  ctx.add({
    reason: "FIELD_PERMISSIONS_MISSING",
    severity: "warning",
    subject: names.length > 1 ? `${objectName} fields` : names[0],
    rule: RULES.sectionAbsent,
    message: `Could not judge the access of ${ctx.who} to ${joinList(names)}: no permission set of it gives field-level security on ${names.length > 1 ? "them" : "it"}, which is right only for a field without field-level security (a required or system field), and ${ctx.reader}, the user who read the org, cannot see ${names.length > 1 ? "their definitions" : "its definition"} to tell.`,
    remedy: `Give ${ctx.reader} Read on ${objectName} and on the field${s} so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`
  });
}
function adminGrants(modifyAllBy, viewAllBy) {
  const bySource = /* @__PURE__ */ new Map();
  for (const l of modifyAllBy) bySource.set(l, ["Modify All Data"]);
  for (const l of viewAllBy) bySource.set(l, [...bySource.get(l) ?? [], "View All Data"]);
  return [...bySource].map(([label, what]) => `${label} grants ${joinList(what)}`);
}

// packages/core/src/diagnosis/limits.ts
var API_WARNING_RATIO = 0.75;
var STORAGE_WARNING_RATIO = 0.9;
var FIND_API_USERS = `In Salesforce, find which integrations use the org's API calls (Setup > System Overview, or the "API Usage Last 7 Days" report)`;
function result(name, entry2) {
  const used = Math.max(0, entry2.Max - entry2.Remaining);
  return { name, used, max: entry2.Max, ratio: entry2.Max > 0 ? used / entry2.Max : 0 };
}
var HUBSPOT_SHARE_PLACES = `Salesforce counts no calls per connected app without a quota of its own, so HubSpot's share is not in its limits: ${HUBSPOT_SYNC_HEALTH_PLACE} show HubSpot's calls of the last 24 hours under "API calls used".`;
function hubspotShareOf(api, orgUsed) {
  if (orgUsed === 0) return "";
  for (const [app, value] of Object.entries(api)) {
    if (!/hubspot/i.test(app) || typeof value !== "object" || !value || !(value.Max > 0)) continue;
    const used = Math.max(0, value.Max - value.Remaining);
    return ` HubSpot's connected app '${app}' made ${used.toLocaleString("en-US")} of them (${percent(Math.min(1, used / orgUsed))}).`;
  }
  return ` ${HUBSPOT_SHARE_PLACES}`;
}
function judgeLimits(ctx) {
  const limits = ctx.snapshot.limits;
  if (!limits) return [];
  const results = [];
  const api = limits.DailyApiRequests;
  if (api) {
    const r = result("DailyApiRequests", api);
    results.push(r);
    const hubspotShare = hubspotShareOf(api, r.used);
    if (api.Remaining <= 0) {
      ctx.add({
        reason: "API_LIMIT_EXCEEDED",
        severity: "error",
        subject: "DailyApiRequests",
        rule: RULES.apiLimit,
        message: `The org has used all ${api.Max.toLocaleString("en-US")} of its API requests in the last 24 hours: Salesforce refuses HubSpot's calls (REQUEST_LIMIT_EXCEEDED).${hubspotShare}`,
        remedy: `${FIND_API_USERS} and pause the one running away, then wait for the rolling 24-hour window to free calls; during a data migration, ask Salesforce support for a temporary increase.`
      });
    } else if (r.ratio > API_WARNING_RATIO) {
      ctx.add({
        reason: "API_LIMIT_EXCEEDED",
        severity: "warning",
        subject: "DailyApiRequests",
        rule: RULES.apiLimit,
        message: `The org has used ${percent(r.ratio)} of its daily API requests (${r.used.toLocaleString("en-US")} of ${api.Max.toLocaleString("en-US")}); at 100% Salesforce refuses every call and HubSpot suspends the sync.${hubspotShare}`,
        remedy: `${FIND_API_USERS} and slow or pause any that run away before the org reaches 100%.`
      });
    }
    for (const [app, value] of Object.entries(api)) {
      if (typeof value !== "object" || !value || !(value.Max > 0)) continue;
      const appResult = result(`DailyApiRequests.${app}`, value);
      results.push(appResult);
      if (!/hubspot/i.test(app) || value.Max === api.Max) continue;
      if (value.Remaining <= 0 || appResult.ratio > API_WARNING_RATIO) {
        const exhausted = value.Remaining <= 0;
        ctx.add({
          reason: "API_LIMIT_EXCEEDED",
          severity: exhausted ? "error" : "warning",
          subject: appResult.name,
          rule: RULES.connectedAppApiLimit,
          message: exhausted ? `The connected app '${app}' has used all ${value.Max.toLocaleString("en-US")} API requests Salesforce allows it per 24 hours: its calls are refused even though the org has requests left.` : `The connected app '${app}' has used ${percent(appResult.ratio)} of the ${value.Max.toLocaleString("en-US")} API requests Salesforce allows it per 24 hours.`,
          remedy: `In ${HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot" so HubSpot stays under the ${value.Max.toLocaleString("en-US")} calls '${app}' may make, or ask Salesforce support to raise the per-app limit of '${app}'.`
        });
      }
    }
  } else {
    ctx.add({
      reason: "API_LIMIT_EXCEEDED",
      severity: "info",
      subject: "DailyApiRequests",
      rule: RULES.sectionAbsent,
      message: "Sync Doctor read the org's limits but not its daily API requests (DailyApiRequests): the API limit could not be judged.",
      remedy: "Check Setup > Company Information > API Requests, Last 24 Hours."
    });
  }
  for (const name of ["DataStorageMB", "FileStorageMB"]) {
    const entry2 = limits[name];
    if (!entry2) continue;
    const r = result(name, entry2);
    results.push(r);
    const kind = name === "DataStorageMB" ? "data" : "file";
    if (entry2.Remaining <= 0) {
      ctx.add({
        reason: "STORAGE_LIMIT_EXCEEDED",
        severity: "error",
        subject: name,
        rule: RULES.storageLimit,
        message: `The org's ${kind} storage is full (${r.used.toLocaleString("en-US")} of ${entry2.Max.toLocaleString("en-US")} MB): Salesforce refuses new records, so HubSpot cannot create any.`,
        remedy: `Free ${kind} storage (Setup > Storage Usage shows what takes it; delete or archive old records, for example HubSpot-created records you no longer need) or buy more storage.`
      });
    } else if (r.ratio > STORAGE_WARNING_RATIO) {
      ctx.add({
        reason: "STORAGE_LIMIT_EXCEEDED",
        severity: "warning",
        subject: name,
        rule: RULES.storageLimit,
        message: `The org has used ${percent(r.ratio)} of its ${kind} storage (${r.used.toLocaleString("en-US")} of ${entry2.Max.toLocaleString("en-US")} MB); when it is full HubSpot's inserts fail and the sync is suspended.`,
        remedy: `Review Setup > Storage Usage and free ${kind} storage before it runs out.`
      });
    }
  }
  return results;
}

// packages/core/src/diagnosis/connectedApps.ts
var EDIT_POLICIES = (app) => `Setup > Connected Apps > Manage Connected Apps > "${app}" > Edit Policies`;
function judgeConnectedApps(ctx, logins) {
  const section = ctx.snapshot.connectedApps;
  if (!section) return;
  const apps = section.apps.filter((app) => isHubSpotAppName(app.Name));
  if (!apps.length) {
    judgeNotInstalled(ctx, logins);
    return;
  }
  for (const approval of hubSpotAppApprovals(ctx) ?? []) judgeApproval(ctx, approval, logins);
  for (const app of apps) {
    if (app.OptionsHasSessionLevelPolicy === true) judgeHighAssurance(ctx, app);
    judgeRefreshTokenPolicy(ctx, app);
  }
}
function judgeNotInstalled(ctx, logins) {
  if (ctx.sources.profile?.displayName === "System Administrator") return;
  const loggingIn = logins?.lastSuccessAt ? ` HubSpot's current connection is not affected (its last login succeeded at ${minute(logins.lastSuccessAt)}).` : "";
  ctx.add({
    reason: "API_ACCESS_DISABLED",
    severity: "info",
    subject: "HubSpot connected app",
    rule: RULES.connectedAppNotInstalled,
    message: `HubSpot's connected app is not installed in this org.${loggingIn} Since September 2025 Salesforce refuses an uninstalled connected app to every user who had not authorized it before, unless the user holds "Approve Uninstalled Connected Apps": connecting HubSpot as another integration user will be refused until the app is installed.`,
    remedy: 'Before connecting HubSpot as another user: in Setup > Connected Apps OAuth Usage, find HubSpot and click Install, then set its policies in Manage Connected Apps. Or give that user "Approve Uninstalled Connected Apps", which Salesforce advises only for trusted admin and integration users.'
  });
}
function judgeApproval(ctx, approval, logins) {
  const { app, approvedBy, inactive } = approval;
  if (approvedBy.length) return;
  const profile = ctx.sources.profile ? `the profile "${ctx.sources.profile.displayName}"` : "the user's profile";
  const refusal2 = logins?.failingSince ? logins.failures.find(
    (group2) => group2.cause === "app-not-approved" && group2.lastAt === logins.lastAttemptAt
  ) : void 0;
  const consequence = refusal2 ? `Salesforce has refused HubSpot's logins as this user since ${minute(logins.failingSince)} ("${refusal2.status}" ${refusal2.count === 1 ? "once" : `${refusal2.count} times`}, last at ${minute(refusal2.lastAt)})` : `Salesforce refuses HubSpot's logins as this user from its next token refresh on (Login History then shows "Failed: Not approved for access")`;
  ctx.add({
    reason: "API_ACCESS_DISABLED",
    // Headed by what to fix: the user's approval for the app, not the org's API access.
    cause: "CONNECTED_APP_NOT_APPROVED",
    severity: "error",
    subject: app.Name,
    rule: RULES.connectedAppApproval,
    ...refusal2 ? {} : { pending: true },
    message: `The connected app "${app.Name}" admits admin-approved users only, and no active profile or permission set of ${ctx.who} is approved for it${inactive.length ? ` (${joinList(inactive)} would be)` : ""}: ${consequence}.`,
    remedy: `${approveForAppRemedy(ctx.who, profile, `"${app.Name}"`)}${refusal2 ? '; then click "Clear Suspension" in HubSpot so it logs in again' : ""}.`
  });
}
function judgeHighAssurance(ctx, app) {
  ctx.add({
    reason: "API_ACCESS_DISABLED",
    severity: "warning",
    subject: app.Name,
    rule: RULES.connectedAppSessionPolicy,
    message: `The connected app "${app.Name}" requires a high-assurance session. HubSpot logs in unattended by refreshing an OAuth token, which cannot complete multi-factor verification, so Salesforce can refuse its session.`,
    remedy: `In ${EDIT_POLICIES(app.Name)}, under Session Policies, set "High assurance session required" off for HubSpot's app; protect it with IP ranges or the integration user's profile instead.`
  });
}
function judgeRefreshTokenPolicy(ctx, app) {
  const period = app.RefreshTokenValidityPeriod;
  if (period == null) return;
  const afterInactivity = app.OptionsRefreshTokenValidityMetric === true;
  const span2 = `${period} (hours, days or months, as the policy sets)`;
  ctx.add({
    reason: "API_ACCESS_DISABLED",
    severity: afterInactivity ? "info" : "warning",
    subject: app.Name,
    rule: RULES.connectedAppTokenPolicy,
    message: afterInactivity ? `Refresh tokens of "${app.Name}" expire after ${span2} without use. HubSpot uses its token all the time, but a sync stopped longer than that (by another suspension, say) loses its connection and needs reconnecting.` : `Refresh tokens of "${app.Name}" expire ${span2} after they are issued, however often they are used: HubSpot then loses its connection as ${ctx.who} and the sync is suspended until someone reconnects it.`,
    remedy: `In ${EDIT_POLICIES(app.Name)}, under OAuth Policies, set the Refresh Token Policy to "Refresh token is valid until revoked"${afterInactivity ? ", or keep a period longer than any pause of the sync" : ""}.`
  });
}

// packages/core/src/diagnosis/logins.ts
var UNNAMED_APP = /^(n\/a|unknown|)$/i;
var CAUSES2 = [
  // 'API Disabled for User': no active profile or permission set grants "API Enabled".
  [/api\b.*\bdisabled|api\b.*\bnot enabled/i, "api-disabled"],
  [/restricted ip|\bip\b/i, "ip-range"],
  [/restricted time|login hours/i, "login-hours"],
  [/frozen/i, "frozen"],
  [/inactive/i, "inactive"],
  [/lock/i, "lockout"],
  // 'Failed: Not approved for access': the connected app admits admin-approved users only.
  [/not approved|approv/i, "app-not-approved"],
  [/password/i, "password"],
  [/activation|security token|verification|identity/i, "verification"]
];
var BLOCKS_OAUTH = /* @__PURE__ */ new Set([
  "api-disabled",
  "ip-range",
  "login-hours",
  "frozen",
  "inactive",
  "lockout",
  "app-not-approved",
  "other"
]);
var CAUSE_OF = {
  "ip-range": "LOGIN_IP_RESTRICTED",
  "login-hours": "LOGIN_HOURS_RESTRICTED",
  frozen: "USER_FROZEN",
  inactive: "USER_INACTIVE",
  lockout: "USER_LOCKED_OUT",
  "app-not-approved": "CONNECTED_APP_NOT_APPROVED"
};
function causeOf(groups) {
  const causes = new Set(groups.map((group2) => CAUSE_OF[group2.cause]));
  const [cause] = causes;
  return causes.size === 1 && cause ? { cause } : {};
}
function isLoginSuccess(status) {
  return /^\s*success/i.test(status);
}
function loginFailureCause(status) {
  return CAUSES2.find(([pattern]) => pattern.test(status))?.[1] ?? "other";
}
function mayBeHubSpots(login) {
  const app = (login.Application ?? "").trim();
  return UNNAMED_APP.test(app) || isHubSpotAppName(app);
}
function summarize(judged, others) {
  const groups = /* @__PURE__ */ new Map();
  let lastSuccessAt = null;
  for (const login of judged) {
    if (isLoginSuccess(login.Status)) {
      lastSuccessAt ?? (lastSuccessAt = login.LoginTime);
      continue;
    }
    const key = login.Status.trim();
    let group2 = groups.get(key);
    if (!group2) {
      group2 = {
        status: key,
        cause: loginFailureCause(key),
        count: 0,
        lastAt: login.LoginTime,
        sourceIps: []
      };
      groups.set(key, group2);
    }
    group2.count += 1;
    const ip = login.SourceIp?.trim();
    if (ip && group2.sourceIps.length < 3 && !group2.sourceIps.includes(ip)) group2.sourceIps.push(ip);
  }
  let failingSince = null;
  for (const login of judged) {
    if (isLoginSuccess(login.Status)) break;
    failingSince = login.LoginTime;
  }
  return {
    days: LOGIN_HISTORY_DAYS,
    attempts: judged.length,
    otherApplications: others,
    lastAttemptAt: judged[0]?.LoginTime ?? null,
    lastSuccessAt,
    failingSince,
    failures: [...groups.values()]
  };
}
var lowerFirst = (text4) => text4.charAt(0).toLowerCase() + text4.slice(1);
function actionFor(cause) {
  if (cause === "ip-range")
    return {
      action: `Set IP Relaxation of HubSpot's connected app to "Relax IP restrictions" (Setup > App Manager > HubSpot > Manage > Edit Policies), then click "Clear Suspension" in HubSpot.`
    };
  return {};
}
function remedyFor(cause, who, profile) {
  const clear = 'then click "Clear Suspension" in HubSpot so it logs in again.';
  switch (cause) {
    case "api-disabled":
      return `Turn on "API Enabled" (System Permissions) in ${profile} or in a permission set assigned to ${who}; ${clear}`;
    case "ip-range":
      return `Let HubSpot's servers in: in Setup > App Manager, open HubSpot's connected app > Manage > Edit Policies and set IP Relaxation to "Relax IP restrictions", or add HubSpot's addresses to the Login IP Ranges of ${profile} (Setup > Profiles); ${clear}`;
    case "login-hours":
      return `A sync runs around the clock: clear the Login Hours of ${profile} (Setup > Profiles > Login Hours), or give ${who} a profile without them; ${clear}`;
    case "frozen":
      return `Open ${who} in Setup > Users and click Unfreeze; ${clear}`;
    case "inactive":
      return `Reactivate ${who} in Setup > Users; ${clear}`;
    case "lockout":
      return `Open ${who} in Setup > Users and click Unlock. Check the password policy's lockout (Setup > Password Policies, or the profile's: Maximum invalid login attempts, Lockout effective period) and find the client that logs in as ${who} with an old password (Login History shows its address and application) before it locks the user again; ${clear}`;
    case "app-not-approved":
      return `HubSpot's connected app admits admin-approved users only, and ${who} is not among them: ${lowerFirst(approveForAppRemedy(who, profile))}; ${clear}`;
    case "password":
      return `HubSpot signs in with OAuth and sends no password: find the client that uses a wrong password as ${who} by its address and application in Setup > Users > Login History. Repeated failures lock the user out, which stops HubSpot too.`;
    case "verification":
      return `Salesforce asked for identity verification (a security token or a code) for a password login from an unknown network, not for HubSpot's OAuth refresh: find that client in Setup > Users > Login History and give it its own user.`;
    default:
      return `Setup > Users > ${who} > Login History shows each attempt with its status; fix what it names, ${clear}`;
  }
}
function approvalNow(ctx) {
  const approvals = hubSpotAppApprovals(ctx);
  if (!approvals || !ctx.snapshot.connectedApps.apps.some((app) => isHubSpotAppName(app.Name)))
    return null;
  if (approvals.some((approval) => approval.approvedBy.length === 0)) return { missing: true };
  const by = [...new Set(approvals.flatMap((approval) => approval.approvedBy))];
  return {
    missing: false,
    admitted: by.length ? `approved for HubSpot's connected app now (by ${joinList(by)})` : "admitted by HubSpot's connected app now (it lets every user self-authorize)"
  };
}
function apiEnabledNow(ctx) {
  const permission = "PermissionsApiEnabled";
  if (!ctx.permissionsKnown || !ctx.requirements.systemPermissions.includes(permission))
    return null;
  const grant = ctx.system(permission);
  return grant.absent ? null : grant.granted;
}
var RHYTHM_MIN_LOGINS = 4;
var SILENCE_GAPS = 4;
var SILENCE_MIN_MS = 3 * 36e5;
function span(ms) {
  const minutes = Math.round(ms / 6e4);
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(ms / 36e5);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(ms / 864e5)} days`;
}
function every(ms) {
  const hours = ms / 36e5;
  const whole = Math.round(hours);
  if (whole >= 1 && whole < 48 && Math.abs(hours - whole) <= whole / 10)
    return whole === 1 ? "hour" : `${whole} hours`;
  return span(ms);
}
function loginSilenceText(stopped) {
  return `No login for ${span(stopped.silentForMs)}, while HubSpot logged in about every ${every(stopped.usualGapMs)}: its sync has stopped.`;
}
function judgeSilence(ctx, judged, capturedAt, subject) {
  const successes = judged.filter((login) => isLoginSuccess(login.Status)).map((login) => salesforceTime(login.LoginTime)).filter((time) => !Number.isNaN(time));
  if (successes.length < RHYTHM_MIN_LOGINS || Number.isNaN(capturedAt)) return void 0;
  const gaps = successes.slice(1).map((time, i) => successes[i] - time).sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)];
  const silence = capturedAt - successes[0];
  if (usual <= 0 || silence < Math.max(SILENCE_GAPS * usual, SILENCE_MIN_MS)) return void 0;
  const lastLoginAt = judged.find((login) => isLoginSuccess(login.Status)).LoginTime;
  ctx.add({
    reason: "API_ACCESS_DISABLED",
    // Every suspension reason (and a disconnect in HubSpot) stops the logins alike: not API access.
    symptom: "SYNC_STOPPED",
    // A stopped sync is no risk but what the admin came for: it blocks, its cause not known here.
    severity: "error",
    subject,
    rule: RULES.loginsStopped,
    message: `HubSpot has not logged in as ${ctx.who} for ${span(silence)} (last at ${minute(lastLoginAt)}), while before that it logged in about every ${every(usual)}: HubSpot's sync has stopped. HubSpot suspended, paused or disconnected it, or connects as another user now.`,
    action: `Open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why the sync stopped.`,
    remedy: `Open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why: fix the suspension it names (the findings here say how for most), then click "Clear Suspension"; resume a paused sync; if HubSpot shows another Salesforce user, check that user here.`
  });
  return { lastLoginAt, silentForMs: silence, usualGapMs: usual };
}
function judgeLogins(ctx) {
  const logins = ctx.snapshot.logins;
  if (logins == null) return null;
  const capturedAt = salesforceTime(ctx.snapshot.capturedAt);
  const windowStart = capturedAt - LOGIN_HISTORY_DAYS * 864e5;
  const sorted = logins.filter((login) => Number.isNaN(capturedAt) || !(salesforceTime(login.LoginTime) < windowStart)).sort((a, b) => salesforceTime(b.LoginTime) - salesforceTime(a.LoginTime));
  const judged = sorted.filter(mayBeHubSpots);
  const summary = summarize(judged, sorted.length - judged.length);
  const user2 = ctx.snapshot.user;
  const subject = user2?.Username ?? "user";
  const profile = user2?.Profile?.Name ? `the profile "${user2.Profile.Name}"` : "the user's profile";
  const latest = judged[0];
  if (!latest) {
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      // No login at all says the sync is not running as this user, not why.
      symptom: "NO_RECENT_LOGIN",
      severity: "info",
      subject,
      rule: RULES.noRecentLogin,
      message: `HubSpot has not logged in as ${ctx.who} in the last ${LOGIN_HISTORY_DAYS} days${summary.otherApplications ? ` (only other applications did: ${summary.otherApplications} attempts)` : ""}: HubSpot connects as another user, or its connection is suspended or disconnected.`,
      remedy: `In ${HUBSPOT_SALESFORCE_PLACE}, see which Salesforce user HubSpot is connected as, and check that user here.`
    });
    return summary;
  }
  const describe = (group2) => {
    const from = group2.sourceIps.length ? ` from ${joinList(group2.sourceIps)}` : "";
    return `"${group2.status}" ${group2.count === 1 ? "once" : `${group2.count} times`}${from}, last at ${minute(group2.lastAt)}`;
  };
  const lastGood = summary.lastSuccessAt ? `the last successful login was at ${minute(summary.lastSuccessAt)}` : `no login succeeded in the last ${LOGIN_HISTORY_DAYS} days`;
  if (!isLoginSuccess(latest.Status)) {
    const group2 = summary.failures.find((g) => g.status === latest.Status.trim());
    const cause = group2.cause;
    const api = cause === "api-disabled" ? apiEnabledNow(ctx) : null;
    const userSays = cause === "frozen" && user2?.IsFrozen === true || cause === "inactive" && user2?.IsActive === false || // The API Enabled check already says it (API_ACCESS_DISABLED, with which source to fix).
    api === false;
    if (userSays) return summary;
    const approval = cause === "app-not-approved" ? approvalNow(ctx) : null;
    if (approval?.missing) return summary;
    const nowFine = cause === "frozen" && user2?.IsFrozen === false ? "no longer frozen" : cause === "inactive" && user2?.IsActive === true ? "no longer inactive" : api === true ? 'granted "API Enabled" now' : approval && !approval.missing ? approval.admitted : null;
    if (nowFine) {
      ctx.add({
        reason: "API_ACCESS_DISABLED",
        severity: "warning",
        subject,
        // A rule of its own: what is left to do is in HubSpot (planRemediation's HUBSPOT_RULES).
        rule: RULES.loginFailureCleared,
        message: `HubSpot's last login as ${ctx.who} failed at ${minute(latest.LoginTime)} ("${group2.status}"); the user is ${nowFine}, and HubSpot has not logged in since.`,
        remedy: `Re-enter the Salesforce credentials in HubSpot's Salesforce settings, or click "Clear Suspension", so HubSpot logs in again.`
      });
      return summary;
    }
    const run = summary.failingSince ? ` since ${minute(summary.failingSince)}` : "";
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      ...causeOf([group2]),
      severity: BLOCKS_OAUTH.has(cause) ? "error" : "warning",
      subject,
      rule: RULES.loginFailures,
      message: `Salesforce refuses logins as ${ctx.who}${run}: ${describe(group2)}; ${lastGood}.`,
      remedy: remedyFor(cause, ctx.who, profile),
      ...actionFor(cause)
    });
    return summary;
  }
  const stopped = judgeSilence(ctx, judged, capturedAt, subject);
  if (stopped) summary.stopped = stopped;
  const recurring = summary.failures.filter((g) => BLOCKS_OAUTH.has(g.cause));
  const passing = summary.failures.filter((g) => !BLOCKS_OAUTH.has(g.cause));
  if (recurring.length) {
    const first = recurring[0];
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      ...causeOf(recurring),
      severity: "warning",
      subject,
      rule: RULES.loginFailures,
      message: `Salesforce refused logins as ${ctx.who} in the last ${LOGIN_HISTORY_DAYS} days: ${recurring.map(describe).join("; ")}. Logins succeed again (last at ${minute(summary.lastSuccessAt)}), but what refused them may refuse them again.`,
      remedy: remedyFor(first.cause, ctx.who, profile),
      ...actionFor(first.cause)
    });
  }
  if (passing.length) {
    const first = passing[0];
    ctx.add({
      reason: "API_ACCESS_DISABLED",
      severity: "info",
      subject,
      rule: RULES.loginFailures,
      message: `Password logins as ${ctx.who} failed in the last ${LOGIN_HISTORY_DAYS} days: ${passing.map(describe).join("; ")}. HubSpot's own logins succeed.`,
      remedy: remedyFor(first.cause, ctx.who, profile)
    });
  }
  return summary;
}

// packages/core/src/diagnosis/sections.ts
var READ_NONE = {
  user: "Sync Doctor could not read the integration user's record",
  assignments: "Sync Doctor read no permission set assignments",
  objectPermissions: "Sync Doctor read no object permissions",
  fieldPermissions: "Sync Doctor read no field permissions",
  fields: "Sync Doctor read no field definitions",
  limits: "Sync Doctor read none of the org's limits",
  organization: "Sync Doctor could not read the organization's settings"
};
function checkSections(ctx) {
  const s = ctx.snapshot;
  const absent = (section, severity, reason, what, remedy) => ctx.add({
    reason,
    severity,
    subject: section,
    rule: RULES.sectionAbsent,
    message: `${READ_NONE[section]}: ${what}`,
    remedy
  });
  const again = 'Check again as a user with "View Setup and Configuration": Sync Doctor needs it to read this.';
  if (!s.user) {
    absent(
      "user",
      "warning",
      "API_ACCESS_DISABLED",
      "could not judge whether the integration user is active, nor its Marketing User checkbox.",
      again
    );
  }
  if (s.assignments == null) {
    absent(
      "assignments",
      "warning",
      "OBJECT_PERMISSIONS_MISSING",
      "no permission, object right or field right could be judged (not even API Enabled).",
      again
    );
  }
  if (s.assignments != null && s.objectPermissions == null && ctx.requirements.objects.length) {
    absent(
      "objectPermissions",
      "warning",
      "OBJECT_PERMISSIONS_MISSING",
      "object rights could not be judged (only Modify All Data and View All Data were).",
      again
    );
  }
  if (s.assignments != null && s.fieldPermissions == null && ctx.requirements.fields.length) {
    absent(
      "fieldPermissions",
      "warning",
      "FIELD_PERMISSIONS_MISSING",
      "field-level security could not be judged.",
      again
    );
  }
  if (s.fields == null && ctx.requirements.fields.length) {
    absent(
      "fields",
      "info",
      "FIELD_PERMISSIONS_MISSING",
      "without them, deleted, non-permissionable and calculated fields cannot be told apart, so missing field rights are reported as warnings.",
      "Check again so that Sync Doctor reads the field definitions too."
    );
  }
  if (s.limits == null) {
    absent(
      "limits",
      "warning",
      "API_LIMIT_EXCEEDED",
      "API requests and storage could not be judged.",
      `Check Setup > Company Information (API Requests, Last 24 Hours) and Setup > Storage Usage, or check again as a user with "View Setup and Configuration", which Sync Doctor needs to read the org's limits.`
    );
  }
  if (!s.organization) {
    absent(
      "organization",
      "info",
      "OBJECT_PERMISSIONS_MISSING",
      "the org-wide defaults could not be checked, so records hidden by sharing are not reported.",
      again
    );
  }
}

// packages/core/src/diagnosis/sharing.ts
var OWD_FIELD = {
  Account: "DefaultAccountAccess",
  Contact: "DefaultContactAccess",
  Lead: "DefaultLeadAccess",
  Opportunity: "DefaultOpportunityAccess",
  Campaign: "DefaultCampaignAccess",
  Case: "DefaultCaseAccess"
};
function orgWideDefault(org, objectName) {
  const field = OWD_FIELD[objectName];
  if (!field) return void 0;
  const value = org[field];
  if (typeof value !== "string") return void 0;
  if (value === "ControlledByParent" && objectName === "Contact")
    return orgWideDefault(org, "Account");
  return value;
}
function checkSharing(ctx, objects) {
  const org = ctx.snapshot.organization;
  if (!org || !ctx.permissionsKnown) return;
  for (const object of objects) {
    const canonical = Object.keys(OWD_FIELD).find(
      (k) => k.toLowerCase() === object.name.toLowerCase()
    );
    if (!canonical || !object.effective.read) continue;
    const owd = orgWideDefault(org, canonical);
    if (owd === "None" || owd === "Private") {
      if (object.effective.viewAll) {
        if (object.required.includes("edit") && !object.effective.modifyAll)
          ctx.add({
            reason: "OBJECT_PERMISSIONS_MISSING",
            severity: "warning",
            subject: object.name,
            rule: RULES.orgWideDefault,
            message: `The org-wide default for ${canonical} is Private: View All lets ${ctx.who} read every ${canonical}, but it updates only those it owns or that are shared with it read/write (View All grants no edit); other updates from HubSpot fail.`,
            remedy: `Add a sharing rule giving ${ctx.who} Read/Write on the ${canonical} records HubSpot updates (Setup > Sharing Settings), or make the default Public Read/Write.`
          });
        continue;
      }
      ctx.add({
        reason: "OBJECT_PERMISSIONS_MISSING",
        severity: "warning",
        subject: object.name,
        rule: RULES.orgWideDefault,
        message: `The org-wide default for ${canonical} is Private and ${ctx.who} has no View All on it: records it neither owns nor has shared with it are invisible to the sync.`,
        remedy: `Share the ${canonical} records HubSpot must sync with ${ctx.who} (role hierarchy, sharing rules) or give it "View All" on ${canonical}; check Setup > Sharing Settings.`
      });
    } else if (owd === "Read" && object.required.includes("edit") && !object.effective.modifyAll) {
      ctx.add({
        reason: "OBJECT_PERMISSIONS_MISSING",
        severity: "warning",
        subject: object.name,
        rule: RULES.orgWideDefault,
        message: `The org-wide default for ${canonical} is Public Read Only: ${ctx.who} can read every ${canonical} but update only those it owns or that are shared with it read/write; other updates from HubSpot fail.`,
        remedy: `Add a sharing rule giving ${ctx.who} Read/Write on the ${canonical} records HubSpot updates (Setup > Sharing Settings), or make the default Public Read/Write.`
      });
    }
  }
}

// packages/core/src/report/severity.ts
var SEVERITY_ORDER = Object.freeze(["error", "warning", "info"]);
var rank = (severity) => {
  const index = SEVERITY_ORDER.indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
};
function compareSeverity(a, b) {
  return rank(a) - rank(b);
}
function worstSeverityBySubject(findings) {
  const worst = /* @__PURE__ */ new Map();
  for (const finding of findings) {
    const known2 = worst.get(finding.subject);
    if (known2 === void 0 || compareSeverity(finding.severity, known2) < 0)
      worst.set(finding.subject, finding.severity);
  }
  return worst;
}

// packages/core/src/relayed/salesforceNames.ts
var HUBSPOT_OBJECTS = {
  contact: ["Contact", "Lead"],
  contacts: ["Contact", "Lead"],
  kontakt: ["Contact", "Lead"],
  kontakter: ["Contact", "Lead"],
  company: ["Account"],
  companies: ["Account"],
  virksomhed: ["Account"],
  virksomheder: ["Account"],
  deal: ["Opportunity"],
  deals: ["Opportunity"],
  aftale: ["Opportunity"],
  aftaler: ["Opportunity"],
  task: ["Task"],
  tasks: ["Task"],
  opgave: ["Task"],
  opgaver: ["Task"],
  lead: ["Lead"],
  leads: ["Lead"],
  kundeemne: ["Lead"],
  kundeemner: ["Lead"],
  // Salesforce's own names of the objects HubSpot syncs, as an export may name them too.
  account: ["Account"],
  accounts: ["Account"],
  opportunity: ["Opportunity"],
  opportunities: ["Opportunity"],
  user: ["User"],
  users: ["User"],
  campaign: ["Campaign"],
  campaigns: ["Campaign"],
  kampagne: ["Campaign"],
  kampagner: ["Campaign"]
};
var API_NAME2 = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z](?:[A-Za-z0-9]|_(?!_))*){0,2}$/;
var isApiName2 = (name) => API_NAME2.test(name) && !name.endsWith("_");
var salesforceFieldLike = (name) => isApiName2(name) && (/^[A-Z]/.test(name) || /__[a-z]+$/i.test(name));
function salesforceObjects(name) {
  const trimmed = name?.trim();
  if (!trimmed) return [];
  return HUBSPOT_OBJECTS[trimmed.toLowerCase()] ?? (isApiName2(trimmed) ? [trimmed] : []);
}
function syncErrorGroupObjects(g) {
  if (g.reason !== "OBJECT_PERMISSIONS_MISSING" || !g.object) return [];
  const word = g.object.trim();
  const known2 = HUBSPOT_OBJECTS[word.toLowerCase()];
  return [...known2 ?? (isApiName2(word) && /__c$/i.test(word) ? [word] : [])];
}

// packages/core/src/relayed/salesforceErrorText.ts
var NO_SUCH_COLUMN = /No such column '([A-Za-z0-9_]+)' on (?:entity|sobject of type) '?([A-Za-z0-9_]+)'?/gi;
var UNABLE_TO_UPDATE = /Unable to create\/update fields?:\s*([^.\n]*)(\.?)/gi;
var RESTRICTED_PICKLIST_WORDS = [
  "bad value for restricted picklist field",
  "valeur incorrecte pour le champ de liste de sélection restreinte",
  "valor inapropiado para el campo de lista de selección restringida",
  "ungültiger Wert für eingeschränktes Auswahllistenfeld",
  "制限つき選択リスト項目の値が不適切",
  "제한된 선택 목록 필드의 잘못된 값"
];
var PICKLIST_WORDS = RESTRICTED_PICKLIST_WORDS.map(
  (w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
).join("|");
var RESTRICTED_PICKLIST_HEAD = new RegExp(`(?:${PICKLIST_WORDS})\\s?[:：][ \\t]*`, "giu");
var BULK_FIELDS = /^[A-Za-z0-9_]+(?:,[ \t]*[A-Za-z0-9_]+)*$/;
var isBlank = (c) => c === " " || c === "	";
var inBulkFields = (c) => /[A-Za-z0-9_, \t]/.test(c);
function blanksStart(line2, end) {
  let at = end;
  while (at > 0 && isBlank(line2[at - 1])) at--;
  return at;
}
function picklistRefusal(line2) {
  const end = blanksStart(line2, line2.length);
  if (line2[end - 1] === "]") {
    const close = end - 1;
    for (let open = line2.indexOf("[", line2.lastIndexOf("]", close - 1) + 1); open >= 0 && open < close; open = line2.indexOf("[", open + 1)) {
      const colon = blanksStart(line2, open) - 1;
      if (line2[colon] === ":" || line2[colon] === "：")
        return {
          value: line2.slice(0, blanksStart(line2, colon)),
          brackets: line2.slice(open + 1, close)
        };
    }
  } else if (line2.endsWith("--", end)) {
    const namesEnd = blanksStart(line2, end - 2);
    let namesStart = namesEnd;
    while (namesStart > 0 && inBulkFields(line2[namesStart - 1])) namesStart--;
    const names = line2.slice(namesStart, namesEnd);
    if (namesEnd < end - 2 && line2[namesStart - 1] === ":" && BULK_FIELDS.test(names))
      return { value: line2.slice(0, blanksStart(line2, namesStart - 1)), bulk: names };
  }
  return { value: line2.slice(0, end) };
}
function picklistRefusals(text4) {
  const found = [];
  const head = new RegExp(RESTRICTED_PICKLIST_HEAD);
  for (let match = head.exec(text4); match; match = head.exec(text4)) {
    const from = match.index + match[0].length;
    const lineEnd = text4.indexOf("\n", from);
    found.push(picklistRefusal(text4.slice(from, lineEnd < 0 ? text4.length : lineEnd)));
    if (lineEnd < 0) break;
    head.lastIndex = lineEnd + 1;
  }
  return found;
}
var RESTRICTED_PICKLIST_TEXT = new RegExp(`(?:${PICKLIST_WORDS})\\s?[:：]`, "iu");
function mentionsRestrictedPicklist(text4) {
  return typeof text4 === "string" && RESTRICTED_PICKLIST_TEXT.test(text4.normalize("NFC"));
}
var CUT = /(?:…|\.\.\.)$/;
function refusedPicklistValues(text4) {
  if (typeof text4 !== "string" || text4 === "") return [];
  const values = /* @__PURE__ */ new Set();
  for (const { value } of picklistRefusals(text4.normalize("NFC"))) {
    const one = value.trim();
    if (one !== "" && !CUT.test(one)) values.add(one);
  }
  return [...values];
}
var INACTIVE_OWNER = /inactive user \[(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\]/;
function inactiveOwnerId(text4) {
  return typeof text4 === "string" ? INACTIVE_OWNER.exec(text4)?.[1] ?? null : null;
}
var VALIDATION_CODE = /FIELD_CUSTOM_VALIDATION_EXCEPTION\s*[,:：\-–]?\s*/;
var REST_OF_LINE = /^.*/;
var BRACKETS_BELOW = /^\s*\[[^\]\n]*\]\s*(?:\n|$)/;
var ENDS_IN_COLON = /[:：]$/;
function messageOfLine(line2, after) {
  const text4 = line2.trimEnd();
  if (text4.endsWith("]")) {
    const open = text4.indexOf("[", text4.lastIndexOf("]", text4.length - 2) + 1);
    if (open >= 0) {
      const before = text4.slice(0, open).trimEnd();
      return (ENDS_IN_COLON.test(before) ? before.slice(0, -1) : before).trimEnd();
    }
  }
  return ENDS_IN_COLON.test(text4) && BRACKETS_BELOW.test(after) ? text4.slice(0, -1).trimEnd() : text4;
}
var comparableMessage = (s) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
function validationExceptionMessage(text4) {
  if (typeof text4 !== "string") return null;
  const code = VALIDATION_CODE.exec(text4);
  if (!code) return null;
  const rest = text4.slice(code.index + code[0].length);
  const line2 = REST_OF_LINE.exec(rest)[0];
  const message = messageOfLine(line2, rest.slice(line2.length)).trim();
  return message ? message : null;
}
var isDuplicateRuleRefusal = (text4) => typeof text4 === "string" && /\bDUPLICATES_DETECTED\b/.test(text4);
function syncErrorRowDetail(message) {
  const owner = inactiveOwnerId(message)?.slice(0, 15);
  if (owner) return owner;
  if (mentionsRestrictedPicklist(message)) return refusedPicklistValues(message).join("\0");
  const refusal2 = validationExceptionMessage(message);
  if (refusal2) return comparableMessage(refusal2);
  return isDuplicateRuleRefusal(message) ? "DUPLICATES_DETECTED" : "";
}
function fieldsInSalesforceMessage(text4) {
  if (typeof text4 !== "string" || text4 === "") return [];
  const named = [];
  for (const [, field = "", object = ""] of text4.matchAll(NO_SUCH_COLUMN))
    if (isApiName2(field) && isApiName2(object)) named.push({ object, field });
  for (const match of text4.matchAll(UNABLE_TO_UPDATE)) {
    const names = match[1].split(",").map((n) => n.trim());
    const runsToCut = match[2] === "" && /…\s*$/.test(text4);
    if (runsToCut) names.pop();
    for (const field of names) if (isApiName2(field)) named.push({ object: null, field });
  }
  for (const { brackets, bulk } of picklistRefusals(text4.normalize("NFC")))
    for (const field of (brackets ?? bulk ?? "").split(",").map((n) => n.trim()))
      if (isApiName2(field)) named.push({ object: null, field });
  return named;
}

// packages/core/src/relayed/syncErrors.ts
var SYNC_ERRORS_LIMITS = {
  /** Characters of the long text area Sync_Errors__c. */
  json: 32768,
  /** Groups kept at most; the rest are counted in groupsLeftOut. */
  groups: 50,
  /** Characters of each group's text (error type, object, field, example) kept. */
  text: 255
};
var isReason = (value) => typeof value === "string" && Object.hasOwn(SUSPENSION_REASONS, value);
function clip(value) {
  if (typeof value !== "string") return null;
  const text4 = value.trim();
  if (text4 === "") return null;
  const chars = Array.from(text4);
  return chars.length <= SYNC_ERRORS_LIMITS.text ? text4 : `${chars.slice(0, SYNC_ERRORS_LIMITS.text - 1).join("")}…`;
}
var count = (value) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
function group(entry2) {
  if (!entry2 || typeof entry2 !== "object") return null;
  const e = entry2;
  const n = count(e.count);
  const errorType = clip(e.errorType);
  if (n === null || errorType === null) return null;
  return {
    reason: isReason(e.reason) ? e.reason : null,
    errorType,
    object: clip(e.object),
    field: clip(e.field),
    count: n,
    example: clip(e.example),
    ...relayedRules(e.validationRules)
  };
}
function relayedRules(value) {
  if (!Array.isArray(value)) return {};
  const rules = [];
  for (const entry2 of value.slice(0, 5)) {
    if (!entry2 || typeof entry2 !== "object") continue;
    const { object, name } = entry2;
    if (typeof object === "string" && typeof name === "string" && isApiName2(object) && isApiName2(name))
      rules.push({ object, name });
  }
  return { validationRules: rules };
}
var PERMISSION_REASONS = /* @__PURE__ */ new Set([
  "FIELD_PERMISSIONS_MISSING",
  "OBJECT_PERMISSIONS_MISSING"
]);
var permissionFirst = (g) => PERMISSION_REASONS.has(g.reason ?? "") ? 0 : 1;
var byImportance = (a, b) => permissionFirst(a) - permissionFirst(b) || b.count - a.count;
var fieldGroups = (groups) => groups.filter((g) => g.reason === "FIELD_PERMISSIONS_MISSING").length;
function summarizeSyncErrors(report, receivedAt) {
  const groups = report.findings.map(group).filter((g) => g !== null).sort(byImportance);
  const kept = groups.slice(0, SYNC_ERRORS_LIMITS.groups);
  const truncated = report.truncatedGroups === true ? 1 : 0;
  return {
    receivedAt,
    rows: count(report.rows) ?? kept.reduce((sum, g) => sum + g.count, 0),
    groups: kept,
    groupsLeftOut: groups.length - kept.length + truncated,
    fieldGroupsLeftOut: fieldGroups(groups) - fieldGroups(kept) + truncated,
    ...count(report.records) === null ? {} : { records: count(report.records) }
  };
}
function syncErrorsJson(summary) {
  if (!summary) return null;
  const groups = [...summary.groups];
  let leftOut = summary.groupsLeftOut;
  let fieldLeftOut = summary.fieldGroupsLeftOut ?? 0;
  for (; ; ) {
    const json = JSON.stringify({
      ...summary,
      groups,
      groupsLeftOut: leftOut,
      fieldGroupsLeftOut: fieldLeftOut
    });
    if (json.length <= SYNC_ERRORS_LIMITS.json || groups.length === 0) return json;
    if (groups.pop()?.reason === "FIELD_PERMISSIONS_MISSING") fieldLeftOut += 1;
    leftOut += 1;
  }
}
function parseSyncErrors(value) {
  let parsed = value;
  if (typeof value === "string") {
    if (value.trim() === "") return null;
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const p = parsed;
  const receivedAt = typeof p.receivedAt === "string" ? p.receivedAt : null;
  const rows2 = count(p.rows);
  if (!receivedAt || Number.isNaN(Date.parse(receivedAt)) || rows2 === null) return null;
  if (!Array.isArray(p.groups)) return null;
  const all = p.groups.map(group).filter((g) => g !== null);
  const groups = all.slice(0, SYNC_ERRORS_LIMITS.groups);
  return {
    receivedAt,
    rows: rows2,
    groups,
    ...count(p.records) === null ? {} : { records: count(p.records) },
    groupsLeftOut: (count(p.groupsLeftOut) ?? 0) + (all.length - groups.length),
    fieldGroupsLeftOut: (count(p.fieldGroupsLeftOut) ?? 0) + fieldGroups(all) - fieldGroups(groups)
  };
}
function currentSyncErrors(status) {
  const syncErrors = parseSyncErrors(status?.syncErrors);
  if (!syncErrors || status?.state !== "cleared") return syncErrors;
  const cleared = status.clearedAt ? salesforceTime(status.clearedAt) : Number.NaN;
  if (Number.isNaN(cleared)) return syncErrors;
  return salesforceTime(syncErrors.receivedAt) > cleared ? syncErrors : null;
}

// packages/core/src/relayed/syncErrorFields.ts
var CUSTOM_FIELD = /__[a-z]+$/i;
function groupChoices(g) {
  const column = fromFieldColumn(g)[0];
  const fromColumn = column && { ...column, sure: CUSTOM_FIELD.test(column.field) };
  const named = fieldsInSalesforceMessage(g.example).map((n) => ({
    objects: n.object ? [n.object] : salesforceObjects(g.object),
    field: n.field,
    sure: true
  }));
  if (fromColumn) {
    const same2 = named.findIndex((n) => n.field.toLowerCase() === fromColumn.field.toLowerCase());
    if (same2 > 0) named.unshift(...named.splice(same2, 1));
    else if (same2 < 0 && (!named.length || /…\s*$/.test(g.example ?? ""))) named.push(fromColumn);
  }
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const { objects, field, sure } of named) {
    const names = objects.map((object) => `${object}.${field}`);
    const key = names.join(" ").toLowerCase();
    if (names.length && !seen.has(key)) {
      seen.add(key);
      out.push({ names, sure });
    }
  }
  return out;
}
function syncErrorFieldCandidates(g) {
  return groupChoices(g).map((c) => c.names);
}
function fromFieldColumn(g) {
  const field = g.field?.trim();
  if (!field) return [];
  const dot = field.indexOf(".");
  const name = dot >= 0 ? field.slice(dot + 1) : field;
  if (!salesforceFieldLike(name)) return [];
  return [{ objects: salesforceObjects(dot >= 0 ? field.slice(0, dot) : g.object), field: name }];
}
function syncErrorFieldName(g) {
  return syncErrorFieldCandidates(g)[0]?.[0] ?? null;
}
function fieldChoices(syncErrors) {
  const byKey = /* @__PURE__ */ new Map();
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (g.reason !== "FIELD_PERMISSIONS_MISSING") continue;
    for (const choice of groupChoices(g)) {
      const key = choice.names.join(" ").toLowerCase();
      const known2 = byKey.get(key);
      if (known2) known2.sure || (known2.sure = choice.sure);
      else byKey.set(key, { ...choice });
    }
  }
  const alone = new Set(
    [...byKey.values()].filter((c) => c.names.length === 1).map((c) => c.names[0].toLowerCase())
  );
  return [...byKey.values()].flatMap((c) => {
    if (c.names.length === 1) return [c];
    const names = c.names.filter((name) => !alone.has(name.toLowerCase()));
    return names.length ? [{ names, sure: c.sure }] : [];
  });
}
function syncErrorFieldChoices(syncErrors) {
  return fieldChoices(syncErrors).map((c) => c.names);
}
function syncErrorSureFieldChoices(syncErrors) {
  return fieldChoices(syncErrors).filter((c) => c.sure).map((c) => c.names);
}
function syncErrorFieldNames(syncErrors) {
  const names = /* @__PURE__ */ new Map();
  for (const choice of syncErrorFieldChoices(syncErrors))
    for (const name of choice)
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  return [...names.values()];
}
function syncErrorFieldRequirements(syncErrors) {
  return fieldChoices(syncErrors).flatMap(
    ({ names, sure }) => names.map(
      (name) => names.length > 1 || !sure ? { name, access: ["read", "edit"], ifExists: true } : { name, access: ["read", "edit"] }
    )
  );
}

// packages/core/src/relayed/syncErrorKinds.ts
var BY_CODE = {
  INVALID_FIELD_FOR_INSERT_UPDATE: "field-permission",
  INVALID_FIELD: "field-permission",
  INSUFFICIENT_ACCESS_OR_READONLY: "record-access",
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: "record-access",
  INVALID_CROSS_REFERENCE_KEY: "record-access",
  ENTITY_IS_DELETED: "record-access",
  // A converted lead is read-only to users without "View and Edit Converted Leads".
  CANNOT_UPDATE_CONVERTED_LEAD: "record-access",
  FIELD_CUSTOM_VALIDATION_EXCEPTION: "custom-code",
  CANNOT_EXECUTE_FLOW_TRIGGER: "custom-code",
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: "custom-code",
  DUPLICATES_DETECTED: "duplicate",
  DUPLICATE_VALUE: "duplicate",
  DUPLICATE_EXTERNAL_ID: "duplicate",
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: "picklist",
  STRING_TOO_LONG: "value",
  REQUIRED_FIELD_MISSING: "value",
  INVALID_EMAIL_ADDRESS: "value",
  NUMBER_OUTSIDE_VALID_RANGE: "value",
  FIELD_INTEGRITY_EXCEPTION: "value",
  INVALID_TYPE_ON_FIELD_IN_RECORD: "value",
  MALFORMED_ID: "value",
  // A lookup filter refused the related record: a value to correct, not code to change.
  FIELD_FILTER_VALIDATION_EXCEPTION: "value",
  INACTIVE_OWNER_OR_USER: "owner",
  TRANSFER_REQUIRES_READ: "owner",
  UNABLE_TO_LOCK_ROW: "record-lock",
  ENTITY_IS_LOCKED: "record-lock"
};
var CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;
var RAISED_IN_CODE = /execution of (?:before|after) ?(?:insert|update|delete|undelete)|caused by: System\.|first exception on row|the flow tried to|failed to trigger a flow|\bprocess failed\b/i;
var APEX_TRIGGER = /apex trigger\b/i;
var CAUSED_EXCEPTION = /\bcaused an unexpected exception/i;
function raisedInApexTrigger(text4) {
  if (!APEX_TRIGGER.test(text4)) return false;
  for (const line2 of text4.split(/[\n\r\u2028\u2029]/)) {
    const at = line2.search(APEX_TRIGGER);
    if (at >= 0 && CAUSED_EXCEPTION.test(line2.slice(at + "apex trigger".length))) return true;
  }
  return false;
}
var TOKEN = /[^\s,;:'"()[\]]+/g;
var NOT_WORD = /[_@]/;
var withoutNotWords = (text4) => text4.replace(TOKEN, (token) => NOT_WORD.test(token) ? " " : token);
var MESSAGE_PHRASES = [
  {
    kind: "field-permission",
    phrases: [
      "field permission",
      "field level security",
      "felttilladelse",
      "tilladelse til salesforce feltet",
      "no such column"
    ]
  },
  {
    kind: "record-access",
    phrases: [
      "insufficient access",
      "missing salesforce record",
      "utilstraekkelig adgang",
      "manglende salesforce post",
      "entity is deleted",
      "converted lead"
    ]
  },
  { kind: "object-permission", phrases: ["object permission", "objekttilladelse"] },
  {
    kind: "owner",
    phrases: [
      "inactive owner",
      "inactive user",
      "owner is inactive",
      "operation performed with inactive user",
      "new owner must have read"
    ]
  },
  {
    kind: "record-lock",
    phrases: ["unable to obtain exclusive access", "record is locked", "locked for approval"]
  },
  { kind: "picklist", phrases: ["picklist", "bad value for restricted picklist"] },
  {
    kind: "duplicate",
    phrases: [
      "duplicate",
      "duplikat",
      "email already in use",
      "e mail already in use",
      "e mail allerede i brug",
      "email allerede i brug"
    ]
  },
  {
    kind: "value",
    phrases: [
      "required field",
      "data value too large",
      "value too long",
      "invalid email",
      "invalid number",
      "invalid date",
      "invalid value",
      "field format",
      "mismatched type"
    ]
  },
  { kind: "association", phrases: ["association limit", "waiting for account"] },
  {
    kind: "custom-code",
    phrases: [
      "custom code",
      "validation rule",
      "valideringsregel",
      "apex trigger",
      "apex class",
      "process builder"
    ]
  }
];
var ERROR_TYPE_PHRASES = MESSAGE_PHRASES.map(({ kind, phrases }) => ({
  kind,
  phrases: kind === "custom-code" ? [...phrases, "flow", "apex", "trigger", "automation"] : kind === "association" ? [...phrases, "association", "tilknytning"] : phrases
}));
var LABELS2 = {
  "field-permission": "Field permission",
  "object-permission": "Object permission",
  "record-access": "Record access or a missing record",
  association: "Associations",
  "custom-code": "Custom code in Salesforce",
  duplicate: "Duplicates",
  picklist: "Picklist value",
  value: "Field value",
  owner: "Inactive owner",
  "record-lock": "Record locked",
  suspension: "Suspension",
  other: "Other"
};
var SYNC_ERROR_KINDS = Object.freeze(
  Object.keys(LABELS2)
);
function kindOfCode(text4) {
  const code = CODE.exec(text4)?.[0];
  return code ? BY_CODE[code] ?? null : null;
}
function kindOfWords(text4, list) {
  if (text4 === "") return null;
  const normalized = normalizeText(withoutNotWords(text4));
  for (const { kind, phrases } of list)
    if (phrases.some((phrase) => normalized.includes(` ${phrase}`))) return kind;
  return null;
}
var STATE_COUNTRY_WORDS = /problem with this (?:state|country)|isn[’']t an available (?:state|country)/i;
var STATE_OR_COUNTRY = new RegExp(`(?:State|Country)Code\\b|${STATE_COUNTRY_WORDS.source}`, "i");
var STATE_COUNTRY_ADVICE = `The org uses Salesforce's State and Country/Territory Picklists, which take only the states and countries in their list: turn on HubSpot's sync of state and country picklists (HubSpot's article "Sync Salesforce state and country picklists with HubSpot state/region and country properties"), or add the value in Setup > State and Country/Territory Picklists, and correct the records' values.`;
function syncErrorKind(group2) {
  const errorType = typeof group2.errorType === "string" ? group2.errorType : "";
  const example = typeof group2.example === "string" ? group2.example : "";
  const text4 = `${errorType}
${example}`;
  if (RAISED_IN_CODE.test(text4) || raisedInApexTrigger(text4)) return "custom-code";
  const byWords = kindOfCode(text4) ?? // Salesforce's own words for a refused picklist value, in any language it is read in.
  (mentionsRestrictedPicklist(example) ? "picklist" : null) ?? (STATE_COUNTRY_WORDS.test(example) ? "value" : null) ?? kindOfWords(errorType, ERROR_TYPE_PHRASES) ?? kindOfWords(example, MESSAGE_PHRASES);
  if (byWords) return byWords;
  if (group2.reason === "FIELD_PERMISSIONS_MISSING") return "field-permission";
  if (group2.reason === "OBJECT_PERMISSIONS_MISSING") return "object-permission";
  if (group2.reason) return "suspension";
  return "other";
}
var fieldNames = (g) => {
  const names = syncErrorFieldCandidates(g).map((choices) => choices.join(" or "));
  return names.length ? names.join(", ") : null;
};
var objectNames = (g) => {
  const objects = syncErrorGroupObjects({ reason: "OBJECT_PERMISSIONS_MISSING", object: g.object });
  return objects.length ? objects.join(" and ") : null;
};
function isActivity(object) {
  return typeof object === "string" && /^(?:task|event|call|meeting|e-?mail|note|engagement|activit(?:y|ie))s?$/i.test(object.trim());
}
var INACTIVE_OWNERS_SETTING = `Setup > User Interface > 'Enable "Set Audit Fields upon Record Creation" and "Update Records with Inactive Owners" User Permissions'`;
function advice(kind, g) {
  switch (kind) {
    case "field-permission": {
      const fields = fieldNames(g);
      if (fields)
        return `Give the integration user read and edit access to ${fields} (field-level security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.`;
      return g.field ? `Find the Salesforce field HubSpot's "${g.field}"${g.object ? ` (${g.object})` : ""} is mapped to, and give the integration user read and edit access to it (field-level security).` : "Give the integration user read and edit access to the field the errors name (field-level security).";
    }
    case "object-permission": {
      const objects = objectNames(g);
      return `Give the integration user read and edit access to ${objects ?? "the object"} and to the objects its lookups reach.`;
    }
    case "record-access": {
      const objects = objectNames(g);
      return `${objects ? `Check that the integration user can read and edit ${objects}. If it can, ` : "If the integration user can read and edit the object, "}HubSpot wrote a value or a link Salesforce refused: most often a lookup to a record the integration user cannot see (share it through a role or a sharing rule, or give View All and Modify All on the object), one deleted or merged, or a converted lead (read-only without "View and Edit Converted Leads"). Open the affected records and correct the value or the association.`;
    }
    case "association":
      return "The records wait for a related record to sync, or reached HubSpot's association limit: import the Salesforce accounts into HubSpot, or remove or move associations.";
    case "custom-code": {
      if (validationExceptionMessage(g.example)) {
        const objects = syncErrorGroupObjects({ ...g, reason: "OBJECT_PERMISSIONS_MISSING" });
        const whose = objects.length ? objects.map((o) => `${o}'s`).join(" or ") : "the object's";
        return `A validation rule (or a flow's Custom Error) refused the record with this message; Salesforce names the rule only by its message, so look for it among ${whose} Validation Rules (Setup > Object Manager). Correct the records' values; or, if HubSpot's updates should pass, exempt the integration user: add NOT($Permission.Bypass_Validation) to the rule's formula (AND) and grant that custom permission in a permission set assigned to the integration user. No field or object permission fixes it.`;
      }
      return "A flow, trigger or Apex in Salesforce refused the record; the message names it. Ask the Salesforce admin to let the integration user's update through (or to fix the automation), not to change permissions.";
    }
    case "duplicate":
      if (isDuplicateRuleRefusal(g.example))
        return "A Salesforce duplicate rule refused the record as a duplicate of one already there. A rule refuses HubSpot's writes when it blocks, and also when it only alerts, since an API write is refused unless it asks to save anyway. Merge the duplicates in Salesforce; or, if HubSpot's records should pass, add a condition to the rule that leaves out the integration user (Current User: Username not equal to it) in Setup > Duplicate Management > Duplicate Rules.";
      return "A Salesforce duplicate rule matched, a unique or external-ID field already holds the value, or the e-mail address is already on another HubSpot contact: check the duplicate rule's matching rules in Salesforce, or merge the records.";
    case "picklist":
      if (STATE_OR_COUNTRY.test(`${g.field ?? ""}
${g.example ?? ""}`))
        return STATE_COUNTRY_ADVICE;
      return "HubSpot sent a value the Salesforce picklist does not have: add the value to the picklist (and its record types) or change the HubSpot property's options to match.";
    case "value":
      if (STATE_OR_COUNTRY.test(`${g.field ?? ""}
${g.example ?? ""}`))
        return STATE_COUNTRY_ADVICE;
      return "Salesforce refused a value HubSpot sent (too long, a required field left empty, a wrong format, a lookup filter): correct the field mapping or the records' values.";
    case "owner":
      return `The records' Salesforce owner is inactive: give them an active owner, or map the HubSpot owner to an active Salesforce user.${isActivity(g.object) ? "" : ` Records that must keep their owner need the integration user to have "Update Records with Inactive Owners": turn on ${INACTIVE_OWNERS_SETTING}, then grant only that permission in a permission set assigned to the integration user (leave "Set Audit Fields upon Record Creation" off).`}`;
    case "record-lock":
      return "Another update (a bulk job, a flow) held the records locked at that moment, or an approval process locks them: resync once the other job is done, or have the approval finished or recalled. If it keeps happening, find the automation that updates the same records at the same time.";
    case "suspension": {
      const reason = g.reason ? SUSPENSION_REASONS[g.reason] : void 0;
      return reason?.remedy[0] ?? reason?.meaning ?? "See the suspension steps above.";
    }
    case "other":
      return "Open the affected records from HubSpot's Sync Health tab and correct what the message says.";
  }
}
function syncErrorGroupNames(group2, kind = syncErrorKind(group2)) {
  const fields = [...new Set(syncErrorFieldCandidates(group2).flat())];
  const fieldKind = kind === "field-permission" || kind === "picklist" || group2.reason === "FIELD_PERMISSIONS_MISSING";
  const objectKind = kind === "object-permission" || kind === "record-access" || group2.reason === "OBJECT_PERMISSIONS_MISSING";
  return {
    fields,
    checked: fieldKind ? fields : [],
    objects: objectKind ? syncErrorGroupObjects({ reason: "OBJECT_PERMISSIONS_MISSING", object: group2.object }) : [],
    values: kind === "picklist" ? refusedPicklistValues(group2.example) : []
  };
}
function syncErrorKindInfo(group2) {
  const kind = syncErrorKind(group2);
  return { kind, label: LABELS2[kind], advice: advice(kind, group2) };
}
var SYNC_ERRORS_RESYNC = "Once a group is fixed, select its errors in HubSpot's Sync Health tab and click Resync.";

// packages/core/src/relayed/validationRules.ts
var text = (v) => typeof v === "string" && v.trim() !== "" ? v.trim() : void 0;
function validationRuleFacts(records2) {
  if (!Array.isArray(records2)) return void 0;
  const facts = [];
  for (const r of records2) {
    if (!r || typeof r !== "object" || r.Active === false) continue;
    const object = text(r.EntityDefinition?.QualifiedApiName);
    const name = text(r.ValidationName);
    const message = text(r.ErrorMessage);
    if (!object || !name || !message) continue;
    const field = text(r.ErrorDisplayField);
    facts.push({ object, name, message, ...field ? { field } : {} });
  }
  return facts;
}
var normal = comparableMessage;
var CUT2 = /(?:…|\.\.\.)\s*$/;
function holds(said, message) {
  const at = said.indexOf(message);
  if (message.length < 4 || at < 0) return false;
  const edge = (c) => c === void 0 || !/[\p{L}\p{N}]/u.test(c);
  return edge(said[at - 1]) && edge(said[at + message.length]);
}
function unstopped(s) {
  let end = s.length;
  while (end > 0 && STOPS.includes(s[end - 1])) end--;
  return s.slice(0, end);
}
var STOPS = ".。!";
function validationRulesSending(example, rules) {
  if (typeof example !== "string" || CUT2.test(example)) return [];
  const refusal2 = validationExceptionMessage(example);
  if (refusal2) {
    const said2 = unstopped(normal(refusal2));
    return rules.filter((rule) => unstopped(normal(rule.message)) === said2);
  }
  const said = normal(example);
  const found = rules.filter((rule) => holds(said, normal(rule.message)));
  const longest = Math.max(0, ...found.map((r) => normal(r.message).length));
  return found.filter((r) => normal(r.message).length === longest);
}
var ruleNames = (rules) => joinList(
  rules.map((r) => `${r.object}'s ${r.name}`),
  "and"
);
var rulesPlace = (rules) => {
  const objects = [...new Set(rules.map((r) => r.object))];
  return `Setup > Object Manager > ${joinList(objects, "and")} > Validation Rules`;
};
var WORDS = {
  now: {
    lead: "Now:",
    sends: "sends",
    send: "send",
    does: "does",
    do: "do",
    changed: "since the export, and then a resync is all these records need"
  },
  relayed: {
    lead: "When the export arrived,",
    sends: "sent",
    send: "sent",
    does: "did",
    do: "did",
    changed: "before the export arrived"
  }
};
function validationRuleNow(group2, rules) {
  const example = group2.example;
  if (typeof example !== "string" || CUT2.test(example)) return null;
  let sending;
  let w;
  if (rules) [sending, w] = [validationRulesSending(example, rules), WORDS.now];
  else if (group2.validationRules) [sending, w] = [group2.validationRules, WORDS.relayed];
  else return null;
  const objects = syncErrorGroupObjects({
    reason: "OBJECT_PERMISSIONS_MISSING",
    object: group2.object
  });
  const own = (r) => objects.some((o) => o.toLowerCase() === r.object.toLowerCase());
  const onObject = objects.length ? sending.filter(own) : sending;
  if (onObject.length) {
    const several = onObject.length > 1;
    return {
      ok: false,
      text: `${w.lead} ${several ? "the active validation rules" : "the active validation rule"} ${ruleNames(onObject)} ${several ? w.send : w.sends} this message (${rulesPlace(onObject)}).`
    };
  }
  if (sending.length) {
    const onObjects = ` on ${joinList(objects, "or")}`;
    const elsewhere = [...new Set(sending.map((r) => r.object))];
    const several = sending.length > 1;
    return {
      ok: false,
      text: `${w.lead} no validation rule${onObjects} ${w.sends} this message, but the active ${several ? "rules" : "rule"} ${ruleNames(sending)} ${several ? w.do : w.does}: a flow or trigger that updates ${joinList(elsewhere, "or")} when HubSpot writes the record meets it (${rulesPlace(sending)}).`
    };
  }
  if (!validationExceptionMessage(example)) return null;
  return {
    ok: false,
    text: `${w.lead} no active validation rule ${w.sends} this message, so a flow's Custom Error element or Apex (a trigger's addError) ${w.does}; or the rule was turned off or reworded ${w.changed}.`
  };
}
var RULES_KEPT = 5;
function withValidationRules(summary, records2) {
  const facts = validationRuleFacts(records2);
  if (!facts) return summary;
  const groups = summary.groups.map((g) => {
    if (syncErrorKind(g) !== "custom-code" || !g.example || CUT2.test(g.example)) return g;
    const sending = validationRulesSending(g.example, facts);
    if (sending.length === 0 && !validationExceptionMessage(g.example)) return g;
    return {
      ...g,
      validationRules: sending.slice(0, RULES_KEPT).map(({ object, name }) => ({ object, name }))
    };
  });
  return { ...summary, groups };
}

// packages/core/src/relayed/duplicateRules.ts
var DUPLICATE_RULES_PLACE = "Setup > Duplicate Management > Duplicate Rules";
var CONDITIONS_MAY_EXEMPT = [
  "Its conditions may already leave out the integration user (Current User: Username not equal to it): if they do, it refuses none of HubSpot's writes.",
  "Their conditions may already leave out the integration user (Current User: Username not equal to it): a rule whose conditions do refuses none of HubSpot's writes."
];
var ALERT_REFUSES = "a rule that alerts refuses an API write as a block does, unless the write asks to save anyway";
var text2 = (v) => typeof v === "string" && v.trim() !== "" ? v.trim() : void 0;
function refusal(action, operations) {
  if (action === void 0) return "unread";
  if (action === "Block") return "block";
  if (action === "Allow" && Array.isArray(operations) && operations.includes("Alert"))
    return "alert";
  return null;
}
function duplicateRuleFacts(configs) {
  if (!Array.isArray(configs)) return void 0;
  const read = [];
  for (const c of configs) {
    const object = c && typeof c === "object" ? text2(c.apiName) : void 0;
    if (!object) continue;
    const rules = [];
    for (const r of Array.isArray(c.duplicateRules) ? c.duplicateRules : []) {
      const rule = r;
      const name = rule && typeof rule === "object" ? text2(rule.name) : void 0;
      if (!name || rule.active === false) continue;
      rules.push({
        name,
        onCreate: refusal(rule.actionOnInsert, rule.operationsOnInsert),
        onEdit: refusal(rule.actionOnUpdate, rule.operationsOnUpdate),
        ...Array.isArray(rule.duplicateRuleFilters) && rule.duplicateRuleFilters.length > 0 ? { conditions: true } : {}
      });
    }
    read.push({ object, rules });
  }
  return read;
}
function groupObjects(object) {
  return syncErrorGroupObjects({ reason: "OBJECT_PERMISSIONS_MISSING", object });
}
function syncErrorsDuplicateRuleObjects(syncErrors) {
  const objects = [];
  for (const g of parseSyncErrors(syncErrors)?.groups ?? [])
    if (syncErrorKind(g) === "duplicate" && isDuplicateRuleRefusal(g.example)) {
      for (const o of groupObjects(g.object)) if (!objects.includes(o)) objects.push(o);
    }
  return objects;
}
var byNameOnly = (rule) => rule.onCreate === "unread" && rule.onEdit === "unread";
function actions(rule) {
  if (byNameOnly(rule)) return "actions not read";
  const verb = { block: "blocks", alert: "alerts", unread: "not read" };
  if (rule.onCreate && rule.onCreate === rule.onEdit)
    return `${verb[rule.onCreate]} on create and edit`;
  return [
    rule.onCreate ? `${verb[rule.onCreate]} on create` : "",
    rule.onEdit ? `${verb[rule.onEdit]} on edit` : ""
  ].filter(Boolean).join(", ");
}
function duplicateRuleNow(group2, read) {
  if (!read || !isDuplicateRuleRefusal(group2.example)) return null;
  const objects = groupObjects(group2.object);
  const of = (o) => read.find((r) => r.object.toLowerCase() === o.toLowerCase());
  if (objects.length === 0 || objects.some((o) => !of(o))) return null;
  const refusing = objects.flatMap(
    (o) => of(o).rules.filter((r) => r.onCreate || r.onEdit).map((rule) => ({ object: of(o).object, rule }))
  );
  if (refusing.length === 0)
    return {
      ok: true,
      text: `Now: no active duplicate rule on ${joinList(objects, "or")} blocks or alerts; resync these records.`
    };
  const several = refusing.length > 1;
  if (refusing.every(({ rule }) => byNameOnly(rule))) {
    const names = joinList(
      refusing.map(({ object, rule }) => `${object}'s ${rule.name}`),
      "and"
    );
    return {
      ok: false,
      text: several ? `Now: the active duplicate rules ${names} refuse a duplicate HubSpot writes if they block or alert, as their pages in ${DUPLICATE_RULES_PLACE} show.` : `Now: the active duplicate rule ${names} refuses a duplicate HubSpot writes if it blocks or alerts, as its page in ${DUPLICATE_RULES_PLACE} shows.`
    };
  }
  const named = joinList(
    refusing.map(
      ({ object, rule }) => `${object}'s ${rule.name} (${actions(rule)}${rule.conditions ? ", under conditions" : ""})`
    ),
    "and"
  );
  const alerts = refusing.some(({ rule }) => rule.onCreate === "alert" || rule.onEdit === "alert");
  const conditional = refusing.filter(({ rule }) => rule.conditions).length;
  return {
    ok: false,
    text: `Now: the active duplicate ${several ? "rules" : "rule"} ${named} ${several ? "refuse" : "refuses"} a duplicate HubSpot writes${alerts ? `: ${ALERT_REFUSES}` : ""} (${DUPLICATE_RULES_PLACE}).${conditional ? ` ${CONDITIONS_MAY_EXEMPT[conditional > 1 ? 1 : 0]}` : ""}`
  };
}

// packages/core/src/relayed/recordTypePicklists.ts
var text3 = (v) => typeof v === "string" && v.trim() !== "" ? v.trim() : void 0;
function picklistOf(known2, name) {
  const lower = name.toLowerCase();
  if (Array.isArray(known2)) {
    const result2 = known2.find((r) => r.name.toLowerCase() === lower);
    if (!result2?.picklist) return void 0;
    return {
      restricted: result2.picklist.restricted,
      values: result2.picklist.values,
      multi: result2.picklist.multi === true
    };
  }
  const describes = known2;
  const key = Object.keys(describes).find((k) => k.toLowerCase() === lower);
  const field = key ? describes[key] : void 0;
  if (!field || !Array.isArray(field.picklistValues)) return void 0;
  return {
    restricted: field.restrictedPicklist === true,
    values: field.picklistValues,
    multi: field.type?.toLowerCase() === "multipicklist"
  };
}
function recordTypesMatter(known2, name, refused) {
  if (!known2) return true;
  const picklist = picklistOf(known2, name);
  if (!picklist?.restricted || !refused.length) return false;
  const asked = picklist.multi ? refused.flatMap((v) => v.split(";").map((one) => one.trim())) : refused;
  return asked.filter(Boolean).every((v) => picklist.values.includes(v));
}
function syncErrorsRecordTypeFields(syncErrors, known2) {
  const fields = /* @__PURE__ */ new Map();
  for (const group2 of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(group2) !== "picklist") continue;
    const names = syncErrorGroupNames(group2, "picklist");
    for (const field of names.fields) {
      if (!recordTypesMatter(known2, field, names.values)) continue;
      if (!fields.has(field.toLowerCase())) fields.set(field.toLowerCase(), field);
    }
  }
  return [...fields.values()];
}
function syncErrorsRecordTypeObjects(syncErrors, known2) {
  const objects = /* @__PURE__ */ new Map();
  for (const field of syncErrorsRecordTypeFields(syncErrors, known2)) {
    const object = field.split(".")[0];
    if (!objects.has(object.toLowerCase())) objects.set(object.toLowerCase(), object);
  }
  return [...objects.values()];
}
function recordTypePicklistFacts(raw) {
  if (!Array.isArray(raw)) return void 0;
  const read = [];
  for (const entry2 of raw) {
    const object = entry2 && typeof entry2 === "object" ? text3(entry2.apiName) : void 0;
    if (!object) continue;
    const recordTypes = [];
    for (const r of Array.isArray(entry2.recordTypes) ? entry2.recordTypes : []) {
      const recordType = r && typeof r === "object" ? r : {};
      const name = text3(recordType.name);
      const fieldValues = recordType.picklistFieldValues;
      if (!name || !fieldValues || typeof fieldValues !== "object") continue;
      const values = {};
      for (const [field, answer] of Object.entries(fieldValues)) {
        const listed = answer?.values;
        if (!Array.isArray(listed)) continue;
        values[field.toLowerCase()] = listed.map((v) => text3(v?.value)).filter((v) => v !== void 0);
      }
      recordTypes.push({ name, values });
    }
    read.push({ object, recordTypes });
  }
  return read;
}
function recordTypesLacking(read, object, field, values) {
  const of = read?.find((r) => r.object.toLowerCase() === object.toLowerCase());
  if (!of) return null;
  const lacking3 = [];
  let unread = false;
  for (const recordType of of.recordTypes) {
    const offered = recordType.values[field.toLowerCase()];
    if (offered === void 0) unread = true;
    else if (values.some((v) => !offered.includes(v))) lacking3.push(recordType.name);
  }
  return lacking3.length || !unread ? lacking3 : null;
}
function recordTypesNotReadLine(reason) {
  return `Record types not read: ${reason.trim().replace(/[.;]$/, "")}; the picklist groups do not say which record types offer the value.`;
}
function recordTypesTooMany(objects, most) {
  return `more than ${most} active record types on ${objects.join(" and ")}, the most read at once`;
}
function recordTypeNotAnswered(object, recordType) {
  return `Salesforce did not answer for ${object}'s record type ${recordType}`;
}

// packages/core/src/diagnosis/evaluateAccess.ts
function verdictOf(findings) {
  if (findings.some((f) => f.severity === "error")) return "blocked";
  if (findings.some((f) => f.severity === "warning")) return "at-risk";
  return "healthy";
}
function isPartlyChecked(diagnosis) {
  return Boolean(diagnosis && Array.isArray(diagnosis.unchecked) && diagnosis.unchecked.length > 0);
}
function evaluateAccess(snapshot, requirements = DEFAULT_REQUIREMENTS) {
  const ctx = createContext(snapshot, requirements);
  checkSections(ctx);
  checkUser(ctx);
  const logins = judgeLogins(ctx);
  judgeConnectedApps(ctx, logins);
  checkSystemPermissions(ctx);
  checkRequiredPermissionSets(ctx);
  checkSources(ctx);
  const objectWork = collectObjects(ctx);
  aggregateObjectPermissions(ctx, objectWork);
  const objects = judgeObjects(ctx, objectWork);
  const byKey = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  const fields = judgeFields(ctx, objectWork, byKey);
  checkSharing(ctx, objects);
  const limits = judgeLimits(ctx);
  const findings = ctx.findings.map((f, i) => ({ f, i })).sort((a, b) => compareSeverity(a.f.severity, b.f.severity) || a.i - b.i).map((x) => x.f);
  const diagnosis = {
    verdict: verdictOf(findings),
    findings,
    objects,
    fields,
    limits,
    judgedAt: snapshot.capturedAt,
    grants: requiredGrants(ctx)
  };
  const side = sideGrants(ctx);
  if (side.length) diagnosis.sideGrants = side;
  const validationRules = validationRuleFacts(snapshot.validationRules);
  if (validationRules) diagnosis.validationRules = validationRules;
  const duplicateRules = duplicateRuleFacts(snapshot.duplicateRules);
  if (duplicateRules) diagnosis.duplicateRules = duplicateRules;
  const recordTypePicklists = recordTypePicklistFacts(snapshot.recordTypePicklists);
  if (recordTypePicklists) diagnosis.recordTypePicklists = recordTypePicklists;
  if (logins) diagnosis.logins = logins;
  const edition = snapshot.organization?.OrganizationType?.trim();
  if (edition) diagnosis.edition = edition;
  const unchecked = uncheckedOf(snapshot);
  if (unchecked.length) diagnosis.unchecked = unchecked;
  const readDependencies = readDependenciesOf(snapshot);
  if (readDependencies) diagnosis.readDependencies = readDependencies;
  if (snapshot.user) {
    diagnosis.user = {
      id: snapshot.user.Id,
      username: snapshot.user.Username,
      isActive: snapshot.user.IsActive
    };
  }
  return diagnosis;
}

// packages/core/src/remediation/saveWaves.ts
function saveWaves(rows2) {
  const key = (name) => name.toLowerCase();
  const rowIndex = new Map(rows2.map((row, i) => [key(row.sobjectType), i]));
  const needs = rows2.map(() => /* @__PURE__ */ new Set());
  rows2.forEach((parent, p) => {
    for (const child of Array.isArray(parent.requiredBy) ? parent.requiredBy : []) {
      if (typeof child !== "string") continue;
      const c = rowIndex.get(key(child));
      if (c !== void 0 && c !== p) needs[c].add(p);
    }
  });
  const component = rows2.map(() => -1);
  const low = rows2.map(() => 0);
  const order = rows2.map(() => -1);
  const stack = [];
  const onStack = /* @__PURE__ */ new Set();
  let counter = 0;
  let components = 0;
  const connect = (v) => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of needs[v]) {
      if (order[w] === -1) {
        connect(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack.has(w)) low[v] = Math.min(low[v], order[w]);
    }
    if (low[v] === order[v]) {
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component[w] = components;
      } while (w !== v);
      components += 1;
    }
  };
  rows2.forEach((_, v) => {
    if (order[v] === -1) connect(v);
  });
  const members = Array.from({ length: components }, () => []);
  rows2.forEach((_, v) => members[component[v]].push(v));
  const waveOf = [];
  for (let c = 0; c < components; c++) {
    let wave = 0;
    for (const v of members[c])
      for (const w of needs[v])
        if (component[w] !== c) wave = Math.max(wave, waveOf[component[w]] + 1);
    waveOf[c] = wave;
  }
  return rows2.map((_, v) => waveOf[component[v]]);
}

// packages/core/src/relayed/status.ts
var SUSPENSION_STATES = ["suspended", "suspected", "cleared"];
var SIGNAL_SOURCES = ["webhook", "email", "sync-errors", "manual", "detector"];
function isSuspendedState(status) {
  return status?.state === "suspended" || status?.state === "suspected";
}
var STATUS_OBJECT = {
  name: "HubSpot_Sync_Status__c",
  fields: {
    portalId: "Portal_Id__c",
    state: "State__c",
    reason: "Reason_Code__c",
    title: "Title__c",
    since: "Since__c",
    lastSeenAt: "Last_Seen__c",
    clearedAt: "Cleared_At__c",
    source: "Source__c",
    excerpt: "Excerpt__c",
    /** Long text area holding the JSON of `history` (most recent 50 changes). */
    history: "History__c",
    /**
     * Number the relay writes with each status, larger with each of its writes (not a status
     * property): the validation rule Status_Never_Goes_Back refuses a write with a smaller one.
     */
    relaySequence: "Relay_Sequence__c",
    /** Long text area holding syncErrorsJson of `syncErrors` (SYNC_ERRORS_LIMITS.json characters). */
    syncErrors: "Sync_Errors__c"
  }
};
var STATUS_EVENT = {
  name: "Sync_Doctor_Event__e",
  fields: {
    portalId: "Portal_Id__c",
    state: "State__c",
    reason: "Reason_Code__c",
    title: "Title__c",
    occurredAt: "Occurred_At__c",
    source: "Source__c"
  }
};
var STATUS_FIELD_LIMITS = {
  /** Portal_Id__c on the record, on the event and in the settings: never truncated, refused. */
  portalId: 32,
  title: 255,
  excerpt: 32768,
  history: 131072,
  historyEntries: 50
};

// packages/core/src/relayed/statusText.ts
var UNRECOGNISED_REASON_TITLE = "Unrecognised suspension reason";
function relayedReasonTitle(status) {
  const reason = suspensionReason(status.reason);
  const own = typeof status.title === "string" && status.title.trim() || null;
  if (!reason && !own && status.state === "cleared") return { title: "", hubspotWords: null };
  if (!reason) return { title: own ?? UNRECOGNISED_REASON_TITLE, hubspotWords: null };
  const known2 = Object.values(reason.titles).map((t) => t.trim().toLowerCase());
  return {
    title: reason.titles.en,
    hubspotWords: own && !known2.includes(own.toLowerCase()) ? own : null
  };
}
function dataStorageFull(diagnosis) {
  return (diagnosis?.findings ?? []).some(
    (f) => f.reason === "STORAGE_LIMIT_EXCEEDED" && f.severity === "error" && f.rule === RULES.storageLimit && f.subject === "DataStorageMB"
  );
}
function nothingRelayedText(portalId, diagnosis) {
  const which = portalId ? `portal ${portalId}` : "any HubSpot portal";
  if (dataStorageFull(diagnosis))
    return `No suspension has been relayed for ${which}, or the relay could not write it: the org's data storage is full, and Salesforce refuses the relay's status record as it refuses HubSpot's records. Check ${HUBSPOT_SALESFORCE_PLACE} for a suspension.`;
  return `No suspension has been relayed for ${which}. Sync Doctor hears of HubSpot's suspensions only through its relay; if the relay is not set up, HubSpot's Salesforce integration settings show whether the sync is suspended.`;
}
function suspensionLifting(code) {
  const reason = suspensionReason(code);
  if (!reason) return "unknown";
  if (reason.liftsByItself) return "by-itself";
  return reason.clearSuspensionNext ? "clear" : "reconnect";
}
function suspensionLiftedClause(code) {
  const reason = suspensionReason(code);
  switch (suspensionLifting(code)) {
    case "by-itself":
      return `for now: ${reason.liftedBy}`;
    case "clear":
    case "reconnect":
      return `until you ${reason.liftedBy}`;
    default:
      return 'until the suspension is lifted (by HubSpot itself, by reconnecting or by "Clear Suspension" in HubSpot, as its reason says)';
  }
}

// packages/core/src/remediation/grantable.ts
var GRANTABLE_SYSTEM_PERMISSIONS = [
  "PermissionsApiEnabled",
  "PermissionsEditTask",
  "PermissionsEditEvent",
  "PermissionsViewAllUsers"
];
var NEVER_GRANTED_SYSTEM_PERMISSIONS = [
  "PermissionsAssignPermissionSets",
  "PermissionsAuthorApex",
  "PermissionsCustomizeApplication",
  "PermissionsManageInternalUsers",
  "PermissionsManageProfilesPermissionsets",
  "PermissionsManageRoles",
  "PermissionsManageSharing",
  "PermissionsManageUsers",
  "PermissionsModifyAllData",
  "PermissionsResetPasswords",
  "PermissionsViewAllData"
];
var GRANTABLE_OBJECT_RIGHTS = [
  "read",
  "create",
  "edit",
  "delete"
];
var NEVER_GRANTED_OBJECT_RIGHTS = OBJECT_RIGHTS.filter(
  (right) => !GRANTABLE_OBJECT_RIGHTS.includes(right)
);
var GRANTABLE_SYSTEM_PERMISSIONS_TEXT = joinList(
  GRANTABLE_SYSTEM_PERMISSIONS.map(friendlyPermission)
);
var lowerCased = (names) => new Set(names.map((name) => name.toLowerCase()));
var GRANTABLE = lowerCased(GRANTABLE_SYSTEM_PERMISSIONS);
var NEVER = lowerCased(NEVER_GRANTED_SYSTEM_PERMISSIONS);
function isGrantableSystemPermission(permission) {
  return GRANTABLE.has(permission.toLowerCase());
}
function systemPermissionRefusal(permission) {
  if (isGrantableSystemPermission(permission)) return null;
  if (NEVER.has(permission.toLowerCase()))
    return `Sync Doctor never grants ${permission}: grant it yourself if you really mean to.`;
  return `Sync Doctor grants only the system permissions HubSpot's sync needs and its checks cover (${GRANTABLE_SYSTEM_PERMISSIONS.map(friendlyPermission).join(", ")}), not ${permission}: grant it yourself if you really mean to.`;
}
function flagRefusal(key, value) {
  if (value === void 0 || typeof value === "boolean") return null;
  return `${key} must be true or false, not ${JSON.stringify(value) ?? String(value)}.`;
}
function objectRightsRefusal(grant) {
  for (const right of OBJECT_RIGHTS) {
    const refusal2 = flagRefusal(right, grant[right]);
    if (refusal2) return refusal2;
  }
  for (const right of NEVER_GRANTED_OBJECT_RIGHTS) {
    if (grant[right] === true)
      return `Sync Doctor never grants ${OBJECT_RIGHT_LABELS[right]} on ${grant.sobjectType}: grant it yourself if the integration user really needs it.`;
  }
  for (const right of OBJECT_RIGHTS) {
    if (grant[right] !== true) continue;
    for (const needed of OBJECT_RIGHT_DEPENDENCIES[right])
      if (grant[needed] !== true)
        return `The plan asks ${OBJECT_RIGHT_LABELS[right]} on ${grant.sobjectType} without ${OBJECT_RIGHT_LABELS[needed]}, which Salesforce requires with it: Sync Doctor grants exactly the rights a plan lists. Plan the fix again.`;
  }
  return null;
}
function fieldRightsRefusal(grant) {
  return flagRefusal("read", grant.read) ?? flagRefusal("edit", grant.edit);
}
function planGrantRefusal(plan) {
  for (const grant of plan.objectPermissions) {
    const refusal2 = objectRightsRefusal(grant);
    if (refusal2) return refusal2;
  }
  for (const grant of plan.fieldPermissions ?? []) {
    const refusal2 = fieldRightsRefusal(grant);
    if (refusal2) return refusal2;
  }
  for (const permission of plan.systemPermissions ?? []) {
    const refusal2 = systemPermissionRefusal(permission);
    if (refusal2) return refusal2;
  }
  return null;
}
var NEVER_GRANTED_PERMISSION_LABELS = {
  PermissionsAssignPermissionSets: "Assign Permission Sets",
  PermissionsAuthorApex: "Author Apex",
  PermissionsCustomizeApplication: "Customize Application",
  PermissionsManageInternalUsers: "Manage Internal Users",
  PermissionsManageProfilesPermissionsets: "Manage Profiles and Permission Sets",
  PermissionsManageRoles: "Manage Roles",
  PermissionsManageSharing: "Manage Sharing",
  PermissionsManageUsers: "Manage Users",
  PermissionsModifyAllData: "Modify All Data",
  PermissionsResetPasswords: "Reset User Passwords and Unlock Users",
  PermissionsViewAllData: "View All Data"
};
function describePermissionSet(set) {
  const namespace = typeof set.NamespacePrefix === "string" && set.NamespacePrefix;
  return `${String(set.Label ?? set.Name)} (${namespace ? `${namespace}__` : ""}${String(set.Name)})`;
}
function permissionSetAssignmentRefusal(set) {
  const described = describePermissionSet(set);
  if (set.IsOwnedByProfile === true)
    return `Sync Doctor never assigns the permission set ${described}: it belongs to a profile. Change the profile in Setup instead if you really mean to.`;
  const held = new Set(
    Object.entries(set).filter(([, value]) => value === true).map(([column]) => column.toLowerCase())
  );
  const granted = NEVER_GRANTED_SYSTEM_PERMISSIONS.filter(
    (permission) => held.has(permission.toLowerCase())
  ).map((permission) => NEVER_GRANTED_PERMISSION_LABELS[permission] ?? permission);
  if (granted.length === 0) return null;
  return `Sync Doctor never assigns the permission set ${described}: it grants ${joinList(granted)}, far beyond what HubSpot's sync needs. Assign it yourself in Setup if the integration user really needs it.`;
}
function assignmentRefusal(sets) {
  for (const set of sets) {
    const refusal2 = permissionSetAssignmentRefusal(set);
    if (refusal2) return refusal2;
  }
  return null;
}

// packages/core/src/remediation/findingSteps.ts
var AUTOMATIC_RULES = /* @__PURE__ */ new Set([
  RULES.objectPermissions,
  RULES.lookupTarget,
  RULES.fieldLevelSecurity,
  RULES.adminDataPermissionsNoFls,
  RULES.apiEnabled,
  RULES.systemPermission,
  RULES.taskEditTasks
]);
var SUSPENSION_ENDINGS = {
  "if-suspended": ", then clear the suspension if HubSpot suspended the sync.",
  clear: ", then clear the suspension.",
  "reconnect-clears": ": reconnecting clears the suspension."
};
var HUBSPOT_RULES = /* @__PURE__ */ new Set([
  // The cap on HubSpot's own connected app: lower HubSpot's API call allocation (in HubSpot); asking
  // Salesforce for a higher per-app limit is a support case, not a click in Setup.
  RULES.connectedAppApiLimit,
  // HubSpot's last login failed for a cause fixed since: HubSpot logs in again when told to there
  // (re-entered credentials, "Clear Suspension"); nothing is left to do in Salesforce.
  RULES.loginFailureCleared
]);
function stepPlace(finding) {
  if (finding.symptom) return "hubspot";
  if (finding.reason === "HUBSPOT_API_LIMIT_EXCEEDED") return "hubspot";
  if (finding.rule && HUBSPOT_RULES.has(finding.rule)) return "hubspot";
  return "salesforce";
}
function handleFinding(finding, plan) {
  if (finding.severity === "info" || finding.rule === RULES.sessionBased) return;
  switch (finding.rule) {
    case RULES.apiEnabled:
    case RULES.systemPermission:
      if (isGrantableSystemPermission(finding.subject)) {
        plan.systemPermissions.add(finding.subject);
        return;
      }
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: `Sync Doctor does not grant "${friendlyPermission(finding.subject)}" (it grants only ${GRANTABLE_SYSTEM_PERMISSIONS_TEXT}): decide whether the integration user really needs it. ${finding.remedy}`,
        where: "salesforce"
      });
      return;
    case RULES.taskEditTasks:
      plan.systemPermissions.add(
        finding.subject.toLowerCase() === "event" ? "PermissionsEditEvent" : "PermissionsEditTask"
      );
      return;
    case RULES.requiredPermissionSet:
      if (finding.severity === "error") {
        if (!plan.assignPermissionSets.includes(finding.subject))
          plan.assignPermissionSets.push(finding.subject);
        return;
      }
      break;
    case RULES.userVisibility:
      plan.systemPermissions.add("PermissionsViewAllUsers");
      return;
    case RULES.connectedAppApproval:
      if (plan.approvedApps.has(finding.subject)) return;
      break;
    case RULES.inactiveUser:
    case RULES.frozenUser: {
      const user2 = `the integration user '${finding.subject}'`;
      plan.manualSteps.push(
        {
          reason: finding.reason,
          subject: finding.subject,
          step: finding.rule === RULES.frozenUser ? `Open ${user2} in Setup > Users and click Unfreeze.` : `Reactivate ${user2} in Setup > Users (it needs a free license), or choose another active user for HubSpot to connect as.`,
          where: "salesforce"
        },
        {
          reason: finding.reason,
          subject: finding.subject,
          step: `In ${HUBSPOT_SALESFORCE_PLACE}, re-enter the Salesforce credentials of ${finding.rule === RULES.frozenUser ? user2 : `${user2} (or of the active user chosen instead)`}${SUSPENSION_ENDINGS[plan.ending]}`,
          where: "hubspot"
        }
      );
      return;
    }
    case RULES.apiLimit:
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: finding.remedy,
        where: "salesforce"
      });
      if (!plan.allocationStepped)
        plan.manualSteps.push({
          reason: finding.reason,
          subject: finding.subject,
          step: `In ${HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot" to what the org can spare and click Update: HubSpot's calls count against the same daily limit as every other integration's.`,
          where: "hubspot"
        });
      return;
    default:
      if (finding.rule && AUTOMATIC_RULES.has(finding.rule)) return;
  }
  plan.manualSteps.push({
    reason: finding.reason,
    subject: finding.subject,
    step: finding.remedy,
    ...finding.action ? { action: finding.action } : {},
    where: stepPlace(finding)
  });
}

// packages/core/src/remediation/remediationSet.ts
var REMEDIATION_PERMISSION_SET = "Sync_Doctor_Remediation";
var REMEDIATION_PERMISSION_SET_LABEL = "Sync Doctor Remediation";
var REMEDIATION_SET_SESSION_BASED = "The Sync_Doctor_Remediation permission set in this org is session-based (Session Activation Required), so the rights Sync Doctor puts into it would grant HubSpot nothing: its connector never activates a session. Clear Session Activation Required on that permission set in Setup, or delete the set so Sync Doctor creates it again, then apply the fix.";

// packages/core/src/remediation/parentReads.ts
var PARENT_OBJECTS = {
  contact: ["Account"],
  opportunity: ["Account"],
  contract: ["Account"]
};
function remediationSetReads(diagnosis, object) {
  const result2 = diagnosis.objects.find((o) => o.name.toLowerCase() === object.toLowerCase());
  return result2?.grantedBy.includes(`Permission set: ${REMEDIATION_PERMISSION_SET_LABEL}`) === true && result2.effective.read;
}
function parentLookup(diagnosis) {
  const described = /* @__PURE__ */ new Map();
  for (const [object, parents] of Object.entries(diagnosis.readDependencies ?? {}))
    if (Array.isArray(parents)) described.set(object.toLowerCase(), parents);
  return (sobjectType) => {
    const key = sobjectType.toLowerCase();
    const all = [...PARENT_OBJECTS[key] ?? [], ...described.get(key) ?? []];
    return all.filter(
      (p, i) => p.toLowerCase() !== key && all.findIndex((q) => q.toLowerCase() === p.toLowerCase()) === i
    );
  };
}
function addParentReads(diagnosis, rows2, row, parentsOf) {
  const queue = [...rows2.values()].filter((r) => r.read);
  const queued = new Set(queue.map((r) => r.sobjectType.toLowerCase()));
  for (let i = 0; i < queue.length; i++) {
    const child = queue[i];
    for (const parentName of parentsOf(child.sobjectType)) {
      const key = parentName.toLowerCase();
      const planned = rows2.get(key);
      const alreadyPlanned = planned?.read === true;
      if (!alreadyPlanned && remediationSetReads(diagnosis, parentName)) continue;
      const parent = planned ?? row(parentName);
      parent.read = true;
      (parent.requiredBy ?? (parent.requiredBy = [])).push(child.sobjectType);
      if (!queued.has(key)) {
        queued.add(key);
        queue.push(parent);
      }
    }
  }
}
function parentsFirst(rows2, parentsOf) {
  const byKey = new Map(rows2.map((r) => [r.sobjectType.toLowerCase(), r]));
  const state = /* @__PURE__ */ new Map();
  const out = [];
  const visit = (r) => {
    const key = r.sobjectType.toLowerCase();
    if (state.has(key)) return;
    state.set(key, "visiting");
    for (const parent of parentsOf(r.sobjectType)) {
      const p = byKey.get(parent.toLowerCase());
      if (p?.read) visit(p);
    }
    state.set(key, "done");
    out.push(r);
  };
  rows2.forEach(visit);
  return out;
}

// packages/core/src/remediation/planText.ts
function rightsText2(rights) {
  return joinList(
    OBJECT_RIGHTS.filter((r) => rights.includes(r)).map((r) => OBJECT_RIGHT_LABELS[r])
  );
}
function rightsOnObjects(rights) {
  const byObject = /* @__PURE__ */ new Map();
  for (const r of rights) {
    const key = r.sobjectType.toLowerCase();
    const entry2 = byObject.get(key) ?? { object: r.sobjectType, rights: [] };
    entry2.rights.push(r.right);
    byObject.set(key, entry2);
  }
  const byRights = /* @__PURE__ */ new Map();
  for (const { object, rights: objectRights } of byObject.values()) {
    const text4 = rightsText2(objectRights);
    byRights.set(text4, [...byRights.get(text4) ?? [], object]);
  }
  return [...byRights].map(([text4, objects]) => `${text4} on ${joinList(objects)}`).join(", ");
}
var SAME_SET = "Salesforce needs in the same permission set";
function objectRightsCountText(plan) {
  const rights = plan.objectRights ?? [];
  if (rights.length === 0) return "";
  const kinds = objectRightKinds(rights);
  const total = count2(rights.length, "object right");
  if (kinds.missing.length === rights.length) return total;
  return `${total}: ${kindClauses(kinds, false).join(", ")}`;
}
function objectRightKinds(rights) {
  return {
    missing: rights.filter((r) => r.missing),
    elsewhere: rights.filter((r) => !r.missing && r.grantedElsewhere === true),
    notElsewhere: rights.filter((r) => !r.missing && r.grantedElsewhere !== true)
  };
}
function kindClauses(kinds, named) {
  const names = (rights) => named ? `: ${rightsOnObjects(rights)}` : "";
  const clauses = [];
  if (kinds.missing.length) clauses.push(`${kinds.missing.length} missing${names(kinds.missing)}`);
  if (kinds.elsewhere.length)
    clauses.push(
      `${kinds.elsewhere.length} already granted elsewhere that ${SAME_SET}${names(kinds.elsewhere)}`
    );
  if (kinds.notElsewhere.length)
    clauses.push(`${kinds.notElsewhere.length} more that ${SAME_SET}${names(kinds.notElsewhere)}`);
  return clauses;
}
function objectGrantLines(plan) {
  return plan.objectPermissions.map((row) => {
    const rights = (plan.objectRights ?? []).filter(
      (r) => r.sobjectType.toLowerCase() === row.sobjectType.toLowerCase()
    );
    const labels = (list) => list.map((r) => OBJECT_RIGHT_LABELS[r.right]).join(", ");
    const why = (list, elsewhere) => {
      const it = list.length === 1 ? "it" : "them";
      const neededFor = list[0]?.neededFor ? ` for ${list[0].neededFor}` : "";
      return `${labels(list)} (${elsewhere ? "already granted elsewhere; " : ""}Salesforce needs ${it} in the same permission set${neededFor})`;
    };
    const kinds = objectRightKinds(rights);
    const parts = [];
    if (kinds.missing.length) parts.push(labels(kinds.missing));
    if (kinds.elsewhere.length) parts.push(why(kinds.elsewhere, true));
    if (kinds.notElsewhere.length) parts.push(why(kinds.notElsewhere, false));
    return { sobjectType: row.sobjectType, text: `${row.sobjectType}: ${parts.join("; ")}` };
  });
}
function count2(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
function objectRightsText2(rights) {
  const missing = rights.filter((r) => r.missing);
  if (missing.length === 0) return "";
  const named = new Set(missing.map((r) => r.sobjectType.toLowerCase())).size <= 3;
  const total = count2(missing.length, "object right");
  return named ? `${total} (${rightsOnObjects(missing)})` : total;
}
function sameSetClause(rights) {
  const extra = rights.filter((r) => !r.missing);
  if (extra.length === 0) return "";
  const it = extra.length === 1 ? "it" : "them";
  const named = new Set(extra.map((r) => r.sobjectType.toLowerCase())).size <= 3;
  const what = named ? rightsOnObjects(extra) : count2(extra.length, "more object right");
  return ` (also writes ${what} into it: Salesforce needs ${it} there)`;
}
function summarize2(plan) {
  if (plan.isEmpty) return "Nothing to fix: the integration user has every required right.";
  const parts = [];
  const grants = [];
  if (plan.assignFirst) {
    const missingRights = plan.objectRights.filter((r) => r.missing).length;
    if (missingRights) grants.push(count2(missingRights, "object right"));
  } else {
    const objectRights = objectRightsText2(plan.objectRights);
    if (objectRights) grants.push(objectRights);
  }
  const sameSet = plan.assignFirst ? "" : sameSetClause(plan.objectRights);
  if (plan.fieldPermissions.length)
    grants.push(count2(plan.fieldPermissions.length, "field permission"));
  if (plan.systemPermissions.length)
    grants.push(count2(plan.systemPermissions.length, "system permission"));
  if (plan.connectedApps.length)
    grants.push(
      `approval for the connected app${plan.connectedApps.length > 1 ? "s" : ""} ${joinList(plan.connectedApps.map((app) => `"${app.name}"`))}`
    );
  const sets = plan.assignPermissionSets.map((n) => `'${n}'`).join(", ");
  if (plan.assignFirst && grants.length) {
    const one = plan.assignPermissionSets.length === 1;
    parts.push(
      `assign ${sets} first, then check again: Sync Doctor cannot see what ${one ? "it grants" : "they grant"} until ${one ? "it is" : "they are"} assigned, and ${one ? "it" : "they"} may grant what is missing now (${grants.join(", ")}); what is still missing after that, Sync Doctor grants through the permission set '${REMEDIATION_PERMISSION_SET}'`
    );
  } else {
    if (plan.assignPermissionSets.length) parts.push(`assign ${sets}`);
    if (grants.length)
      parts.push(
        `grant ${grants.join(", ")} through the permission set '${REMEDIATION_PERMISSION_SET}'${sameSet}`
      );
  }
  const inHubSpot = plan.manualSteps.filter((s) => s.where === "hubspot").length;
  const inSalesforce = plan.manualSteps.length - inHubSpot;
  if (inSalesforce) parts.push(`do ${count2(inSalesforce, "step")} by hand in Salesforce`);
  if (inHubSpot) parts.push(`do ${count2(inHubSpot, "step")} in HubSpot`);
  const text4 = parts.join("; ");
  return `${text4.charAt(0).toUpperCase()}${text4.slice(1)}.`;
}
function titleOf(plan) {
  const inHubSpot = plan.manualSteps.some((s) => s.where === "hubspot");
  const inSalesforce = plan.assignPermissionSets.length + plan.objectPermissions.length + plan.fieldPermissions.length + plan.systemPermissions.length + plan.connectedApps.length > 0 || plan.manualSteps.some((s) => s.where !== "hubspot");
  if (inHubSpot && inSalesforce) return "Fix it in Salesforce and HubSpot";
  return inHubSpot ? "Fix it in HubSpot" : "Fix it in Salesforce";
}

// packages/core/src/remediation/planRemediation.ts
var NOT_OBJECT_PERMISSION_RULES = /* @__PURE__ */ new Set([RULES.taskEditTasks, RULES.userVisibility]);
function emptyRow(sobjectType) {
  return {
    sobjectType,
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false,
    saveWave: 0
  };
}
function missingOf(object) {
  if (object.missing) return object.missing;
  if (object.note?.startsWith("Not judged")) return [];
  return object.required.filter((r) => !object.effective[r]);
}
function suspensionEnding(options) {
  const relayed = isSuspendedState(options.status);
  if (!relayed && options.suspended !== true) return "if-suspended";
  return relayed && suspensionLifting(options.status?.reason) === "reconnect" ? "reconnect-clears" : "clear";
}
function planRemediation(diagnosis, options = {}) {
  const rows2 = /* @__PURE__ */ new Map();
  const row = (sobjectType) => {
    const key = sobjectType.toLowerCase();
    let r = rows2.get(key);
    if (!r) rows2.set(key, r = emptyRow(sobjectType));
    return r;
  };
  const manualSteps = [];
  const missingRights = /* @__PURE__ */ new Map();
  const systemPermissions = /* @__PURE__ */ new Set();
  const assignPermissionSets = [];
  for (const object of diagnosis.objects) {
    if (object.rule && NOT_OBJECT_PERMISSION_RULES.has(object.rule)) continue;
    const missing = missingOf(object);
    if (missing.length === 0) continue;
    const r = row(object.name);
    for (const right of missing) {
      if (right === "modifyAll" || right === "viewAll") {
        const label = right === "modifyAll" ? "Modify All" : "View All";
        manualSteps.push({
          reason: "OBJECT_PERMISSIONS_MISSING",
          subject: object.name,
          step: `${label} on ${object.name} is required, but Sync Doctor never grants ${label}: decide whether the integration user really needs it and grant it by hand.`,
          where: "salesforce"
        });
        continue;
      }
      r[right] = true;
      const key = object.name.toLowerCase();
      const entry2 = missingRights.get(key) ?? { object: object.name, rights: [] };
      entry2.rights.push(right);
      missingRights.set(key, entry2);
    }
    for (const right of withObjectRightDependencies(OBJECT_RIGHTS.filter((x) => r[x])))
      r[right] = true;
  }
  const fieldPermissions2 = [];
  const fieldObjects = /* @__PURE__ */ new Set();
  for (const field of diagnosis.fields) {
    const missing = field.missing ?? [];
    if (missing.length === 0) continue;
    const sobjectType = field.name.slice(0, field.name.indexOf("."));
    const edit = missing.includes("edit");
    fieldPermissions2.push({ field: field.name, sobjectType, read: true, edit });
    row(sobjectType).read = true;
    fieldObjects.add(sobjectType.toLowerCase());
  }
  const parentsOf = parentLookup(diagnosis);
  addParentReads(diagnosis, rows2, row, parentsOf);
  const connectedApps2 = appsToApprove(diagnosis);
  const approvedApps = new Set(connectedApps2.map((app) => app.name));
  const allocationStepped = diagnosis.findings.some(
    (f) => f.severity !== "info" && (f.rule === RULES.connectedAppApiLimit || f.reason === "HUBSPOT_API_LIMIT_EXCEEDED")
  );
  for (const finding of diagnosis.findings) {
    handleFinding(finding, {
      systemPermissions,
      assignPermissionSets,
      manualSteps,
      approvedApps,
      allocationStepped,
      ending: suspensionEnding(options)
    });
  }
  const granted = [...rows2.values()].filter(
    (r) => r.read || r.create || r.edit || r.delete || r.viewAll
  );
  const objectPermissions2 = parentsFirst(
    [...granted.filter((r) => r.requiredBy), ...granted.filter((r) => !r.requiredBy)],
    parentsOf
  );
  saveWaves(objectPermissions2).forEach((wave, i) => objectPermissions2[i].saveWave = wave);
  const plan = {
    assignPermissionSets,
    // The snapshot holds the rights of assigned sets only: what an unassigned one grants is known
    // once it is assigned, so assigning it comes first and a check afterwards recomputes the grants.
    assignFirst: assignPermissionSets.length > 0,
    objectPermissions: objectPermissions2,
    objectRights: objectRightsOf(diagnosis, objectPermissions2, missingRights, fieldObjects),
    fieldPermissions: fieldPermissions2,
    systemPermissions: [...systemPermissions],
    connectedApps: connectedApps2,
    manualSteps,
    summary: "",
    title: "",
    isEmpty: false
  };
  plan.isEmpty = assignPermissionSets.length + objectPermissions2.length + fieldPermissions2.length + plan.systemPermissions.length + connectedApps2.length + manualSteps.length === 0;
  plan.summary = summarize2(plan);
  plan.title = titleOf(plan);
  return plan;
}
function objectRightsOf(diagnosis, objectPermissions2, missingRights, fieldObjects) {
  const rights = [];
  for (const r of objectPermissions2) {
    const key = r.sobjectType.toLowerCase();
    const missing = missingRights.get(key)?.rights ?? [];
    const judged = diagnosis.objects.find(
      (o) => o.name.toLowerCase() === key && !o.note?.startsWith("Not judged")
    );
    const needs = [];
    if (missing.length) needs.push(`${rightsText2(missing)} on ${r.sobjectType}`);
    else {
      if (fieldObjects.has(key)) needs.push(`the field permissions on ${r.sobjectType}`);
      if (r.requiredBy?.length) needs.push(`the rights on ${joinList(r.requiredBy)}`);
    }
    for (const right of GRANTED_OBJECT_RIGHTS) {
      if (!r[right]) continue;
      if (missing.includes(right)) {
        rights.push({ sobjectType: r.sobjectType, right, missing: true });
        continue;
      }
      const entry2 = { sobjectType: r.sobjectType, right, missing: false };
      if (judged) entry2.grantedElsewhere = judged.effective[right] === true;
      if (needs.length) entry2.neededFor = joinList(needs);
      rights.push(entry2);
    }
  }
  return rights;
}
var GRANTED_OBJECT_RIGHTS = OBJECT_RIGHTS.filter(
  (right) => right !== "modifyAll"
);
function appsToApprove(diagnosis) {
  const apps = /* @__PURE__ */ new Map();
  for (const grant of diagnosis.grants ?? [])
    if (grant.kind === "connectedApp" && grant.granted === false && grant.id)
      apps.set(grant.id, { id: grant.id, name: grant.name });
  return [...apps.values()];
}

// packages/core/src/remediation/hubspotSteps.ts
var HUBSPOT_PLACES = [
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  HUBSPOT_MAPPINGS_PLACE
];
function hubspotStepsBeyondRemedy(finding, plan, options = {}) {
  const remedy = typeof finding.remedy === "string" ? finding.remedy : "";
  if (HUBSPOT_PLACES.some((place) => remedy.includes(place))) return [];
  if (options.listedReason && finding.reason === options.listedReason) return [];
  return plan.manualSteps.filter(
    (step) => step.where === "hubspot" && step.reason === finding.reason && step.subject === finding.subject && !(remedy && (step.step.includes(remedy) || remedy.includes(step.step)))
  ).map((step) => step.step);
}

// packages/core/src/limits/apiWindow.ts
var HOUR_MS = 36e5;
var DAY_MS = 24 * HOUR_MS;
var RECENT_MS = HOUR_MS;
var RESET_DROP = 0.25;
function isCount(value) {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
function cleanSamples(samples) {
  const byTime = /* @__PURE__ */ new Map();
  for (const sample of samples) {
    if (!sample || typeof sample.at !== "string" || !isCount(sample.used)) continue;
    const t = Date.parse(sample.at);
    if (!Number.isFinite(t)) continue;
    const point = { t, used: sample.used };
    if (isCount(sample.hubspotUsed)) point.hubspotUsed = sample.hubspotUsed;
    const previous = byTime.get(t);
    if (!previous || point.used >= previous.used) byTime.set(t, point);
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}
function currentSegment(points) {
  let start = 0;
  for (let i = 1; i < points.length; i += 1) {
    const prev = points[i - 1];
    const cur = points[i];
    if (prev.used > 0 && prev.used - cur.used > prev.used * RESET_DROP) start = i;
  }
  const newest = points[points.length - 1].t;
  return points.slice(start).filter((p) => newest - p.t <= DAY_MS);
}
function slopePerHour(points, value) {
  const usable = points.filter((p) => value(p) !== void 0);
  if (usable.length < 2) return 0;
  const newest = usable[usable.length - 1].t;
  let recent = usable.filter((p) => newest - p.t <= RECENT_MS);
  if (recent.length < 2) recent = usable.slice(-2);
  const n = recent.length;
  const t0 = recent[0].t;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const p of recent) {
    const x = (p.t - t0) / HOUR_MS;
    const y = value(p);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) return 0;
  return (n * sxy - sx * sy) / denominator;
}
function exhaustion(points, value, limit, rate) {
  const newest = points[points.length - 1];
  if (value(newest) >= limit) {
    let i = points.length - 1;
    while (i > 0 && value(points[i - 1]) >= limit) i -= 1;
    return new Date(points[i].t).toISOString();
  }
  if (!(rate > 0)) return null;
  const hours = (limit - value(newest)) / rate;
  return new Date(newest.t + hours * HOUR_MS).toISOString();
}
function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
function apiWindow(samples, allocation) {
  if (!allocation || !isCount(allocation.orgMax) || allocation.orgMax === 0) {
    throw new RangeError(
      "apiWindow: allocation.orgMax must be a positive number (the org's DailyApiRequests Max)"
    );
  }
  const { orgMax } = allocation;
  const hubspotAllocation = allocation.hubspotAllocation;
  if (hubspotAllocation !== void 0 && hubspotAllocation !== null && !isCount(hubspotAllocation)) {
    throw new RangeError(
      "apiWindow: allocation.hubspotAllocation must be a number of calls, 0 or more"
    );
  }
  if (!Array.isArray(samples))
    throw new TypeError("apiWindow: samples must be an array of { at, used }");
  const points = cleanSamples(samples);
  if (points.length === 0)
    throw new RangeError("apiWindow: no valid sample ({ at: ISO time, used: number >= 0 })");
  const segment = currentSegment(points);
  const newest = segment[segment.length - 1];
  const orgUsed = (p) => p.used;
  const hubspotKnown = segment.some((p) => p.hubspotUsed !== void 0);
  const hubspotUsed = (p) => hubspotKnown ? p.hubspotUsed : p.used;
  const ratePerHour = slopePerHour(segment, orgUsed);
  const orgCallsLeft = Math.max(0, orgMax - newest.used);
  const orgLimitExhaustedAt = exhaustion(segment, orgUsed, orgMax, ratePerHour);
  if (hubspotAllocation === void 0 || hubspotAllocation === null) {
    return {
      callsLeft: orgCallsLeft,
      orgCallsLeft,
      ratePerHour: round(ratePerHour),
      allocationExhaustedAt: orgLimitExhaustedAt,
      orgLimitExhaustedAt
    };
  }
  const hubspotPoints = hubspotKnown ? segment.filter((p) => p.hubspotUsed !== void 0) : segment;
  const latestHubspot = hubspotPoints[hubspotPoints.length - 1];
  const hubspotRate = hubspotKnown ? slopePerHour(hubspotPoints, hubspotUsed) : ratePerHour;
  const callsLeft = Math.max(
    0,
    Math.min(hubspotAllocation - hubspotUsed(latestHubspot), orgCallsLeft)
  );
  const allocationExhaustedAt = exhaustion(
    hubspotPoints,
    (p) => hubspotUsed(p),
    hubspotAllocation,
    hubspotRate
  );
  return {
    callsLeft,
    orgCallsLeft,
    ratePerHour: round(ratePerHour),
    allocationExhaustedAt,
    orgLimitExhaustedAt
  };
}

// packages/core/src/relayed/syncErrorRequirements.ts
function syncErrorObjects(syncErrors) {
  const names = /* @__PURE__ */ new Map();
  for (const g of parseSyncErrors(syncErrors)?.groups ?? [])
    for (const name of syncErrorGroupObjects(g))
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  return [...names.values()];
}
function syncErrorPicklistFieldChoices(syncErrors) {
  const seen = new Set(
    syncErrorFieldChoices(syncErrors).flat().map((n) => n.toLowerCase())
  );
  const out = [];
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(g) !== "picklist") continue;
    for (const choice of syncErrorFieldCandidates(g)) {
      const names = choice.filter((name) => !seen.has(name.toLowerCase()));
      for (const name of names) seen.add(name.toLowerCase());
      if (names.length) out.push(names);
    }
  }
  return out;
}
function picklistFieldRequirements(syncErrors) {
  return syncErrorPicklistFieldChoices(syncErrors).flat().map((name) => ({ name, access: ["read", "edit"], ifExists: true }));
}
function syncErrorRequirements(syncErrors) {
  return {
    objects: syncErrorObjects(syncErrors).map((name) => ({
      name,
      access: ["read", "edit"]
    })),
    fields: [...syncErrorFieldRequirements(syncErrors), ...picklistFieldRequirements(syncErrors)]
  };
}
function syncErrorsAskValidationRules(syncErrors) {
  return (parseSyncErrors(syncErrors)?.groups ?? []).some(
    (g) => syncErrorKind(g) === "custom-code"
  );
}

// packages/core/src/relayed/syncErrorNowBasics.ts
function inOrder(results, names) {
  const at = (r) => names.findIndex((name) => name.toLowerCase() === r.name.toLowerCase());
  return [...results].sort((a, b) => at(a) - at(b));
}
var same = (names) => {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return (result2) => result2.exists !== false && wanted.has(result2.name.toLowerCase());
};
var lacking = (r) => `${r.effective.read ? "edit" : "read and edit"} on ${r.name}`;
function goneNow(names, diagnosis) {
  const gone = inOrder(
    diagnosis.fields.filter((f) => f.exists === false && same(names)({ name: f.name })),
    names
  );
  if (gone.length === 0) return null;
  return {
    ok: false,
    text: `Now: ${joinList(
      gone.map((f) => f.name),
      "and"
    )} ${gone.length === 1 ? "is" : "are"} not in this org: restore ${gone.length === 1 ? "it" : "them"} or change HubSpot's field mapping; no permission fixes that.`
  };
}

// packages/core/src/relayed/syncErrorPicklistNow.ts
var PICKLIST_VALUES_SHOWN = 5;
var quoted = (values) => values.map((v) => `'${v}'`);
function someValues(values) {
  const shown = quoted(values.slice(0, PICKLIST_VALUES_SHOWN));
  const more = values.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : joinList(shown, "and");
}
function valuesPlace(names) {
  const parts = names.map((name) => name.split("."));
  if (parts.every(([, field = ""]) => /(?:State|Country)Code$/i.test(field)))
    return "Setup > State and Country/Territory Picklists";
  const fields = new Set(parts.map(([, field = ""]) => field.toLowerCase()));
  return fields.size === 1 ? `Setup > Object Manager > ${joinList(
    parts.map(([object = ""]) => object),
    "and"
  )} > Fields & Relationships > ${parts[0][1]}` : `each field's values in Setup > Object Manager`;
}
var activeValues = (active, several) => {
  const its = several ? "their" : "its";
  return active.length === 1 ? `${its} only active value (${someValues(active)})` : `one of ${its} ${active.length} active values (${someValues(active)})`;
};
function picklistState(field, values) {
  const picklist = field.picklist;
  if (!picklist) return null;
  if (!picklist.restricted) return { state: "free" };
  const active = picklist.values;
  const asked = picklist.multi ? [...new Set(values.flatMap((v) => v.split(";").map((one) => one.trim())))].filter(Boolean) : values;
  if (asked.length === 0) return { state: "unknown", active };
  const exact = new Set(active);
  const byCase = new Map(active.map((v) => [v.toLowerCase(), v]));
  const missing = asked.filter((v) => !exact.has(v));
  if (missing.length === 0) return { state: "has", has: [...asked] };
  const refused = missing.filter((v) => !byCase.has(v.toLowerCase()));
  if (refused.length) return { state: "refuses", refused, active };
  return { state: "cased", cased: missing.map((v) => [v, byCase.get(v.toLowerCase())]) };
}
function activeList(names, actives) {
  const first = actives[0];
  const same2 = actives.every((a) => a.length === first.length && a.every((v, i) => v === first[i]));
  if (same2) return activeValues(first, names.length > 1);
  return `a value each of them has (${joinList(
    names.map((name, i) => `${name}: ${actives[i].length} active`),
    "and"
  )})`;
}
function picklistSentence(names, s, actives) {
  const several = names.length > 1;
  const subject = joinList(names, "and");
  switch (s.state) {
    case "free":
      return `${subject} ${several ? "are not restricted picklists" : "is not a restricted picklist"}, so Salesforce takes any value HubSpot sends`;
    case "unknown":
      return `${subject} ${several ? "are restricted picklists" : "is a restricted picklist"}, and Sync Doctor could not read which value Salesforce refused: HubSpot's property must send ${activeList(names, actives)}`;
    case "has":
      return `${subject} ${several ? "have" : "has"} ${joinList(quoted(s.has), "and")} among ${several ? "their" : "its"} active values`;
    case "cased":
      return `${subject} ${several ? "have" : "has"} ${joinList(
        s.cased.map(([refused, stored]) => `'${stored}', not '${refused}'`),
        "and"
      )}: make HubSpot's property send ${s.cased.length === 1 ? "it" : "them"} spelled exactly so`;
    case "refuses":
      return `${subject} still ${several ? "have" : "has"} no active value ${joinList(quoted(s.refused), "or")}: add ${s.refused.length === 1 ? "it" : "them"} (or activate ${s.refused.length === 1 ? "it" : "them"}, if there but inactive) in ${valuesPlace(names)}, or change HubSpot's property to send ${activeList(names, actives)}`;
  }
}
function recordTypeSentence(object, field, types, values) {
  const several = types.length > 1;
  return `${object}'s record ${several ? "types" : "type"} ${joinList(types, "and")} ${several ? "do" : "does"} not offer ${joinList(quoted(values), "or")} for ${field}: add ${values.length > 1 ? "them" : "it"} to ${several ? "each" : "it"} in Setup > Object Manager > ${object} > Record Types (${field}'s values)`;
}
function picklistNow(names, values, diagnosis) {
  const results = inOrder(diagnosis.fields.filter(same(names)), names);
  if (results.length === 0) return goneNow(names, diagnosis);
  const alike = /* @__PURE__ */ new Map();
  const judged = results.map((field) => ({ field, state: picklistState(field, values) }));
  for (const { field, state } of judged) {
    if (!state) continue;
    const { active, ...said } = { active: [], ...state };
    const key = JSON.stringify(said);
    const known2 = alike.get(key);
    if (known2) {
      known2.names.push(field.name);
      known2.actives.push(active);
    } else alike.set(key, { names: [field.name], state, actives: [active] });
  }
  const states = [...alike.values()];
  const offered = judged.flatMap(({ field, state }) => {
    if (state?.state !== "has") return [];
    const [object = "", name = ""] = field.name.split(".");
    return [
      {
        object,
        field: name,
        has: state.has,
        lacking: recordTypesLacking(diagnosis.recordTypePicklists, object, name, state.has)
      }
    ];
  });
  const short = results.filter((f) => !(f.effective.read && f.effective.edit));
  const parts = [
    ...states.map(({ names: same2, state, actives }) => picklistSentence(same2, state, actives)),
    ...offered.filter((o) => o.lacking?.length).map((o) => recordTypeSentence(o.object, o.field, o.lacking, o.has)),
    ...short.length ? [`the integration user still lacks ${joinList(short.map(lacking))}`] : []
  ];
  if (parts.length === 0) return null;
  const fixed = (s) => s.state === "free" || s.state === "has";
  const ok = short.length === 0 && states.length > 0 && states.every((s) => fixed(s.state)) && offered.every((o) => !o.lacking?.length);
  const recordTypesRead = offered.length > 0 && offered.every((o) => o.lacking !== null);
  const caveat = !offered.length ? "" : recordTypesRead ? "; every active record type offers it, so if they fail again, the picklist's controlling field does not allow it (its field dependencies)" : "; if they fail again, the records' record type does not offer the value (add it there) or the picklist's controlling field does not allow it (its field dependencies)";
  return {
    ok,
    text: `Now: ${parts.join("; ")}${ok ? `. Resync these records${caveat}.` : "."}`
  };
}

// packages/core/src/relayed/syncErrorsNow.ts
function fieldsNow(names, diagnosis) {
  const results = inOrder(diagnosis.fields.filter(same(names)), names);
  if (results.length === 0) return goneNow(names, diagnosis);
  const short = results.filter((f) => !(f.effective.read && f.effective.edit));
  if (short.length)
    return {
      ok: false,
      text: `Now: the integration user still lacks ${joinList(short.map(lacking))}.`
    };
  return {
    ok: true,
    text: `Now: the integration user can read and edit ${joinList(results.map((f) => f.name))}; resync these records.`
  };
}
function objectsNow(kind, names, diagnosis) {
  const results = inOrder(diagnosis.objects.filter(same(names)), names);
  if (results.length === 0) return null;
  const short = results.filter((o) => !(o.effective.read && o.effective.edit));
  if (short.length)
    return {
      ok: false,
      text: `Now: the integration user still lacks ${joinList(short.map(lacking))}.`
    };
  const found = joinList(results.map((o) => o.name));
  const isResult = same(results.map((o) => o.name));
  const sharing = diagnosis.findings.find(
    (f) => f.rule === RULES.orgWideDefault && isResult({ name: f.subject })
  );
  if (sharing)
    return { ok: false, text: `Now: read and edit on ${found} are there. ${sharing.message}` };
  if (kind === "record-access")
    return {
      ok: true,
      text: `Now: read and edit on ${found} are there and no sharing limit shows, so look at the records: a link to a record the integration user cannot see, one deleted, merged or converted, or a value Salesforce refuses.`
    };
  return { ok: true, text: `Now: read and edit on ${found} are there; resync these records.` };
}
function ownerNow(object, diagnosis) {
  if (isActivity(object)) return null;
  const grant = diagnosis.sideGrants?.find((g) => g.name === INACTIVE_OWNERS_PERMISSION);
  if (!grant) return null;
  if (grant.absent)
    return {
      ok: false,
      text: 'Now: this org does not offer "Update Records with Inactive Owners": its User Interface setting is off (or the edition lacks it).'
    };
  if (grant.granted === void 0) return null;
  if (grant.granted)
    return {
      ok: true,
      text: `Now: the integration user has "Update Records with Inactive Owners" (${grant.by.join(", ")}); resync these records. A record HubSpot creates still needs an active owner.`
    };
  return {
    ok: false,
    text: 'Now: the integration user lacks "Update Records with Inactive Owners".'
  };
}
function syncErrorNow(line2, diagnosis) {
  if (line2.kind === "owner") return ownerNow(line2.object ?? null, diagnosis);
  if (line2.kind === "custom-code")
    return validationRuleNow(
      {
        object: line2.object ?? null,
        example: line2.example ?? null,
        ...line2.validationRules ? { validationRules: line2.validationRules } : {}
      },
      diagnosis.validationRules
    );
  if (line2.kind === "duplicate")
    return duplicateRuleNow(
      { object: line2.object ?? null, example: line2.example ?? null },
      diagnosis.duplicateRules
    );
  if (line2.kind === "field-permission" && line2.fields.length)
    return fieldsNow(line2.fields, diagnosis);
  if (line2.kind === "picklist" && line2.fields.length)
    return picklistNow(line2.fields, line2.values ?? [], diagnosis);
  if ((line2.kind === "object-permission" || line2.kind === "record-access") && line2.objects.length)
    return objectsNow(line2.kind, line2.objects, diagnosis);
  return null;
}
function syncErrorGroupNow(group2, diagnosis, kind = syncErrorKind(group2)) {
  const { checked, objects, values } = syncErrorGroupNames(group2, kind);
  return syncErrorNow(
    {
      kind,
      fields: checked,
      objects,
      values,
      object: group2.object,
      example: group2.example,
      ...group2.validationRules ? { validationRules: group2.validationRules } : {}
    },
    diagnosis
  );
}

// packages/core/src/relayed/syncErrorsText.ts
var CHECKS_LISTED = 10;
var rows = (n) => `${thousands(n)} ${n === 1 ? "row" : "rows"}`;
var records = (n) => `${thousands(n)} ${n === 1 ? "record" : "records"}`;
var MESSAGE_SHOWN = 60;
function shortened(message) {
  if (message.length <= MESSAGE_SHOWN) return message;
  const cut = message.slice(0, MESSAGE_SHOWN);
  const space = cut.lastIndexOf(" ");
  const shown = space > MESSAGE_SHOWN / 2 ? cut.slice(0, space) : cut;
  return `${shown.replace(/[\s,;:.]+$/, "")}…`;
}
function line(g, counted, diagnosis) {
  const name = syncErrorFieldName(g);
  const permission = g.reason === "FIELD_PERMISSIONS_MISSING";
  const field = permission ? name : null;
  const named = syncErrorFieldCandidates(g).map((candidates2) => candidates2[0]);
  const named3 = named.length ? `${named.slice(0, 3).join(", ")}${named.length > 3 ? ` and ${named.length - 3} more` : ""}` : g.object && g.field ? `${g.object} (${g.field})` : g.object ?? g.field;
  const { kind, label, advice: advice2 } = syncErrorKindInfo(g);
  const { checked: fields, objects, values } = syncErrorGroupNames(g, kind);
  const owner = kind === "owner" ? inactiveOwnerId(g.example) : null;
  const refusal2 = kind === "custom-code" ? validationExceptionMessage(g.example) : null;
  const detail = values.length ? values.map((v) => `'${v}'`).join(", ") : owner ? `owner ${owner}` : refusal2 ? `'${shortened(refusal2)}'` : null;
  const subject = named3 && detail ? `${named3} (${detail})` : named3 ?? detail;
  const title = suspensionReason(g.reason)?.titles.en;
  return {
    subject,
    field,
    fields,
    objects,
    reason: g.reason,
    count: g.count,
    text: `${subject ? `${subject}: ` : ""}${g.errorType}, ${counted(g.count)}${title ? ` (${title})` : ""}`,
    kind,
    label,
    advice: advice2,
    now: diagnosis ? syncErrorGroupNow(g, diagnosis, kind) : null
  };
}
function syncErrorsView(status, options = {}) {
  const syncErrors = parseSyncErrors(status?.syncErrors);
  if (!syncErrors) return null;
  const max = Math.max(0, options.lines ?? 10);
  const counted = syncErrors.records === void 0 ? rows : records;
  const said = /* @__PURE__ */ new Set();
  const asking = currentSyncErrors(status);
  const listed = syncErrors.groups.slice(0, max).map((g) => line(g, counted, asking ? options.diagnosis ?? null : null)).map((l) => {
    const repeated = l.advice !== null && said.has(l.advice);
    if (l.advice !== null) said.add(l.advice);
    return repeated ? { ...l, advice: null } : l;
  });
  const unlisted = syncErrors.groups.length - listed.length + syncErrors.groupsLeftOut;
  const received = salesforceTime(syncErrors.receivedAt);
  const since = status?.since ? salesforceTime(status.since) : Number.NaN;
  const current = status?.state === "suspended" || status?.state === "suspected";
  const choices = [...syncErrorFieldChoices(asking), ...syncErrorPicklistFieldChoices(asking)];
  const contactField = choices.some((names) => names.length > 1);
  const fields = choices.map(
    ([first, ...others]) => others.length ? `${first} (and ${others.join(", ")})` : first
  );
  const listedFields = fields.slice(0, CHECKS_LISTED);
  const moreFields = fields.length - listedFields.length;
  return {
    heading: `HubSpot's exported sync errors (received ${minute(syncErrors.receivedAt)}): ${rows(syncErrors.rows)}${syncErrors.records === void 0 ? "" : ` (${records(syncErrors.records)})`}`,
    stale: current && received < since ? `Exported before this suspension began (${minute(status.since)}): it may not show what suspended the sync. Export the errors again from Sync Health and send them to the relay.` : !asking ? `Exported before the suspension was cleared${status?.clearedAt ? ` (${minute(status.clearedAt)})` : ""}: it shows a cause HubSpot no longer reports, and Sync Doctor checks nothing it names.` : null,
    lines: listed,
    resync: listed.length ? SYNC_ERRORS_RESYNC : null,
    more: unlisted > 0 ? `and ${thousands(unlisted)} smaller ${unlisted === 1 ? "group" : "groups"}` : null,
    checks: fields.length ? `Sync Doctor checks ${fields.length === 1 && !contactField ? "the field" : "the fields"} ${joinList([...listedFields, ...moreFields ? [`${thousands(moreFields)} more`] : []])} because HubSpot failed to write ${fields.length === 1 && !contactField ? "it" : "them"}${contactField ? " (a HubSpot contact's field on Contact and on Lead, where the org has it)" : ""}.` : null
  };
}
function syncErrorsOutline(view) {
  const out = [{ part: "heading", depth: 0, text: view.heading }];
  if (view.stale) out.push({ part: "stale", depth: 0, text: view.stale });
  for (const line2 of view.lines) {
    out.push({ part: "group", depth: 1, text: line2.text });
    if (line2.advice) out.push({ part: "advice", depth: 2, text: line2.advice, label: line2.label });
    if (line2.now) out.push({ part: "now", depth: 2, text: line2.now.text, ok: line2.now.ok });
  }
  if (view.more) out.push({ part: "more", depth: 1, text: view.more });
  if (view.checks) out.push({ part: "checks", depth: 0, text: view.checks });
  if (view.resync) out.push({ part: "resync", depth: 0, text: view.resync });
  return out;
}

// packages/core/src/relayed/steps/view.ts
var amount = (value) => thousands(Math.round(value));
function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
function sourcesText(labels) {
  const unique = [...new Set(labels)];
  if (unique.length <= 3) return joinList(unique);
  return `${unique.slice(0, 3).join(", ")} and ${plural(unique.length - 3, "other")}`;
}
function assignedHow(labels) {
  const GROUP = "Permission set group: ";
  const groups = [...new Set(labels.filter((l) => l.startsWith(GROUP)))].map(
    (l) => `'${l.slice(GROUP.length)}'`
  );
  const direct = labels.some((l) => !l.startsWith(GROUP));
  const through = groups.length ? `through the group${groups.length > 1 ? "s" : ""} ${joinList(groups)}` : "";
  if (direct && through) return `assigned directly and ${through}`;
  return through ? `assigned ${through}` : "assigned directly";
}
var isProblem = (f) => f.severity === "error" || f.severity === "warning";
var View = class {
  constructor(d, hubspotWords = "", syncErrors = { unfound: [], leftOut: 0 }) {
    __publicField(this, "d", d);
    __publicField(this, "hubspotWords", hubspotWords);
    __publicField(this, "syncErrors", syncErrors);
  }
  problems(predicate) {
    return this.d.findings.filter((f) => isProblem(f) && predicate(f));
  }
  grant(kind, name) {
    const lower = name.toLowerCase();
    return (this.d.grants ?? []).find((g) => g.kind === kind && g.name.toLowerCase() === lower);
  }
  limit(name) {
    return this.d.limits.find((l) => l.name === name);
  }
  get blocking() {
    return this.d.findings.filter((f) => f.severity === "error");
  }
  /**
   * ', but 1 risk in its findings could get the sync suspended again' after "nothing blocking":
   * the diagnosis's warnings, '' when it has none.
   */
  get risksText() {
    const n = this.d.findings.filter((f) => f.severity === "warning").length;
    return n === 0 ? "" : `, but ${plural(n, "risk")} in its findings could get the sync suspended again`;
  }
  /** What the diagnosis could not check ('frozen state and Login History'), '' when it checked all. */
  get unchecked() {
    return Array.isArray(this.d.unchecked) ? uncheckedList(this.d.unchecked) : "";
  }
  /**
   * 'check by hand what Sync Doctor could not read (frozen state and Login History)', '' when it
   * checked all: the one sentence of the summary that asks for it (the steps point to it, "below").
   */
  get byHand() {
    return this.unchecked ? `check by hand what Sync Doctor could not read (${this.unchecked})` : "";
  }
};
var capital = (text4) => `${text4.charAt(0).toUpperCase()}${text4.slice(1)}`;
function hubspotClick(v) {
  const blocking = v.blocking.length;
  const unchecked = v.unchecked;
  const risks = v.risksText;
  return {
    status: "unknown",
    evidence: blocking === 0 ? (
      // The summary, below the steps, asks for the checks by hand: said there once.
      `This step is in HubSpot, which Sync Doctor cannot see. Sync Doctor's checks find nothing blocking now${risks}${unchecked ? "; some it could not make, and they come first (below)" : ""}.`
    ) : `This step is in HubSpot, which Sync Doctor cannot see. Not yet: ${plural(blocking, "blocking finding")} ${blocking === 1 ? "remains" : "remain"} in Sync Doctor's findings.`,
    click: true,
    ...blocking > 0 ? { notYet: true } : {}
  };
}
function unseen(evidence) {
  return { status: "unknown", evidence };
}
var HUBSPOT_SIDE = "A HubSpot setting or action: Sync Doctor reads only Salesforce.";
var OUTSIDE = "Outside what Sync Doctor can read from Salesforce.";

// packages/core/src/relayed/steps/accessSteps.ts
function grantStep(v, kind, name, label, findings) {
  const grant = v.grant(kind, name);
  const verb = kind === "permissionSet" ? "assigned" : "granted";
  if (grant?.granted === true)
    return {
      status: "done",
      checked: true,
      evidence: kind === "permissionSet" ? `${label} is ${assignedHow(grant.by)}.` : `${label} is ${verb} through ${sourcesText(grant.by)}.`,
      findings
    };
  const errors = findings.filter((f) => f.severity === "error");
  if (grant?.granted === false && errors.length)
    return { status: "todo", checked: true, evidence: `${label} is not ${verb}.`, findings };
  const inSentence = label.replace(/^The /, "the ");
  return {
    status: "unknown",
    checked: true,
    evidence: findings.length ? `Sync Doctor could not tell whether ${inSentence} is ${verb}: see the finding.` : `Sync Doctor could not tell whether ${inSentence} is ${verb}: Sync Doctor read no permission set assignments.`,
    findings
  };
}
function lacking2(o) {
  if (o.exists === false) return o.required;
  return o.required.filter((r) => !o.effective[r]);
}
function unjudged(o) {
  if (o.missing !== void 0) return false;
  return typeof o.note === "string" && o.note.startsWith("Not judged") || o.rule === RULES.taskEditTasks || o.rule === RULES.userVisibility;
}
function objectRightFindings(v, objects) {
  const names = new Set(objects.map((o) => o.name.toLowerCase()));
  return v.problems(
    (f) => names.has(f.subject.toLowerCase()) && f.rule !== RULES.orgWideDefault && (f.reason === "OBJECT_PERMISSIONS_MISSING" || f.rule === RULES.objectDeleted)
  );
}
function objectStep(v, objects, none) {
  if (objects.length === 0) return { status: "done", checked: true, evidence: none };
  const findings = objectRightFindings(v, objects);
  const missing = objects.filter((o) => !unjudged(o) && lacking2(o).length > 0).map(
    (o) => o.exists === false ? `${o.name} (not in the org)` : `${joinList(lacking2(o).map((r) => OBJECT_RIGHT_LABELS[r]))} on ${o.name}`
  );
  if (missing.length)
    return { status: "todo", checked: true, evidence: `Missing: ${missing.join("; ")}.`, findings };
  const notJudged = objects.filter(unjudged);
  if (notJudged.length)
    return {
      status: "unknown",
      checked: true,
      evidence: `Not judged on ${joinList(notJudged.map((o) => o.name))}${notJudged.find((o) => o.note)?.note ? `: ${notJudged.find((o) => o.note).note}` : "."}`,
      findings
    };
  return {
    status: "done",
    checked: true,
    evidence: `Every required right on ${joinList(objects.map((o) => o.name))} is granted, by ${sourcesText(objects.flatMap((o) => o.grantedBy))}.`,
    findings
  };
}
var FIELD_RULES = /* @__PURE__ */ new Set([
  RULES.fieldLevelSecurity,
  RULES.adminDataPermissionsNoFls,
  RULES.fieldNotFound
]);
function blockedByObject(v) {
  const byName = new Map(v.d.objects.map((o) => [o.name.toLowerCase(), o]));
  const blocked = v.d.fields.filter(
    (f) => f.exists !== false && Array.isArray(f.missing) && f.missing.length === 0 && fieldFails(f)
  );
  const objects = [];
  for (const f of blocked) {
    const o = byName.get(f.name.slice(0, f.name.indexOf(".")).toLowerCase());
    if (o && !objects.includes(o)) objects.push(o);
  }
  const findings = objectRightFindings(v, objects);
  const text4 = joinList(
    objects.map((o) => {
      const rights = lacking2(o);
      return rights.length ? `${o.name} lacks ${joinList(rights.map((r) => OBJECT_RIGHT_LABELS[r]))}` : `${o.name}'s access blocks them`;
    })
  );
  return { count: blocked.length, text: text4, findings };
}
function fieldStep(v, all) {
  const findings = v.problems(
    // A finding without a rule comes from an older producer: count it, it names a field.
    (f) => f.reason === "FIELD_PERMISSIONS_MISSING" && (!f.rule || FIELD_RULES.has(f.rule))
  );
  const notJudged = v.problems(
    (f) => f.rule === RULES.sectionAbsent && f.reason === "FIELD_PERMISSIONS_MISSING"
  );
  const fields = v.d.fields.filter((f) => f.exists !== false);
  const blocked = blockedByObject(v);
  const blockedText = (more) => `${more ? `${blocked.count} more` : `${blocked.count} of them`} cannot be synced: ${blocked.text} (see Object permissions).`;
  if (findings.length)
    return {
      status: "todo",
      checked: true,
      evidence: `${plural(findings.length, "mapped field")} still ${findings.length === 1 ? "lacks" : "lack"} access: ${joinList(findings.slice(0, 5).map((f) => f.subject))}${findings.length > 5 ? " and more" : ""}.${blocked.count ? ` ${blockedText(true)}` : ""}`,
      findings: [...findings, ...blocked.findings]
    };
  const unjudgedFields = fields.filter((f) => f.note?.includes("Not judged"));
  if (notJudged.length || unjudgedFields.length)
    return {
      status: "unknown",
      checked: true,
      evidence: "Field-level security could not be judged from what Sync Doctor read.",
      findings: notJudged
    };
  if (blocked.count)
    return {
      status: blocked.findings.length ? "todo" : "unknown",
      checked: true,
      evidence: `Field-level security is right on ${fields.length === 1 ? "the 1 mapped field" : `all ${fields.length} mapped fields`}, but ${blockedText(false)}`,
      findings: blocked.findings
    };
  return {
    status: "done",
    checked: true,
    evidence: all ? `All ${plural(fields.length, "mapped field")} Sync Doctor checks have the access HubSpot needs (fields reached only through lookups are checked when they are mapped).` : `Every mapped field passes: all ${plural(fields.length, "field")} Sync Doctor checks have the access HubSpot needs.`
  };
}
var SYNC_ERRORS_PLACE = `HubSpot's sync errors (${HUBSPOT_SYNC_HEALTH_PLACE} > Sync errors, or the relay's sync-errors export)`;
var DOTTED_NAME = /(?:^|[^\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)+)(?![\p{L}\p{N}_])/gu;
var CUSTOM_SUFFIX = /__[a-z]+$/;
function fieldsNamedByHubSpot(v) {
  const words = v.hubspotWords.toLowerCase();
  const checkedFields = v.d.fields.filter((f) => f.exists !== false).map((f) => f.name);
  const byName = new Map(checkedFields.map((name) => [name.toLowerCase(), name]));
  const objects = /* @__PURE__ */ new Set([
    ...v.d.objects.map((o) => o.name.toLowerCase()),
    ...v.d.fields.map((f) => f.name.split(".")[0].toLowerCase())
  ]);
  const found = /* @__PURE__ */ new Set();
  let unknown = false;
  for (const [, name = ""] of words.matchAll(DOTTED_NAME)) {
    const known2 = byName.get(name);
    if (known2) found.add(known2);
    else if (objects.has(name.split(".")[0]) || name.split(".").some((p) => CUSTOM_SUFFIX.test(p)))
      unknown = true;
  }
  return { checked: checkedFields.filter((name) => found.has(name)), unknown };
}
function findFieldStep(v) {
  const step = fieldStep(v, false);
  if (step.status === "todo")
    return {
      ...step,
      status: "done",
      evidence: `Sync Doctor's findings name them. ${step.evidence}`
    };
  if (step.status !== "done") return step;
  const { unfound, leftOut } = v.syncErrors;
  if (unfound.length || leftOut)
    return {
      status: "unknown",
      evidence: [
        unfound.length ? `HubSpot's sync errors name ${joinList(unfound.slice(0, 5))}${unfound.length > 5 ? " and more" : ""}, which Sync Doctor did not find in this org: deleted, renamed, hidden from the user who read the org, or a HubSpot label rather than a Salesforce field name. Check ${unfound.length === 1 ? "it" : "them"} in Setup > Object Manager, or the mapping in HubSpot, before you clear the suspension.` : "",
        leftOut ? `HubSpot's sync errors name more fields than the relay carried into Salesforce (${plural(leftOut, "field-permission group")} left out): read the whole export in ${SYNC_ERRORS_PLACE} before you clear the suspension.` : ""
      ].filter(Boolean).join(" "),
      decides: `check the fields HubSpot's sync errors name that Sync Doctor could not check, in ${SYNC_ERRORS_PLACE}`
    };
  const { checked: named, unknown } = fieldsNamedByHubSpot(v);
  if (named.length && !unknown)
    return {
      status: "done",
      checked: true,
      evidence: `HubSpot's message names ${joinList(named)}, which Sync Doctor checks: ${named.length === 1 ? "it has" : "they have"} the access HubSpot needs now.`
    };
  const known2 = plural(v.d.fields.filter((f) => f.exists !== false).length, "mapped field");
  return {
    status: "unknown",
    evidence: `Not checked: the ${known2} Sync Doctor knows of pass, but a field mapped only in HubSpot is not known to Sync Doctor. Find the field named in ${SYNC_ERRORS_PLACE}, and add it to Sync Doctor's required fields before you clear the suspension.`,
    decides: `find the field named in ${SYNC_ERRORS_PLACE}: a field mapped only in HubSpot is not known to Sync Doctor, so add it to Sync Doctor's required fields and check again`
  };
}

// packages/core/src/relayed/steps/orgSteps.ts
function storageStep(v) {
  const limits = ["DataStorageMB", "FileStorageMB"].map((name) => v.limit(name)).filter((l) => l !== void 0);
  const findings = v.problems((f) => f.reason === "STORAGE_LIMIT_EXCEEDED");
  if (limits.length === 0)
    return {
      status: "unknown",
      checked: true,
      evidence: "The storage limits were not read.",
      findings
    };
  const full = findings.filter((f) => f.severity === "error");
  const reading = limits.map(
    (l) => `${l.name === "DataStorageMB" ? "data" : "file"} storage ${percent(l.ratio)} used (${amount(l.used)} of ${amount(l.max)} MB)`
  ).join(", ");
  if (full.length)
    return { status: "todo", checked: true, evidence: `Still full: ${reading}.`, findings };
  if (limits.length < 2)
    return {
      status: "unknown",
      checked: true,
      evidence: `The ${limits[0].name === "DataStorageMB" ? "file" : "data"} storage limit was not read (${reading}).`,
      findings
    };
  if (findings.some((f) => f.severity === "warning"))
    return {
      status: "unknown",
      outcome: "at-risk",
      checked: true,
      evidence: `At risk: there is room, but little, ${reading}.`,
      findings
    };
  return {
    status: "unknown",
    outcome: "not-the-cause",
    checked: true,
    evidence: `Not the cause now: there is room, ${reading}.`,
    findings
  };
}
function orgNearApiLimit(v) {
  const api = v.limit("DailyApiRequests");
  return api !== void 0 && api.ratio >= API_WARNING_RATIO;
}
var API_EDITIONS = /\b(enterprise|unlimited|performance|developer)\b/i;
function editionStep(v) {
  const edition = v.d.edition;
  if (!edition)
    return unseen(
      "Sync Doctor did not read the org's edition: Setup > Company Information shows it."
    );
  if (API_EDITIONS.test(edition))
    return {
      status: "done",
      checked: true,
      evidence: `Sync Doctor read the org's edition: ${edition}, which includes API access.`
    };
  if (/\bprofessional\b/i.test(edition))
    return unseen(
      `Sync Doctor read the org's edition: ${edition}, which includes API access only with the API add-on, and Sync Doctor cannot see add-ons.`
    );
  return unseen(
    `Sync Doctor read the org's edition: ${edition}, not one it knows to include API access: check it with Salesforce.`
  );
}
function apiReading(v) {
  const api = v.limit("DailyApiRequests");
  if (!api) return void 0;
  return `${percent(api.ratio)} of the org's daily API requests are used (${amount(api.used)} of ${amount(api.max)})`;
}
function lookupAfterObjects(objects, lookups) {
  if (objects.status !== "todo" || lookups.status !== "done") return [objects, lookups];
  return [
    objects,
    {
      ...lookups,
      status: "unknown",
      outcome: "not-the-cause",
      evidence: `Not the cause now: the step before is still to do, and ${lookups.evidence.charAt(0).toLowerCase()}${lookups.evidence.slice(1)}`
    }
  ];
}

// packages/core/src/relayed/suspensionSteps.ts
var HIDDEN_IN_UNREAD_PARTS = /* @__PURE__ */ new Set([
  "API_ACCESS_DISABLED"
]);
var JUDGES = {
  API_LIMIT_EXCEEDED: (v) => {
    const reading = apiReading(v);
    const findings = v.problems(
      (f) => f.reason === "API_LIMIT_EXCEEDED" && (f.rule === RULES.apiLimit || f.rule === RULES.connectedAppApiLimit)
    );
    const exhausted = findings.some((f) => f.severity === "error");
    const orgExhausted = findings.some((f) => f.severity === "error" && f.rule === RULES.apiLimit);
    const appExhausted = findings.find(
      (f) => f.severity === "error" && f.rule === RULES.connectedAppApiLimit
    );
    const confirm = !reading ? {
      status: "unknown",
      checked: true,
      evidence: "The API limit was not read.",
      findings: v.problems((f) => f.reason === "API_LIMIT_EXCEEDED")
    } : exhausted ? {
      status: "done",
      checked: true,
      evidence: orgExhausted || !appExhausted ? `Sync Doctor read it: ${reading}; the limit is reached.` : `Sync Doctor read it: ${appExhausted.message} (${reading}.)`,
      findings
    } : findings.some((f) => f.severity === "warning") ? {
      // Below the maximum but near it: a risk, not "Not the cause now".
      status: "unknown",
      outcome: "at-risk",
      checked: true,
      evidence: `At risk: ${reading}, near the maximum. Whether the org was at it when HubSpot suspended the sync, the rolling 24-hour window no longer shows.`,
      findings
    } : {
      // Below the maximum now does not confirm it was at it: the step cannot be "done".
      status: "unknown",
      outcome: "not-the-cause",
      checked: true,
      evidence: `Not the cause now: ${reading}, below the maximum. Whether the org was at it when HubSpot suspended the sync, the rolling 24-hour window no longer shows.`,
      findings
    };
    const api = v.limit("DailyApiRequests");
    const near = reading && !exhausted && api !== void 0 && api.ratio >= API_WARNING_RATIO;
    const allocation = near ? {
      status: "unknown",
      evidence: `Not checked: "Allocated to HubSpot" is a HubSpot setting. With ${percent(api.ratio)} of the org's daily API requests used, lower it in ${HUBSPOT_ALLOCATION_PLACE}, or wait for older calls to fall out of the rolling 24-hour window, before you clear the suspension: otherwise HubSpot uses up the rest and the sync is suspended again.`,
      decides: `the org has used ${percent(api.ratio)} of its daily API requests, so lower "Allocated to HubSpot" in ${HUBSPOT_ALLOCATION_PLACE}, or wait for older calls to fall out of the rolling 24-hour window`
    } : unseen(HUBSPOT_SIDE);
    return [
      confirm,
      unseen(
        "Sync Doctor reads the org's total, and HubSpot's own count when Salesforce lists it, not which other integrations made the calls."
      ),
      allocation,
      unseen(OUTSIDE),
      hubspotClick(v)
    ];
  },
  API_ACCESS_DISABLED: (v) => [
    grantStep(
      v,
      "systemPermission",
      "PermissionsApiEnabled",
      "API Enabled",
      v.problems((f) => f.subject === "PermissionsApiEnabled")
    ),
    editionStep(v),
    hubspotClick(v)
  ],
  UNKNOWN_ERROR: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  OBJECT_PERMISSIONS_MISSING: (v) => [
    grantStep(
      v,
      "permissionSet",
      HUBSPOT_PERMISSION_SET,
      `The permission set "${HUBSPOT_PERMISSION_SET}"`,
      v.problems(
        (f) => f.rule === RULES.requiredPermissionSet && f.subject === HUBSPOT_PERMISSION_SET
      )
    ),
    ...lookupAfterObjects(
      objectStep(
        v,
        v.d.objects.filter((o) => o.rule !== RULES.lookupTarget),
        "No synced object is required."
      ),
      objectStep(
        v,
        v.d.objects.filter((o) => o.reachedBy?.some((r) => r.startsWith("lookup"))),
        "No mapped lookup reaches another object."
      )
    ),
    hubspotClick(v)
  ],
  FIELD_PERMISSIONS_MISSING: (v) => [
    findFieldStep(v),
    fieldStep(v, false),
    fieldStep(v, true),
    hubspotClick(v)
  ],
  ORG_LOCKED: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  STORAGE_LIMIT_EXCEEDED: (v) => [
    unseen("Sync Doctor reads the totals only, not which objects take the space."),
    storageStep(v),
    hubspotClick(v)
  ],
  // An outage comes and goes: Salesforce answering Sync Doctor once is no outage seen as over,
  // so the step stays the admin's to check on Salesforce Status (the reason is never "fixed").
  ORG_UNAVAILABLE: (v) => [
    unseen(OUTSIDE),
    v.d.judgedAt ? unseen(
      `Salesforce answered Sync Doctor at ${minute(v.d.judgedAt)}, but an outage comes and goes: Salesforce Status shows whether the instance is available.`
    ) : unseen(OUTSIDE),
    hubspotClick(v)
  ],
  SERVER_ERROR: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  HUBSPOT_API_LIMIT_EXCEEDED: (v) => {
    const reading = apiReading(v);
    return [
      {
        status: "unknown",
        outcome: "nothing-to-do",
        evidence: "Nothing to check: HubSpot resumes by itself. The share allocated to HubSpot is a HubSpot setting, which Sync Doctor cannot see."
      },
      unseen(
        !reading ? HUBSPOT_SIDE : orgNearApiLimit(v) ? (
          // Raising HubSpot's share would spend what the org has left: reaching the org-wide
          // limit suspends the sync too ("Salesforce API limit exceeded").
          `Sync Doctor read the org's side: ${reading}, near the org's own limit. Do not raise "Allocated to HubSpot" now: HubSpot would use up what the org has left, and reaching the org-wide limit suspends the sync too. Wait for HubSpot to resume as calls fall out of the rolling 24-hour window, or lower the other integrations' API use first.`
        ) : `Sync Doctor read the org's side: ${reading}. The allocation is a HubSpot setting.`
      )
    ];
  },
  FIELD_MAPPINGS_MISSING: (v) => {
    const findings = v.problems(
      (f) => f.rule === RULES.fieldDeleted || f.rule === RULES.objectDeleted
    );
    const described = !v.d.findings.some(
      (f) => f.rule === RULES.sectionAbsent && f.subject === "fields"
    );
    const hidden = v.d.findings.filter(
      (f) => f.rule === RULES.sectionAbsent && f.reason === "FIELD_MAPPINGS_MISSING"
    );
    const notFound = v.problems((f) => f.rule === RULES.fieldNotFound);
    const exists = findings.length ? {
      status: "todo",
      checked: true,
      evidence: `Not in the org: ${joinList(findings.map((f) => f.subject))}.`,
      findings
    } : notFound.length ? {
      status: "unknown",
      checked: true,
      evidence: `Not found when Sync Doctor read the org's fields, so deleted or hidden from the user who read it: ${joinList(notFound.map((f) => f.subject))}.`,
      findings: notFound
    } : hidden.length ? {
      status: "unknown",
      checked: true,
      evidence: `Not checked, hidden from the user who read the org: ${joinList(hidden.map((f) => f.subject))}.`,
      findings: hidden
    } : described ? {
      status: "done",
      checked: true,
      evidence: `Every one of the ${plural(v.d.fields.length, "mapped field")} Sync Doctor checks exists in the org.`
    } : {
      status: "unknown",
      checked: true,
      evidence: "Sync Doctor read no field definitions."
    };
    const mappings = {
      status: "unknown",
      evidence: `Not checked: the mappings are in HubSpot, and Sync Doctor reads only Salesforce. Check them in ${HUBSPOT_MAPPINGS_PLACE} before you clear the suspension.`,
      decides: `check the property mappings in ${HUBSPOT_MAPPINGS_PLACE}`
    };
    return [mappings, exists, hubspotClick(v), unseen(OUTSIDE)];
  }
};
function findingPointer(finding, own, steps, headed) {
  const cause = finding.cause && Object.hasOwn(CAUSES, finding.cause) ? CAUSES[finding.cause] : void 0;
  const short = cause?.title ?? (finding.rule ? ruleLabel(finding.rule) : finding.message);
  const subject = subjectLabel(finding.subject);
  const more = own.filter((f) => f.severity === "error" && f !== finding).length;
  const named = `${short}${subject ? ` (${subject})` : ""}${more ? ` and ${plural(more, "more finding")}` : ""}`;
  if (!headed) return `${named}, see Findings.`;
  const step = steps.findIndex((s) => s.findings.includes(finding)) + 1;
  return `${named}, listed ${step ? `under step ${step}` : "below"}.`;
}
var NOW_FINE = {
  API_LIMIT_EXCEEDED: "the org has API requests left now",
  API_ACCESS_DISABLED: "the integration user is active and has API Enabled now",
  UNKNOWN_ERROR: "",
  OBJECT_PERMISSIONS_MISSING: "the HubSpot permission set is assigned and every required object right is granted now",
  FIELD_PERMISSIONS_MISSING: "every mapped field Sync Doctor knows of passes now",
  ORG_LOCKED: "",
  STORAGE_LIMIT_EXCEEDED: "the org has storage left now",
  ORG_UNAVAILABLE: "",
  SERVER_ERROR: "",
  HUBSPOT_API_LIMIT_EXCEEDED: "",
  FIELD_MAPPINGS_MISSING: "every mapped field exists in Salesforce now"
};
function checkSuspensionSteps(reason, diagnosis, options = {}) {
  const headed = options.headed === true;
  const entry2 = suspensionReason(reason);
  if (!entry2) throw new TypeError(`checkSuspensionSteps: unknown reason '${String(reason)}'`);
  if (!diagnosis || !Array.isArray(diagnosis.findings))
    throw new TypeError("checkSuspensionSteps: a Diagnosis is required");
  const syncErrors = currentSyncErrors(options.status);
  const has = (name) => diagnosis.fields.some((f) => f.exists !== false && f.name.toLowerCase() === name.toLowerCase());
  const choices = syncErrorFieldChoices(syncErrors);
  const words = [
    options.status?.title,
    options.status?.excerpt,
    // A HubSpot contact's field is on Contact or Lead: HubSpot names the one the org has. A name
    // only the export's field column gave, that the org does not have, was a label: no field.
    ...choices.map((names) => names.find(has)),
    ...syncErrorSureFieldChoices(syncErrors).filter((names) => !names.some(has)).map((names) => names[0])
  ].filter((w) => typeof w === "string").join("\n");
  const v = new View(diagnosis, words, {
    // Only fields Salesforce named (or custom ones): a capitalised label the export's field
    // column held ('Region') is no field the org lost.
    unfound: syncErrorSureFieldChoices(syncErrors).filter((names) => !names.some(has)).map((names) => joinList(names, "or")),
    leftOut: syncErrors?.fieldGroupsLeftOut ?? 0
  });
  const judgements = JUDGES[reason](v);
  const decidingIndex = judgements.findIndex((j) => j.decides && j.status === "unknown");
  const decider = decidingIndex >= 0 ? judgements[decidingIndex] : void 0;
  if (decider) {
    for (const [i, j] of judgements.entries())
      if (j.click && !j.notYet)
        judgements[i] = {
          ...j,
          evidence: `This step is in HubSpot, which Sync Doctor cannot see. Not yet: do step ${decidingIndex + 1} first, which Sync Doctor cannot check${v.unchecked ? ", and the checks it could not make (below)" : ""}.`,
          notYet: true
        };
  }
  if (judgements.length !== entry2.remedy.length)
    throw new Error(
      `checkSuspensionSteps: ${reason} has ${entry2.remedy.length} remedy steps but ${judgements.length} judgements`
    );
  const steps = entry2.remedy.map((text4, i) => {
    const j = judgements[i];
    return {
      text: text4,
      status: j.status,
      evidence: j.evidence,
      findings: j.findings ?? [],
      ...j.outcome ? { outcome: j.outcome } : {},
      ...j.notYet ? { notYet: j.notYet } : {},
      ...j.decides ? { decides: true } : {}
    };
  });
  const linked = new Set(steps.flatMap((s) => s.findings));
  const own = v.problems((f) => f.reason === reason && !f.symptom);
  const alsoFound = own.filter((f) => !linked.has(f));
  const ownBlocking = own.some((f) => f.severity === "error");
  const risk = ownBlocking ? void 0 : steps.filter((s) => s.outcome === "at-risk").flatMap((s) => s.findings).find((f) => f.severity === "warning" && f.reason === reason);
  const riskStep = risk ? steps.findIndex((s) => s.findings.includes(risk)) + 1 : 0;
  const riskAt = `(step ${riskStep})`;
  const riskListed = `Step ${riskStep} lists the risk.`;
  const otherRisks = diagnosis.findings.some((f) => f.severity === "warning" && f !== risk);
  const others = /* @__PURE__ */ new Map();
  for (const f of v.blocking) {
    if (f.reason === reason || f.symptom || linked.has(f)) continue;
    others.set(f.reason, [...others.get(f.reason) ?? [], f]);
  }
  const otherCauses = [...others].map(([code, findings]) => ({
    reason: code,
    title: suspensionReason(code)?.titles.en ?? code,
    findings
  }));
  const otherText = joinList(otherCauses.map((c) => `"${c.title}"`));
  const causes = otherCauses.length === 1 ? "another blocking cause" : "other blocking causes";
  const checked = judgements.filter((j) => j.checked);
  let agreement;
  let summary;
  const title = `"${entry2.titles.en}"`;
  if (ownBlocking || checked.some((j) => j.status === "todo")) {
    agreement = "confirmed";
    const ownError = own.find((f) => f.severity === "error");
    const foreign = steps.find(
      (s) => s.status === "todo" && s.findings.length > 0 && s.findings.every((f) => f.reason !== reason)
    );
    summary = own.length === 0 && foreign ? `${headed ? "Another cause is behind it" : "Sync Doctor sees this cause too, though another one is behind it"}: ${foreign.evidence} Fix that first.` : steps.some((s) => s.status === "todo") || !ownError ? `${headed ? "The" : "Sync Doctor sees this cause too: the"} steps marked "to do" name the findings that say what is missing.` : `${headed ? "" : "Sync Doctor sees this cause too: "}${findingPointer(ownError, own, steps, headed)}`;
    if (otherCauses.length) summary += ` It also finds ${causes}: ${otherText}.`;
    if (v.byHand && v.blocking.length === 0) summary += ` ${capital(v.byHand)} too.`;
  } else if (checked.some((j) => j.status === "unknown" && !j.outcome)) {
    agreement = "not-judged";
    const unread = checked.find((j) => j.status === "unknown" && !j.outcome).evidence;
    summary = headed ? unread : `Sync Doctor could not check this cause from what it read: ${unread}`;
    if (v.byHand && v.blocking.length === 0) summary += ` ${capital(v.byHand)} too.`;
  } else if (otherCauses.length) {
    agreement = "other-cause";
    summary = `HubSpot reported ${title}, but ${checked.length ? `${NOW_FINE[reason]}` : "Sync Doctor cannot see that cause from Salesforce"}. It finds ${otherCauses.length === 1 ? "a different blocking cause" : "different blocking causes"}: ${otherText}. Fix ${otherCauses.length === 1 ? "it" : "them"} first, or HubSpot suspends the sync again.`;
  } else if (checked.length === 0) {
    agreement = "not-visible";
    summary = `${headed ? `The steps marked "Not checked" are yours to check. Sync Doctor's` : 'Sync Doctor cannot see this cause from Salesforce: the steps marked "Not checked" are yours to check. Its'} own checks find nothing blocking${v.risksText}.${v.byHand ? ` ${capital(v.byHand)} too.` : ""}`;
  } else if (v.unchecked && HIDDEN_IN_UNREAD_PARTS.has(reason)) {
    agreement = "not-judged";
    summary = `${headed ? capital(NOW_FINE[reason]) : `Sync Doctor could not check this cause from what it read: ${NOW_FINE[reason]}`}, but a frozen user, logins refused by IP ranges or login hours, or a user not approved for HubSpot's connected app suspend the sync for it too. ${capital(v.byHand)} before you clear the suspension.`;
  } else if (decider) {
    agreement = "check-in-hubspot";
    const byHand = v.byHand ? ` ${capital(v.byHand)} too.` : "";
    const risks = diagnosis.verdict === "at-risk" && otherRisks ? ` Sync Doctor also reports ${risk ? "other " : ""}risks (warnings): review them too.` : "";
    const side = risk ? `${headed ? riskListed : `At risk of this cause ${riskAt}.`} What decides this cause is in HubSpot` : `${headed ? capital(NOW_FINE[reason]) : `Salesforce's side looks right: ${NOW_FINE[reason]}`}. But what decides this cause is in HubSpot`;
    summary = `${side}, which Sync Doctor cannot see. Before you ${entry2.liftedBy}, do step ${decidingIndex + 1}: ${decider.decides}.${byHand}${risks}`;
  } else {
    agreement = v.byHand ? "partly-checked" : "fixed-since";
    const risks = diagnosis.verdict === "at-risk" && otherRisks ? ` Sync Doctor still reports ${risk ? "other " : ""}risks (warnings): review them too.` : "";
    const now = capital(NOW_FINE[reason]);
    const atRisk = risk ? headed ? riskListed : `${now}, but at risk of this cause ${riskAt}.` : `${now}.`;
    summary = v.byHand ? `${atRisk} Before you ${entry2.liftedBy}, ${v.byHand}, or HubSpot may suspend the sync again.${risks}` : (
      // The fact only: the catalog's "Clear Suspension" step (and the report's) says to clear;
      // "Fixed since HubSpot reported it? ... Clear the suspension in HubSpot." said it twice.
      `${atRisk}${risks}`
    );
  }
  return { reason, steps, agreement, summary, otherCauses, alsoFound, ...risk ? { risk } : {} };
}

// packages/core/src/report/groupFindings.ts
function groupFindings(findings, options = {}) {
  const wanted = options.severities ? new Set(options.severities) : null;
  const byKey = /* @__PURE__ */ new Map();
  for (const finding of Array.isArray(findings) ? findings : []) {
    if (!finding || wanted && !wanted.has(finding.severity)) continue;
    const code = findingCode(finding);
    const key = `${finding.severity} ${code}`;
    const group2 = byKey.get(key);
    if (group2) group2.findings.push(finding);
    else
      byKey.set(key, {
        severity: finding.severity,
        code,
        title: findingTitle(finding),
        findings: [finding]
      });
  }
  return [...byKey.values()].sort((a, b) => compareSeverity(a.severity, b.severity));
}

// packages/core/src/report/verdict.ts
var VERDICT_CAUSES = 3;
function listText(items) {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
function verdictCauseList(findings, severity, options = {}) {
  const entries = [];
  const list = Array.isArray(findings) ? findings : [];
  for (const group2 of groupFindings(list, { severities: [severity] })) {
    const first = group2.findings[0];
    if (Boolean(first.symptom) !== Boolean(options.symptoms)) continue;
    const cause = !first.symptom && first.cause && Object.hasOwn(CAUSES, first.cause) ? CAUSES[first.cause] : void 0;
    if (cause && severity === "error") {
      const reason = suspensionReason(first.reason)?.titles.en || first.reason;
      const same2 = entries.find((e) => e.reason === reason);
      if (same2) {
        if (!same2.titles.includes(cause.title)) same2.titles.push(cause.title);
      } else entries.push({ titles: [cause.title], reason });
      continue;
    }
    const title = findingHeading(first);
    if (!entries.some((e) => e.titles.includes(title))) entries.push({ titles: [title] });
  }
  const max = options.max ?? VERDICT_CAUSES;
  const texts = entries.map(
    (e) => e.reason ? `${listText(e.titles)} (${HUBSPOT_WOULD_SUSPEND_WITH} ${e.reason})` : e.titles[0]
  );
  const shown = texts.slice(0, max);
  return listText(texts.length > max ? [...shown, `${texts.length - max} more`] : shown);
}
function relayedReason(status) {
  if (!isSuspendedState(status)) return null;
  if (!suspensionReason(status.reason) && !(typeof status.title === "string" && status.title.trim()))
    return null;
  const { title } = relayedReasonTitle(status);
  return `HubSpot ${status.state === "suspended" ? "reported" : "may have suspended the sync for"} "${title}"`;
}
function verdictSentence(diagnosis, options = {}) {
  const findings = Array.isArray(diagnosis.findings) ? diagnosis.findings : [];
  if (diagnosis.verdict === "blocked") {
    const errors = findings.filter((f) => f.severity === "error");
    const symptoms = verdictCauseList(errors, "error", { symptoms: true });
    const causes = verdictCauseList(errors, "error");
    const causeCount = errors.filter((f) => !f.symptom).length;
    const relayed = relayedReason(options.status);
    const suspended = options.suspended || isSuspendedState(options.status);
    const fix = suspended || options.report ? "" : ` Fix ${causeCount === 1 ? "it" : "them"} below.`;
    if (symptoms && !causes && relayed)
      return `${symptoms} and Sync Doctor found no cause in Salesforce, but ${relayed}: "${options.section ?? SUSPENSION_SECTION}" below says what to check.`;
    if (symptoms && !causes)
      return `${symptoms} and Sync Doctor found no cause in Salesforce: open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why.`;
    if (symptoms) return `${symptoms}. Sync Doctor finds what stops it: ${causes}.${fix}`;
    if (!causes) return null;
    const assign = options.assignFirst?.length ? ` Most findings may come from ${listText(options.assignFirst.map((n) => `'${n}'`))} not being assigned: assign ${options.assignFirst.length === 1 ? "it" : "them"} first, then check again.` : "";
    if (errors.every((f) => f.pending))
      return `HubSpot still syncs, but Salesforce will refuse it from its next login on: ${causes}.${fix}`;
    return `HubSpot cannot sync: ${causes}.${assign || fix}`;
  }
  if (diagnosis.verdict === "at-risk") {
    const below = options.report ? "" : " below";
    const symptoms = verdictCauseList(findings, "warning", { symptoms: true });
    const causes = verdictCauseList(findings, "warning");
    if (symptoms)
      return `${symptoms}, though nothing Sync Doctor checks blocks it: the findings${below} say what to look at.${causes ? ` ${options.report ? "Also found" : "Below also"}: ${causes}, which will suspend it soon or break part of it.` : ""}`;
    if (causes && (options.suspended || isSuspendedState(options.status)))
      return `Something${below} can get the sync suspended or breaks part of it: ${causes}.`;
    if (causes)
      return `HubSpot can sync now, but something${below} will suspend it soon or breaks part of the sync: ${causes}.`;
  }
  return null;
}
var SUSPENSION_SECTION = "Suspension reported by HubSpot";
function relayedVerdictSentence(agreement, reasonTitle, options) {
  const title = reasonTitle ? `"${reasonTitle}"` : "a reason Sync Doctor does not recognise";
  const section = `"${options.section ?? SUSPENSION_SECTION}" below`;
  const cause = `the cause HubSpot ${options.reported ? "reported" : "may have suspended the sync for"} (${title})`;
  switch (agreement) {
    case "fixed-since":
      return `The integration user has everything HubSpot needs: ${cause} is gone now. ${section} says how to lift the suspension.`;
    case "partly-checked":
      return `Sync Doctor's checks find nothing blocking, but it could not make every check, so it cannot say whether ${cause} is gone. ${section} says what to check by hand.`;
    case "confirmed":
      return `Sync Doctor's checks find nothing blocking, yet the steps for ${title} in ${section} still show something to do.`;
    case "check-in-hubspot":
      return `The integration user has everything HubSpot needs, but what decides ${cause} is in HubSpot, which Sync Doctor cannot see. ${section} says what to check there before you clear the suspension.`;
    case "not-judged":
      return `Sync Doctor's checks find nothing blocking, but Sync Doctor could not check from what it read whether ${cause} is gone. ${section} says what it lacked.`;
    default:
      return `The integration user has everything HubSpot needs, but HubSpot ${options.reported ? "suspended" : "may have suspended"} the sync for ${title}, which is outside what Sync Doctor checks. ${section} says what to check.`;
  }
}
function suspendedVerdictSentence(diagnosis, status, options = {}) {
  if (!isSuspendedState(status)) return null;
  if (diagnosis.verdict !== "healthy" || isPartlyChecked(diagnosis)) return null;
  const reason = suspensionReason(status.reason);
  const agreement = reason?.checkedBySyncDoctor && status.reason ? checkSuspensionSteps(status.reason, diagnosis, { status }).agreement : null;
  return relayedVerdictSentence(agreement, reason ? reason.titles.en : status.title || null, {
    reported: status.state === "suspended",
    section: options.section
  });
}
function suspendedVerdictLabel(diagnosis, status) {
  if (!isSuspendedState(status)) return null;
  if (diagnosis.verdict === "at-risk")
    return status.state === "suspended" ? "At risk, sync suspended" : "At risk";
  if (diagnosis.verdict !== "healthy" || isPartlyChecked(diagnosis)) return null;
  return status.state === "suspended" ? "Access OK, sync suspended" : "Access OK";
}
function suspensionOf(status) {
  return isSuspendedState(status) ? status.state : null;
}
function healthyPartly(diagnosis) {
  return diagnosis.verdict === "healthy" && isPartlyChecked(diagnosis);
}
function partlyCheckedVerdictLabel(diagnosis, status) {
  if (!healthyPartly(diagnosis)) return null;
  return suspensionOf(status) === "suspended" ? "Partly checked, sync suspended" : "Partly checked";
}
function partlyCheckedVerdictSentence(diagnosis, status) {
  if (!healthyPartly(diagnosis)) return null;
  const suspension = suspensionOf(status);
  if (!suspension) return NO_PROBLEMS_FOUND_PARTLY;
  return `Sync Doctor finds nothing blocking in what it could read, but HubSpot ${suspension === "suspended" ? "suspended" : "may have suspended"} the sync, and Sync Doctor could not check ${uncheckedWhereShown(diagnosis.unchecked)}.`;
}
function verdictUncheckedSentence(diagnosis, options = {}) {
  if (diagnosis.verdict === "blocked" || !isPartlyChecked(diagnosis)) return "";
  return uncheckedSentence(diagnosis.unchecked, options);
}
function verdictUncheckedQualifier(diagnosis) {
  if (diagnosis.verdict === "blocked" || !isPartlyChecked(diagnosis)) return null;
  const notRead = `${uncheckedList(diagnosis.unchecked)} not read`;
  return diagnosis.verdict === "healthy" ? notRead : `partly checked: ${notRead}`;
}

// packages/core/src/report/formatReport.ts
var STATUS_HEADING = "HubSpot suspension status (relayed)";
function heading(title) {
  return ["", title, "-".repeat(title.length)];
}
function alignColumns(rows2, gap = 2) {
  const widths = [];
  for (const row of rows2)
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  return rows2.map(
    (row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] + gap)).join("").trimEnd()
  );
}
function wrap(text4, indent, width = 100) {
  const words = text4.replace(/\s+/g, " ").trim().split(" ");
  const lines = [];
  let line2 = "";
  for (const word of words) {
    if (line2 && indent.length + line2.length + 1 + word.length > width) {
      lines.push(indent + line2);
      line2 = word;
    } else {
      line2 = line2 ? `${line2} ${word}` : word;
    }
  }
  if (line2) lines.push(indent + line2);
  return lines;
}
function verdictLines(diagnosis, status) {
  const count3 = (s) => diagnosis.findings.filter((f) => f.severity === s).length;
  const label = { healthy: "HEALTHY", "at-risk": "AT RISK", blocked: "BLOCKED" }[diagnosis.verdict] ?? String(diagnosis.verdict).toUpperCase();
  const counts = findingCountsLabel({
    error: count3("error"),
    warning: count3("warning"),
    info: count3("info")
  });
  if (diagnosis.verdict === "blocked") {
    const plan = planRemediation(diagnosis, { status });
    const sentence2 = verdictSentence(diagnosis, {
      report: true,
      assignFirst: plan.assignFirst ? plan.assignPermissionSets : [],
      status,
      section: STATUS_HEADING
    });
    return [`Verdict: ${label} (${counts})`, ...sentence2 ? wrap(sentence2, "") : []];
  }
  const risks = verdictSentence(diagnosis, {
    report: true,
    suspended: isSuspendedState(status),
    status,
    section: STATUS_HEADING
  });
  const partly = risks ? null : partlyCheckedVerdictSentence(diagnosis, status);
  const sentence = risks ?? partly ?? suspendedVerdictSentence(diagnosis, status, { section: STATUS_HEADING });
  const namedAbove = partly !== null && partly !== NO_PROBLEMS_FOUND_PARTLY;
  const said = sentence ? wrap(sentence, "") : [];
  const qualifier = verdictUncheckedQualifier(diagnosis);
  const suspendedLabel = suspendedVerdictLabel(diagnosis, status)?.toUpperCase();
  if (!qualifier) return [`Verdict: ${suspendedLabel ?? label} (${counts})`, ...said];
  const unchecked = diagnosis.unchecked ?? [];
  const partlyLabel = partlyCheckedVerdictLabel(diagnosis, status)?.toUpperCase() ?? suspendedLabel ?? label;
  return [
    `Verdict: ${partlyLabel} (${qualifier})`,
    `Findings: ${counts}`,
    ...said,
    // Named once before 'Check them by hand': by the sentence above, else here.
    ...wrap(verdictUncheckedSentence(diagnosis, { named: !namedAbove }), ""),
    ...unchecked.flatMap((u) => wrapNumbered("-", `${capitalize(u.label)}: ${u.byHand}`, ""))
  ];
}
function capitalize(text4) {
  return text4.charAt(0).toUpperCase() + text4.slice(1);
}
function contextLines(diagnosis, snapshot) {
  const lines = [];
  const capturedAt = snapshot?.capturedAt ?? diagnosis.judgedAt;
  if (capturedAt) lines.push(`Snapshot taken: ${minute(capturedAt)}`);
  const org = snapshot?.organization;
  if (org) {
    const facts = [
      org.InstanceName ? `instance ${org.InstanceName}` : null,
      org.OrganizationType ?? null,
      org.IsSandbox === true ? "sandbox" : org.IsSandbox === false ? "production" : null
    ].filter((x) => !!x);
    lines.push(
      `Org: ${org.Name ?? "(no name)"} (${org.Id})${facts.length ? `, ${facts.join(", ")}` : ""}`
    );
  }
  const user2 = snapshot?.user;
  if (user2) {
    const profile = user2.Profile?.Name ? `, profile "${user2.Profile.Name}"` : "";
    lines.push(
      `Integration user: ${user2.Name ? `${user2.Name} ` : ""}<${user2.Username}> (${user2.Id}), ${user2.IsActive ? "active" : "INACTIVE"}${profile}`
    );
  } else if (diagnosis.user) {
    lines.push(
      `Integration user: <${diagnosis.user.username}> (${diagnosis.user.id}), ${diagnosis.user.isActive ? "active" : "INACTIVE"}`
    );
  }
  return lines;
}
var STEP_MARK = {
  done: "done",
  todo: "to do",
  // The app's badge word, as the summary names these steps ("the steps marked \"Not checked\"").
  unknown: "not checked"
};
function listedReason(status) {
  if (!status || status.state === "cleared") return null;
  return suspensionReason(status.reason)?.code ?? null;
}
function statusLines(status, diagnosis) {
  const lines = heading(STATUS_HEADING);
  const reason = suspensionReason(status.reason);
  const { title, hubspotWords } = relayedReasonTitle(status);
  lines.push(
    `State: ${status.state}${title ? ` - ${title}` : ""}${status.reason ? ` [${status.reason}]` : ""}${hubspotWords ? ` (HubSpot's words: ${hubspotWords})` : ""}`
  );
  const times = [
    // In the core's words ('2026-12-02 01:07 UTC'), as the app's panel and the CLI say them.
    status.since ? `since ${minute(status.since)}` : null,
    status.lastSeenAt ? `last seen ${minute(status.lastSeenAt)}` : null,
    status.clearedAt ? `cleared ${minute(status.clearedAt)}` : null,
    status.source ? `source: ${status.source}` : null
  ].filter((x) => !!x);
  if (times.length) lines.push(times.join(", "));
  if (status.excerpt) {
    lines.push("HubSpot said:");
    lines.push(...wrap(status.excerpt.slice(0, 600), "  > "));
  }
  if (reason && status.state !== "cleared") {
    lines.push(...wrap(`What it means: ${reason.meaning}`, "", 100));
    const check2 = checkSuspensionSteps(reason.code, diagnosis, { status });
    lines.push("What to do (checked against this diagnosis):");
    check2.steps.forEach((step, i) => {
      const mark = step.outcome === "not-the-cause" ? "not the cause now" : step.outcome === "nothing-to-do" ? "nothing to do" : step.outcome === "at-risk" ? "at risk" : STEP_MARK[step.status];
      lines.push(...wrapNumbered(`${i + 1}. [${mark}]`, step.text, "  "));
      const pad = " ".repeat(String(i + 1).length + 4);
      lines.push(...wrap(`Sync Doctor: ${step.evidence}`, pad));
    });
    lines.push(...wrap(check2.summary, ""));
    if (reason.liftsByItself) lines.push("This suspension usually lifts by itself.");
  }
  return lines;
}
var REPORT_SYNC_ERROR_LINES = 15;
function syncErrorLines(status, diagnosis, rulesNotRead) {
  const view = syncErrorsView(status, { lines: REPORT_SYNC_ERROR_LINES, diagnosis });
  if (!view) return [];
  const lines = heading("HubSpot's sync errors");
  for (const line2 of syncErrorsOutline(view))
    lines.push(
      ...wrap(line2.label ? `${line2.label}: ${line2.text}` : line2.text, "  ".repeat(line2.depth))
    );
  for (const line2 of rulesNotRead ?? []) lines.push(...wrap(line2, ""));
  return lines;
}
function wrapNumbered(marker, text4, indent) {
  const pad = " ".repeat(marker.length + 1);
  const body = wrap(text4, indent + pad);
  if (body.length === 0) return [];
  body[0] = indent + marker + " " + body[0].slice(indent.length + pad.length);
  return body;
}
function findingLines(findings, unchecked, plan, listedReason2) {
  const lines = heading(`Findings (${findings.length})`);
  if (findings.length === 0) {
    lines.push(
      unchecked?.length ? `${NO_PROBLEMS_FOUND_PARTLY} See the checks to make by hand under the verdict.` : "None: the integration user can do everything HubSpot needs."
    );
    return lines;
  }
  const sorted = findings.map((finding, index) => ({ finding, index })).sort((a, b) => compareSeverity(a.finding.severity, b.finding.severity) || a.index - b.index).map((x) => x.finding);
  sorted.forEach((finding, i) => {
    const title = findingTitle(finding);
    const badge = SEVERITY_LABELS[finding.severity] ?? finding.severity;
    lines.push(`${i + 1}. [${badge}] ${subjectLabel(finding.subject)}: ${title}`);
    const indent = " ".repeat(String(i + 1).length + 2);
    lines.push(...wrap(finding.message, indent));
    if (finding.remedy) lines.push(...wrap(`Fix: ${finding.remedy}`, indent));
    for (const step of hubspotStepsBeyondRemedy(finding, plan, { listedReason: listedReason2 }))
      lines.push(...wrap(`Also: ${step}`, indent));
    if (finding.rule) lines.push(...wrap(`Rule: ${ruleLabel(finding.rule)}`, indent));
  });
  return lines;
}
function objectLines(objects) {
  const lines = heading("Object access of the integration user");
  const rows2 = [
    ["Object", "Required", ...OBJECT_RIGHTS.map((r) => OBJECT_RIGHT_LABELS[r]), "Granted by"]
  ];
  for (const object of objects) {
    const cells = OBJECT_RIGHTS.map((right) => {
      if (object.effective[right]) return "yes";
      return object.required.includes(right) ? "NO" : "-";
    });
    const name = object.reachedBy?.length && object.required.length === 0 ? `${object.name} (lookup)` : object.name;
    rows2.push([
      name,
      object.required.join(",") || "-",
      ...cells,
      object.grantedBy.join("; ") || "-"
    ]);
  }
  lines.push(...alignColumns(rows2));
  const notes = objects.filter((o) => o.note || o.reachedBy?.length);
  for (const object of notes) {
    const why = [
      object.reachedBy?.length ? `reached by ${reachedByText(object.reachedBy, ", ")}` : null,
      object.note ?? null
    ].filter(Boolean);
    lines.push(`  ${object.name}: ${why.join("; ")}`);
  }
  return lines;
}
function isFailing(field) {
  return field.required.includes("read") && !field.effective.read || field.required.includes("edit") && !field.effective.edit;
}
function fieldLines(fields) {
  const failing = fields.filter(isFailing);
  const lines = heading(`Fields missing access (${failing.length} of ${fields.length} checked)`);
  if (failing.length === 0) {
    lines.push("None.");
    return lines;
  }
  const rows2 = [["Field", "Needs", "Has", "HubSpot property", "Note"]];
  for (const field of failing) {
    const has = [field.effective.read ? "read" : null, field.effective.edit ? "edit" : null].filter(Boolean).join(",") || "none";
    const note = [field.exists === false ? "field does not exist" : null, field.note ?? null].filter(Boolean).join("; ");
    rows2.push([
      field.name,
      field.required.join(","),
      has,
      field.hubspotProperty ?? "-",
      note || "-"
    ]);
  }
  lines.push(...alignColumns(rows2));
  return lines;
}
function limitLines(diagnosis) {
  const lines = heading("Limits");
  if (diagnosis.limits.length === 0) {
    lines.push("Not read (Sync Doctor read none of the org's limits).");
    return lines;
  }
  const rows2 = limitRows(diagnosis.limits).map((row) => [
    row.label,
    row.basis === "max" ? `${row.used} / ${row.of} used` : `${row.used} ${row.of}`,
    row.share
  ]);
  lines.push(...alignColumns(rows2));
  return lines;
}
function loginLines(logins) {
  const lines = heading(`Logins, last ${logins.days} days`);
  const other = logins.otherApplications ? `; ${thousands(logins.otherApplications)} of other applications left out` : "";
  const whose = `by HubSpot (or with no Application in Login History${other})`;
  if (logins.attempts === 0) {
    lines.push(`No login attempt ${whose}.`);
    return lines;
  }
  lines.push(
    `${thousands(logins.attempts)} login attempts ${whose}; last at ${minute(logins.lastAttemptAt)}, last success ${logins.lastSuccessAt ? minute(logins.lastSuccessAt) : "none"}.`
  );
  if (logins.failingSince) lines.push(`Refused since ${minute(logins.failingSince)}.`);
  const rows2 = logins.failures.map((group2) => [
    group2.status,
    thousands(group2.count),
    minute(group2.lastAt),
    group2.sourceIps.join(", ") || "-"
  ]);
  if (rows2.length)
    lines.push(...alignColumns([["Refused with", "Times", "Last at", "From"], ...rows2]));
  return lines;
}
function formatReport(diagnosis, context = {}) {
  if (!diagnosis || !Array.isArray(diagnosis.findings))
    throw new TypeError("formatReport: a Diagnosis is required");
  const d = diagnosis;
  const lines = [
    "Sync Doctor report: HubSpot-Salesforce integration user",
    "=".repeat(54)
  ];
  lines.push(...verdictLines(d, context.status));
  lines.push(...contextLines(d, context.snapshot));
  const frozenNotRead = context.frozenRead ? frozenNotReadLine(context.frozenRead) : context.frozenNotRead ?? frozenNotReadLine(snapshotFrozenRead(context.snapshot));
  if (frozenNotRead && typeof context.snapshot?.user?.IsFrozen !== "boolean")
    lines.push(frozenNotRead);
  if (context.status)
    lines.push(
      ...statusLines(context.status, d),
      ...syncErrorLines(context.status, d, context.rulesNotRead)
    );
  const plan = planRemediation(d, { status: context.status ?? null });
  lines.push(...findingLines(d.findings ?? [], d.unchecked, plan, listedReason(context.status)));
  if (d.objects?.length) lines.push(...objectLines(d.objects));
  lines.push(...fieldLines(d.fields ?? []));
  lines.push(...limitLines({ ...d, limits: d.limits ?? [] }));
  if (d.logins) lines.push(...loginLines(d.logins));
  else if (context.loginsNotRead) lines.push(...heading("Logins"), context.loginsNotRead);
  if (context.connectedAppsNotRead)
    lines.push(...heading("HubSpot's connected app"), context.connectedAppsNotRead);
  return `${lines.join("\n")}
`;
}

// packages/core/src/integrationUser/chooseIntegrationUser.ts
var INTEGRATION_USER_SOURCES = ["oauth", "permissionSet", "saved"];
function compareNames(a, b) {
  const left = a ?? "";
  const right = b ?? "";
  return left < right ? -1 : left > right ? 1 : 0;
}
function compareEvidence(a, b) {
  if (a.sources.length !== b.sources.length) return b.sources.length - a.sources.length;
  if (a.isActive !== b.isActive) return a.isActive ? -1 : 1;
  return 0;
}
function compareIntegrationUserCandidates(a, b) {
  return compareEvidence(a, b) || compareNames(a.name, b.name);
}
function rankIntegrationUserCandidates(candidates2) {
  const byId = /* @__PURE__ */ new Map();
  for (const candidate of candidates2) {
    const known2 = byId.get(candidate.userId);
    const sources = /* @__PURE__ */ new Set([
      ...known2?.sources ?? [],
      ...candidate.sources
    ]);
    byId.set(candidate.userId, {
      ...known2 ?? candidate,
      sources: INTEGRATION_USER_SOURCES.filter((s) => sources.has(s))
    });
  }
  return [...byId.values()].sort(compareIntegrationUserCandidates);
}
function chooseIntegrationUser(candidates2) {
  const ranked = rankIntegrationUserCandidates(candidates2).filter((c) => c.sources.length > 0);
  const [top] = ranked;
  if (!top) return { outcome: "none" };
  const tied = ranked.filter((c) => compareEvidence(c, top) === 0);
  const others = ranked.slice(tied.length);
  if (tied.length === 1) return { outcome: "chosen", user: top, others };
  return { outcome: "ambiguous", tied, others };
}

// packages/core/src/integrationUser/candidateLine.ts
var INTEGRATION_USER_EVIDENCE_LABELS = Object.freeze({
  oauth: "HubSpot OAuth token",
  permissionSet: HUBSPOT_PERMISSION_SET,
  saved: "saved in Sync Doctor"
});
function candidateLine(candidate) {
  const details = [
    candidate.name,
    candidate.isActive ? void 0 : "inactive",
    candidate.sources.map((s) => INTEGRATION_USER_EVIDENCE_LABELS[s]).join(", ")
  ];
  return `${candidate.username} (${details.filter(Boolean).join("; ")})`;
}
export {
  CAUSES,
  CAUSE_CODES,
  CONNECTED_APPS_NOT_READ_MESSAGE,
  CONNECTED_APPS_NOT_READ_PREFIX,
  CONNECTED_APP_ACCESS_FIELDS,
  CONNECTED_APP_FIELDS,
  CONNECTED_APP_NAME_LIKE,
  DEFAULT_REQUIREMENTS,
  DUPLICATE_RULES_PLACE,
  FROZEN_CHECK_BY_HAND,
  FROZEN_NOT_READ_MESSAGES,
  FROZEN_NOT_READ_PREFIX,
  FROZEN_READ_CAUSES,
  GRANTABLE_OBJECT_RIGHTS,
  GRANTABLE_SYSTEM_PERMISSIONS,
  GRANTABLE_SYSTEM_PERMISSIONS_TEXT,
  HUBSPOT_ALLOCATION_PLACE,
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_PERMISSION_SET,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  HUBSPOT_WOULD_SUSPEND_WITH,
  INACTIVE_OWNERS_SETTING,
  INTEGRATION_USER_EVIDENCE_LABELS,
  INTEGRATION_USER_SOURCES,
  LOGINS_NOT_READ_MESSAGE,
  LOGINS_NOT_READ_PREFIX,
  LOGIN_HISTORY_DAYS,
  LOGIN_HISTORY_FIELDS,
  LOGIN_HISTORY_LIMIT,
  MUTING_PERMISSION_SET_FIELDS,
  NEVER_GRANTED_OBJECT_RIGHTS,
  NEVER_GRANTED_PERMISSION_LABELS,
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  NO_PROBLEMS_FOUND,
  NO_PROBLEMS_FOUND_PARTLY,
  OBJECT_RIGHTS,
  OBJECT_RIGHT_COLUMNS,
  OBJECT_RIGHT_DEPENDENCIES,
  OBJECT_RIGHT_LABELS,
  PAGE_TEXT_MAX_CHARS,
  PARENT_OBJECTS,
  PERMISSION_SET_FIELDS,
  REACHED_BY_NAMED,
  REASON_CODES,
  REMEDIATION_PERMISSION_SET,
  REMEDIATION_PERMISSION_SET_LABEL,
  REMEDIATION_SET_SESSION_BASED,
  REQUIREMENTS_DOCUMENT_KEYS,
  RULES,
  RULES_OF_OPTIONAL_SECTIONS,
  RULE_LABELS,
  RequirementsDocumentError,
  SEVERITY_LABELS,
  SEVERITY_ORDER,
  SIDE_PERMISSIONS,
  SIGNAL_SOURCES,
  SNAPSHOT_SCHEMA,
  STATUS_EVENT,
  STATUS_FIELD_LIMITS,
  STATUS_OBJECT,
  SUSPENSION_REASONS,
  SUSPENSION_SECTION,
  SUSPENSION_STATES,
  SUSPENSION_TEXT_LANGUAGES,
  SUSPENSION_WORDS,
  SYMPTOM_CODES,
  SYMPTOM_TITLES,
  SYNC_ERRORS_LIMITS,
  SYNC_ERRORS_RESYNC,
  SYNC_ERROR_KINDS,
  TITLE_LANGUAGES,
  TITLE_SOURCES,
  UNCHECKED_CHECKS,
  UNRECOGNISED_REASON_TITLE,
  VERDICT_CAUSES,
  apiWindow,
  assignmentRefusal,
  candidateLine,
  checkSuspensionSteps,
  chooseIntegrationUser,
  classifySalesforceError,
  classifySuspensionText,
  classifySyncErrorText,
  comparableMessage,
  compareIntegrationUserCandidates,
  compareSeverity,
  connectedAppsNotReadLine,
  currentSyncErrors,
  describePermissionSet,
  duplicateRuleFacts,
  duplicateRuleNow,
  evaluateAccess,
  fieldFails,
  fieldRightsRefusal,
  fieldsInSalesforceMessage,
  findingCode,
  findingCountsLabel,
  findingHeading,
  findingTitle,
  formatReport,
  friendlyPermission,
  frozenNeeds,
  frozenNotReadLine,
  groupFindings,
  hubspotStepsBeyondRemedy,
  inactiveOwnerId,
  isActivity,
  isApiName,
  isCauseCode,
  isDuplicateRuleRefusal,
  isEmptyScope,
  isFrozenReadCause,
  isGrantableSystemPermission,
  isPartlyChecked,
  isPermissionGovernedObject,
  isReasonCode,
  isSuspendedState,
  isSymptomCode,
  limitLabel,
  limitRows,
  loginSilenceText,
  loginsNotReadLine,
  mentionsRestrictedPicklist,
  mentionsSuspension,
  mergeRequirements,
  minute,
  minute as minuteLabel,
  noProblemsLabel,
  nothingRelayedText,
  objectGrantLines,
  objectRightsCountText,
  objectRightsRefusal,
  pageText,
  parseSyncErrors,
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  permissionSetAssignmentRefusal,
  planGrantRefusal,
  planRemediation,
  rankIntegrationUserCandidates,
  reachedBySentence,
  reachedByShortText,
  reachedByText,
  recordTypeNotAnswered,
  recordTypePicklistFacts,
  recordTypesLacking,
  recordTypesNotReadLine,
  recordTypesTooMany,
  refusedPicklistValues,
  relayedReasonTitle,
  relayedVerdictSentence,
  requirementsFromDocument,
  ruleLabel,
  salesforceTime,
  saveWaves,
  scopeUnread,
  percent as shareLabel,
  snapshotFrozenRead,
  snapshotScope,
  splitFieldName,
  stripHtml,
  subjectLabel,
  summarizeSyncErrors,
  suspendedVerdictLabel,
  suspendedVerdictSentence,
  suspensionLiftedClause,
  suspensionLifting,
  suspensionNextStep,
  suspensionReason,
  syncErrorFieldCandidates,
  syncErrorFieldChoices,
  syncErrorFieldName,
  syncErrorFieldNames,
  syncErrorFieldRequirements,
  syncErrorGroupNames,
  syncErrorGroupNow,
  syncErrorGroupObjects,
  syncErrorKind,
  syncErrorKindInfo,
  syncErrorNow,
  syncErrorPicklistFieldChoices,
  syncErrorRequirements,
  syncErrorRowDetail,
  syncErrorSureFieldChoices,
  syncErrorsAskValidationRules,
  syncErrorsDuplicateRuleObjects,
  syncErrorsJson,
  syncErrorsOutline,
  syncErrorsRecordTypeFields,
  syncErrorsRecordTypeObjects,
  syncErrorsView,
  systemPermissionRefusal,
  uncheckedList,
  uncheckedNeeds,
  uncheckedOf,
  uncheckedSentence,
  uncheckedWhereShown,
  validateSnapshot,
  validationExceptionMessage,
  validationRuleFacts,
  validationRuleNow,
  validationRulesSending,
  verdictCauseList,
  verdictOf,
  verdictSentence,
  verdictUncheckedQualifier,
  verdictUncheckedSentence,
  withObjectRightDependencies,
  withValidationRules,
  worstSeverityBySubject
};
