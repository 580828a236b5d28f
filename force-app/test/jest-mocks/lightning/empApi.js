// Jest mock of lightning/empApi with a test hook: `jestMockPublish(channel, message)` delivers a
// message to every live subscriber of `channel`, as the Streaming API would.
// API as documented for lightning/empApi: subscribe(channel, replayId, onMessage) -> Promise<subscription>,
// unsubscribe(subscription, callback), onError(callback), isEmpEnabled(), setDebugFlag(flag).
const subscriptions = new Map();
let nextId = 1;

export const subscribe = jest.fn((channel, replayId, onMessage) => {
  const subscription = { id: nextId++, channel, replayId };
  subscriptions.set(subscription.id, { subscription, onMessage });
  return Promise.resolve(subscription);
});

export const unsubscribe = jest.fn((subscription, callback) => {
  const removed = subscription ? subscriptions.delete(subscription.id) : false;
  if (callback)
    callback({ successful: removed, subscription: subscription && subscription.channel });
  return Promise.resolve({ successful: removed });
});

// As the real one: a listener stays for the page's life (there is no way to remove one), so
// jestMockReset keeps them; a module that registers once per page registers once per test file.
const errorListeners = [];
export const onError = jest.fn((callback) => {
  errorListeners.push(callback);
});
export const setDebugFlag = jest.fn(() => Promise.resolve());
export const isEmpEnabled = jest.fn(() => Promise.resolve(true));

/** Delivers `message` to the subscribers of `channel`; returns how many received it. */
export function jestMockPublish(channel, message) {
  let delivered = 0;
  for (const { subscription, onMessage } of subscriptions.values()) {
    if (subscription.channel === channel) {
      onMessage(message);
      delivered++;
    }
  }
  return Promise.resolve(delivered);
}

/** Live subscriptions, for assertions. */
export function jestMockSubscriptions() {
  return [...subscriptions.values()].map((entry) => entry.subscription);
}

/** Forget every subscription (call in afterEach). */
export function jestMockReset() {
  subscriptions.clear();
}

/** Reports a streaming error (CometD's failed /meta/connect) to every onError listener, as empApi does; returns how many. */
export function jestMockStreamError(error) {
  for (const listener of [...errorListeners]) listener(error);
  return errorListeners.length;
}

/** How many onError listeners are registered, for assertions. */
export function jestMockErrorListeners() {
  return errorListeners.length;
}
