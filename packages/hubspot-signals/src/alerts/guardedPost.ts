import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  assertAllowedHost,
  DestinationRefusedError,
  guardedLookup,
  type OutboundPolicy,
} from './destination.js';

const USER_AGENT = 'SyncDoctor-Relay/0.1';

export interface GuardedPostOptions {
  /** content-type and the caller's own; content-length and user-agent are set here. */
  headers: Record<string, string>;
  /** The address rule (destination.ts); none: any address. */
  policy?: OutboundPolicy;
  /** For the whole exchange, connection to last byte. */
  timeoutMs: number;
  /** The most of the answer's body kept. */
  maxAnswerBytes: number;
  /**
   * A longer answer: true fails the request (a token answer must be whole), false keeps its first
   * bytes and reads the rest to drop it (an alert's refusal is only quoted in an error text).
   */
  refuseLongerAnswer: boolean;
}

export interface PostAnswer {
  status: number;
  text: string;
  headers: IncomingHttpHeaders;
}

/** The POST got no answer. `refused`: the address rule refused it, so trying again cannot help. */
export class PostFailedError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'PostFailedError';
  }
}

/**
 * The one way the relay POSTs to an address an admin configured: an alert's webhook or Slack URL,
 * a mailbox's OAuth token endpoint. The address is checked where it is resolved, so DNS rebinding
 * finds no gap, and no redirect is followed (a 3xx is just an answer).
 */
export async function guardedPost(
  url: URL,
  body: string,
  options: GuardedPostOptions,
): Promise<PostAnswer> {
  const { policy, timeoutMs, maxAnswerBytes } = options;
  try {
    // Node resolves no name for an address literal, so the lookup's check never runs for one.
    const bare = url.hostname.replace(/^\[|\]$/g, '');
    if (policy && isIP(bare)) assertAllowedHost(bare, policy);
    return await new Promise<PostAnswer>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          headers: {
            ...options.headers,
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': USER_AGENT,
          },
          ...(policy ? { lookup: guardedLookup(policy) as never } : {}),
          // A connection of its own, closed after the answer: Node's global agent keeps sockets
          // alive and pools them by host, port and TLS options, not by lookup, so a POST under the
          // strict rule would otherwise reuse a socket that one allowed private addresses opened,
          // and skip the address check. Alerts and token requests are rare: nothing worth pooling.
          agent: false,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            const before = size;
            size += chunk.length;
            if (size > maxAnswerBytes && options.refuseLongerAnswer)
              request.destroy(new Error(`the answer is larger than ${maxAnswerBytes} bytes`));
            else if (before < maxAnswerBytes) chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).subarray(0, maxAnswerBytes).toString('utf8'),
              headers: response.headers,
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  } catch (error) {
    const e = error as Error & { code?: string };
    if (error instanceof DestinationRefusedError || e.code === 'DESTINATION_REFUSED')
      throw new PostFailedError(e.message, true);
    throw new PostFailedError(
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `no answer within ${timeoutMs} ms`
        : e.message,
      false,
    );
  }
}
