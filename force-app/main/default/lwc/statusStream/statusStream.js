import { subscribe, unsubscribe, onError } from 'lightning/empApi';
import { errorMessage } from 'c/syncDoctorUtils';

/** The platform event the relay (and Apex) publish on every change of a portal's status. */
export const STATUS_CHANNEL = '/event/Sync_Doctor_Event__e';
/**
 * lightning/empApi reports streaming errors through onError (CometD's failed /meta/connect or
 * handshake, e.g. '403::Unknown client') and has no "reconnected" callback; a subscription made
 * again once the connection is back resolves. So after an error the stream subscribes again,
 * waiting longer each time, and says it stopped only when every attempt failed.
 */
export const RESUBSCRIBE_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];
/** A subscribe that neither resolves nor rejects (a connection that hangs) counts as failed. */
const SUBSCRIBE_TIMEOUT_MS = 10000;

/**
 * The streams open now. lightning/empApi's onError adds a listener for the page's life and has no
 * way to take it back, so this module adds one, once, and passes each error to the streams open at
 * the time: a panel connected again (moved, its tab shown again) or made anew adds none.
 */
const openStreams = new Set();
let streamErrorListener = false;

function listenToStreamErrors() {
    if (streamErrorListener) return;
    streamErrorListener = true;
    onError((error) => {
        for (const stream of [...openStreams]) stream.fail(error);
    });
}

/**
 * One panel's subscription to STATUS_CHANNEL, from open() to close(). Its `state` is 'connecting',
 * 'live', 'reconnecting' (an attempt is scheduled) or 'stopped' (every attempt failed), and `error`
 * the last streaming error in words. `onMessage(message)` gets each event; `onChange({ state,
 * error, said, resumed })` each change of state, with what a live region says of it (`said`) and,
 * once live again after an error, `resumed`: events published meanwhile are not replayed (-1), so
 * the caller reads the status again.
 */
export class StatusStream {
    state = 'connecting';
    error = '';

    constructor({ onMessage, onChange }) {
        this._onMessage = onMessage;
        this._onChange = onChange;
        this._open = false;
        this._attempt = 0;
        this._retryTimer = null;
        this._subscription = null;
    }

    open() {
        this._open = true;
        openStreams.add(this);
        listenToStreamErrors();
        return this.subscribeOnce();
    }

    close() {
        this._open = false;
        openStreams.delete(this);
        if (this._retryTimer) {
            clearTimeout(this._retryTimer);
            this._retryTimer = null;
        }
        if (this._subscription) {
            unsubscribe(this._subscription, () => {});
            this._subscription = null;
        }
    }

    async subscribeOnce() {
        let timer;
        try {
            // -1: only new events; the current state is read by the caller.
            const subscribing = subscribe(STATUS_CHANNEL, -1, (message) => this._onMessage(message));
            const timeout = new Promise((resolve, reject) => {
                // eslint-disable-next-line @lwc/lwc/no-async-operation
                timer = setTimeout(() => reject(new Error('no answer from the streaming connection')), SUBSCRIBE_TIMEOUT_MS);
            });
            const subscription = await Promise.race([subscribing, timeout]);
            if (!this._open) {
                unsubscribe(subscription, () => {});
                return;
            }
            const resumed = this.state === 'reconnecting';
            this._subscription = subscription;
            this._attempt = 0;
            this.change('live', '', resumed ? 'Live updates resumed.' : '', resumed);
        } catch (error) {
            this.fail(error);
        } finally {
            clearTimeout(timer);
        }
    }

    /** An error of the stream or of a subscribe: subscribe again later, or give up after the last attempt. */
    fail(error) {
        if (!this._open || this.state === 'stopped') return;
        const words = errorMessage(error);
        // One attempt at a time: the errors of a connection that is down come in bursts.
        if (this._retryTimer) {
            this.change(this.state, words, '');
            return;
        }
        if (this._attempt >= RESUBSCRIBE_DELAYS_MS.length) {
            this.change('stopped', words, 'Live updates stopped. Reload the page to resume.');
            return;
        }
        const first = this.state !== 'reconnecting';
        const delay = RESUBSCRIBE_DELAYS_MS[this._attempt];
        this._attempt += 1;
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this._retryTimer = setTimeout(() => {
            this._retryTimer = null;
            this.resubscribe();
        }, delay);
        this.change('reconnecting', words, first ? 'Live updates interrupted; reconnecting.' : '');
    }

    resubscribe() {
        const previous = this._subscription;
        this._subscription = null;
        if (previous) Promise.resolve(unsubscribe(previous, () => {})).catch(() => {});
        return this.subscribeOnce();
    }

    change(state, error, said, resumed = false) {
        this.state = state;
        this.error = error;
        this._onChange({ state, error, said, resumed });
    }
}
