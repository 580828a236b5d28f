// Stand-in for `@salesforce/apex/<Class>.<method>`: the browser preview has no Aura transport, so each
// Apex call becomes a POST to the preview server, which answers it from the org (simulator or real)
// the way SyncDoctorController would. Errors take the shape Lightning gives an Apex error
// (`{ status, statusText, body: { message } }`) so components handle them exactly as in Salesforce.

const APEX_ENDPOINT = '/preview/apex/';

export async function callApex(method, params) {
  let response;
  try {
    response = await fetch(APEX_ENDPOINT + encodeURIComponent(method), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params ?? {}),
    });
  } catch (networkError) {
    throw {
      status: 0,
      statusText: 'Network error',
      body: { message: String(networkError && networkError.message) },
    };
  }
  let payload;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok || !payload || !('result' in payload)) {
    const message =
      (payload && payload.error && payload.error.message) ||
      `Apex ${method} failed (HTTP ${response.status})`;
    throw {
      status: response.status,
      statusText: response.statusText,
      body: { message, exceptionType: payload && payload.error && payload.error.exceptionType },
    };
  }
  return payload.result;
}

// An imported Apex method is both callable (imperative: returns a Promise) and usable with @wire
// (the engine constructs it as a wire adapter with `new`), as in Salesforce.
export function createApexMethod(method) {
  function apexMethod(params) {
    if (new.target) {
      return new ApexWireAdapter(method, params);
    }
    return callApex(method, params);
  }
  return apexMethod;
}

class ApexWireAdapter {
  constructor(method, dataCallback) {
    this.method = method;
    this.dataCallback = dataCallback;
    this.connected = false;
  }
  update(config) {
    callApex(this.method, config).then(
      (data) => this.connected && this.dataCallback({ data, error: undefined }),
      (error) => this.connected && this.dataCallback({ data: undefined, error }),
    );
  }
  connect() {
    this.connected = true;
  }
  disconnect() {
    this.connected = false;
  }
}

// `import { refreshApex } from '@salesforce/apex'`: imperative results have no cache to refresh.
export function refreshApex() {
  return Promise.resolve();
}

export function getSObjectValue(record, field) {
  const name = typeof field === 'string' ? field : field && field.fieldApiName;
  return record ? record[name] : undefined;
}
