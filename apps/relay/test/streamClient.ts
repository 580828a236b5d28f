import { admin, waitFor } from './helpers.js';

interface StreamEvent {
  id: number | null;
  status: { title?: string | null } | null;
}

/**
 * An open stream of the portal on `base`; `events` are the status events received so far,
 * `ended` whether the relay ended it.
 */
export async function openStream(
  base: string,
  portalId: string,
): Promise<{
  events: StreamEvent[];
  text: () => string;
  ended: () => boolean;
  close: () => Promise<void>;
}> {
  const controller = new AbortController();
  const response = await fetch(`${base}/v1/portals/${portalId}/stream`, {
    headers: admin,
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const events: StreamEvent[] = [];
  let text = '';
  let parsed = 0;
  let ended = false;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) {
        ended = true;
        return;
      }
      text += Buffer.from(value!).toString('utf8');
      for (let end = text.indexOf('\n\n', parsed); end !== -1; end = text.indexOf('\n\n', parsed)) {
        const block = text.slice(parsed, end).split('\n');
        parsed = end + 2;
        if (!block.includes('event: status')) continue;
        const id = block.find((line) => line.startsWith('id: '));
        const data = block.find((line) => line.startsWith('data: '))!;
        events.push({
          id: id ? Number(id.slice(4)) : null,
          status: JSON.parse(data.slice(6)) as StreamEvent['status'],
        });
      }
    }
  })();
  await waitFor(() => events.length > 0, 10_000, 'the opening status');
  return {
    events,
    text: () => text,
    ended: () => ended,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
