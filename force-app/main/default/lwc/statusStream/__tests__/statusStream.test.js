import { subscribe, unsubscribe, jestMockPublish, jestMockReset, jestMockStreamError, jestMockSubscriptions } from 'lightning/empApi';
import { RESUBSCRIBE_DELAYS_MS, STATUS_CHANNEL, StatusStream } from 'c/statusStream';
import { flush } from 'test-utils';

/** A stream whose messages and changes are recorded. */
function recorded() {
    const messages = [];
    const changes = [];
    const stream = new StatusStream({
        onMessage: (message) => messages.push(message),
        onChange: (change) => changes.push(change)
    });
    return { stream, messages, changes };
}

describe('c/statusStream', () => {
    afterEach(() => {
        jest.clearAllMocks();
        jestMockReset();
        jest.useRealTimers();
    });

    it('subscribes to new status events only, says it is live, and delivers each event', async () => {
        const { stream, messages, changes } = recorded();
        await stream.open();
        expect(subscribe).toHaveBeenCalledWith(STATUS_CHANNEL, -1, expect.any(Function));
        expect(changes).toEqual([{ state: 'live', error: '', said: '', resumed: false }]);
        const message = { data: { payload: { Portal_Id__c: '12345678' } } };
        expect(await jestMockPublish(STATUS_CHANNEL, message)).toBe(1);
        expect(messages).toEqual([message]);
        stream.close();
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        expect(jestMockSubscriptions()).toHaveLength(0);
    });

    it('tells a burst of errors as one attempt, with the latest error, and says when it is live again', async () => {
        jest.useFakeTimers();
        const { stream, changes } = recorded();
        await stream.open();
        jestMockStreamError({ error: '403::Unknown client' });
        jestMockStreamError({ error: '403::Handshake denied' });
        expect(changes.slice(1)).toEqual([
            { state: 'reconnecting', error: '403::Unknown client', said: 'Live updates interrupted; reconnecting.', resumed: false },
            // The same attempt: only the words change, and the live region is not told again.
            { state: 'reconnecting', error: '403::Handshake denied', said: '', resumed: false }
        ]);
        jest.advanceTimersByTime(RESUBSCRIBE_DELAYS_MS[0]);
        await flush();
        expect(subscribe).toHaveBeenCalledTimes(2);
        expect(changes[changes.length - 1]).toEqual({ state: 'live', error: '', said: 'Live updates resumed.', resumed: true });
        stream.close();
    });

    it('unsubscribes a subscription that answers after the stream was closed', async () => {
        let answer;
        subscribe.mockReturnValueOnce(
            new Promise((resolve) => {
                answer = resolve;
            })
        );
        const { stream, changes } = recorded();
        const opening = stream.open();
        stream.close();
        const late = { id: 'late', channel: STATUS_CHANNEL };
        answer(late);
        await opening;
        expect(unsubscribe).toHaveBeenCalledWith(late, expect.any(Function));
        expect(changes).toEqual([]);
        // Closed, it hears no more errors.
        jestMockStreamError({ error: 'stream interrupted' });
        expect(changes).toEqual([]);
    });
});
