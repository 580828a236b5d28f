/**
 * The demo's stream of the org's Sync_Doctor_Event__e (what the page's empApi stand-in listens to):
 * only events the org kept (none of a rolled-back request), only the status event, and on a
 * reconnect of the same stream (Last-Event-ID) the events it missed, in order.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { STATUS_EVENT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import {
  ORG_EVENTS_PATH,
  PLATFORM_EVENT_SSE_NAME,
  registerOrgEventStream,
} from '../src/demo/orgEventStream.js';

let sim: OrgSimulator;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  sim = await startOrgSimulator({ port: 0 });
  app = Fastify({ forceCloseConnections: true });
  registerOrgEventStream(app, sim);
  url = (await app.listen({ host: '127.0.0.1', port: 0 })) + ORG_EVENTS_PATH;
});

afterAll(async () => {
  await app?.close();
  await sim?.close();
});

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** A stream's frames as they come, each read waiting for the next one. */
async function open(lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(url, {
    signal: controller.signal,
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(): Promise<Frame> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Frame = {};
          for (const line of block.split('\n')) {
            const [key, ...rest] = line.split(': ');
            if (key === 'id' || key === 'event' || key === 'data') frame[key] = rest.join(': ');
          }
          if (frame.event) return frame;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

const publish = (sobjectType: string, state: string) =>
  sim.publishedEvents.push({
    sobjectType,
    payload: { [STATUS_EVENT.fields.portalId]: '4242', [STATUS_EVENT.fields.state]: state },
    at: new Date().toISOString(),
  });

test('streams the status events the org kept, and replays the missed ones to a reconnect', async () => {
  const stream = await open();
  // A request the org rolled back publishes nothing (the simulator drops its events in the turn).
  publish(STATUS_EVENT.name, 'suspected');
  sim.publishedEvents.length -= 1;
  publish('Other_Event__e', 'other');
  publish(STATUS_EVENT.name, 'suspended');
  const first = await stream.next();
  expect(first.event).toBe(PLATFORM_EVENT_SSE_NAME);
  expect(JSON.parse(first.data!).payload).toMatchObject({
    Portal_Id__c: '4242',
    State__c: 'suspended',
  });
  stream.close();

  // Published while the page was away: a reconnect of this stream gets it, and only it.
  publish(STATUS_EVENT.name, 'cleared');
  const resumed = await open(first.id);
  expect(JSON.parse((await resumed.next()).data!).payload.State__c).toBe('cleared');
  publish(STATUS_EVENT.name, 'suspended');
  expect(JSON.parse((await resumed.next()).data!).payload.State__c).toBe('suspended');
  resumed.close();

  // An id of another stack's stream (a restarted demo) replays nothing: the next frame is new.
  const other = await open('another-stack-1');
  publish(STATUS_EVENT.name, 'suspected');
  expect(JSON.parse((await other.next()).data!).payload.State__c).toBe('suspected');
  other.close();
});
