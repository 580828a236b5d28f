// Stand-in for `lightning/empApi`: in Salesforce the component receives Sync_Doctor_Event__e platform
// events through CometD; in the preview they come as Server-Sent Events: in the demo, the events the
// simulated org published (with the status record, so never before it is there); from a bare relay,
// its stream of the portal's status, turned into the event's fields. Either way in the message shape
// empApi delivers ({ channel, data: { schema, payload: { <event fields> }, event: { replayId } } }).
import { previewConfig } from './previewConfig.js';

const EVENT_CHANNEL = '/event/Sync_Doctor_Event__e';
// Names the relay may give its SSE events; unnamed events arrive as 'message'.
const SSE_EVENT_NAMES = ['message', 'status', 'change', 'state'];
// The demo's stream of the org's published platform events (orgEventStream.ts): no status to turn
// into an event, and no current status first, only what the org published.
const PLATFORM_EVENT_SSE_NAME = 'platform-event';

const errorListeners = new Set();
let debug = false;
let replayId = 0;

export function isEmpEnabled() {
  return Promise.resolve(typeof EventSource === 'function');
}

export function setDebugFlag(flag) {
  debug = Boolean(flag);
}

export function onError(callback) {
  if (typeof callback === 'function') errorListeners.add(callback);
}

export function subscribe(channel, _replayFrom, onMessage) {
  const config = previewConfig();
  if (channel !== EVENT_CHANNEL || !config.streamUrl) {
    // Only the Sync Doctor event has a source in the preview; others subscribe but stay silent.
    return Promise.resolve({ channel, id: null });
  }
  const source = new EventSource(config.streamUrl);
  // The relay opens each stream with the current status; a platform event subscription with
  // replay -1 only sees new events. So that first event is news only after a reconnect, and only
  // when it differs from what this subscription saw last.
  let lastSeen = null;
  let awaitingCurrent = true;
  source.addEventListener('open', () => {
    awaitingCurrent = true;
  });
  const emit = (payload) => {
    replayId += 1;
    const message = { channel, data: { schema: 'preview', payload, event: { replayId } } };
    if (debug) console.log('[empApi preview]', message);
    onMessage(message);
  };
  const deliver = (sseEvent) => {
    if (awaitingCurrent) {
      awaitingCurrent = false;
      const isNews = lastSeen !== null && sseEvent.data !== lastSeen;
      lastSeen = sseEvent.data;
      if (!isNews) return;
    }
    lastSeen = sseEvent.data;
    const payload = toEventPayload(sseEvent.data);
    if (payload) emit(payload);
  };
  for (const name of SSE_EVENT_NAMES) source.addEventListener(name, deliver);
  // The demo's stream of the org's own Sync_Doctor_Event__e (the demo's orgEventStream.ts): each
  // event is one the org published with its status record, delivered as it is, as empApi does.
  source.addEventListener(PLATFORM_EVENT_SSE_NAME, (sseEvent) => {
    const payload = platformEventPayload(sseEvent.data);
    if (payload) emit(payload);
  });
  const subscription = { channel, id: replayId, source };
  return new Promise((resolve, reject) => {
    let opened = false;
    source.addEventListener(
      'open',
      () => {
        opened = true;
        resolve(subscription);
      },
      { once: true },
    );
    source.onerror = () => {
      if (!opened) {
        // As a CometD subscribe that fails: no subscription, nothing retrying behind the caller's back.
        source.close();
        reject(new Error("could not open the relay's stream"));
        return;
      }
      // An open stream broke. EventSource retries by itself while CONNECTING and has given up when
      // CLOSED (an HTTP error); listeners hear it as CometD errors with their reconnect advice.
      const retrying = source.readyState === EventSource.CONNECTING;
      const error = retrying
        ? {
            channel,
            error: "the relay's stream dropped",
            advice: { reconnect: 'retry' },
            successful: false,
          }
        : {
            channel,
            error: 'the relay refused the stream',
            advice: { reconnect: 'none' },
            successful: false,
          };
      for (const listener of errorListeners) listener(error);
    };
  });
}

export function unsubscribe(subscription, callback) {
  if (subscription && subscription.source) subscription.source.close();
  const response = { successful: true, subscription: subscription && subscription.channel };
  if (typeof callback === 'function') callback(response);
  return Promise.resolve(true);
}

// The relay streams its status (the core's RelayedStatus, possibly wrapped); the platform event carries
// the fields of Sync_Doctor_Event__e (core: STATUS_EVENT).
export function toEventPayload(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const status =
    data && typeof data === 'object'
      ? data.status && typeof data.status === 'object'
        ? data.status
        : data
      : null;
  if (!status || typeof status.state !== 'string') return null;
  return {
    Portal_Id__c: status.portalId ?? data.portalId ?? null,
    State__c: status.state,
    Reason_Code__c: status.reason ?? null,
    Title__c: status.title ?? null,
    Occurred_At__c:
      status.clearedAt && status.state === 'cleared'
        ? status.clearedAt
        : (status.lastSeenAt ?? status.since ?? new Date().toISOString()),
    Source__c: status.source ?? null,
    CreatedDate: new Date().toISOString(),
  };
}

// An event of the org's own channel ({ payload: <the event's fields> }), or null when it is none.
export function platformEventPayload(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const payload = data && typeof data === 'object' ? data.payload : null;
  return payload && typeof payload === 'object' && typeof payload.State__c === 'string'
    ? payload
    : null;
}
