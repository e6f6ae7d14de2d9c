import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Notice } from '../../../domain/notifications/notice.ts';
import { signingSecrets, type WebhookEndpoint } from '../../../domain/notifications/webhook-endpoint.ts';
import type { WebhookDeliveryResult, WebhookSender, WebhookTargetPolicy } from '../ports.ts';
import {
  addressRefusal,
  checkWebhookTarget,
  type ResolvedAddress,
  type ResolveHost,
} from './target-check.ts';
import { webhookBody } from './webhook-payload.ts';
import { signWebhook } from './webhook-signing.ts';

export interface WebhookSenderOptions {
  readonly policy: WebhookTargetPolicy;
  /** The whole attempt — connecting, sending, the answer — must end within this. */
  readonly timeoutMs?: number;
  /** How host names are resolved; the system's DNS unless a test simulates a resolver. */
  readonly lookup?: ResolveHost;
}

/** The most of a receiver's answer that is read; the rest is not waited for. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The socket's lookup answers only with the addresses the check accepted (and checks them again), so the
 * connection goes where the check looked even if the name now resolves elsewhere (DNS rebinding).
 */
function pinnedLookup(addresses: readonly ResolvedAddress[], policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const refused = addresses.map((a) => addressRefusal(a.address, policy)).find((r) => r !== undefined);
    if (refused !== undefined) {
      callback(Object.assign(new Error(refused), { code: 'EREFUSED' }), '', 4);
      return;
    }
    const usable = addresses.filter((a) => !options.family || a.family === options.family);
    if (usable.length === 0) {
      callback(Object.assign(new Error(`no checked address of ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all) {
      (callback as unknown as (e: null, all: LookupAddress[]) => void)(
        null,
        usable.map((a) => ({ ...a })),
      );
    } else {
      callback(null, usable[0]!.address, usable[0]!.family);
    }
  };
}

type Answer = { status: number; location?: string } | { error: Error & { code?: string }; timedOut: boolean };

/** Reads at most MAX_ANSWER_BYTES of the answer, then lets the connection go. */
function readAnswer(response: IncomingMessage, done: (answer: Answer) => void) {
  let read = 0;
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  const finish = () =>
    done({ status, ...(location !== undefined ? { location: location.slice(0, 200) } : {}) });
  response.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read >= MAX_ANSWER_BYTES) {
      response.destroy();
      finish();
    }
  });
  response.on('end', finish);
  response.on('error', finish);
  response.on('close', finish);
}

function post(
  url: URL,
  addresses: readonly ResolvedAddress[],
  options: { policy: WebhookTargetPolicy; timeoutMs: number; headers: Record<string, string>; body: string },
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      lookup: pinnedLookup(addresses, options.policy),
      // A fresh connection each time: a kept-alive socket would skip the lookup above.
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      settle({ error: new Error('timeout'), timedOut: true });
    }, options.timeoutMs);
    req.on('response', (response) => readAnswer(response, settle));
    req.on('error', (error) => settle({ error, timedOut: false }));
    req.end(options.body);
  });
}

function resultOf(answer: Answer, url: URL, timeoutMs: number, durationMs: number): WebhookDeliveryResult {
  if ('error' in answer) {
    const detail = answer.timedOut
      ? `the receiver at ${url.host} did not answer within ${timeoutMs} ms`
      : `could not reach the receiver at ${url.host}: ${answer.error.message}${answer.error.code && !answer.error.message.includes(answer.error.code) ? ` (${answer.error.code})` : ''}`;
    return { outcome: 'failed', detail, durationMs, retryable: true };
  }
  const { status } = answer;
  if (status >= 200 && status < 300) {
    return {
      outcome: 'delivered',
      status,
      detail: `the receiver answered ${status}`,
      durationMs,
      retryable: false,
    };
  }
  if (status >= 300 && status < 400) {
    const to = answer.location !== undefined ? ` to ${answer.location}` : '';
    return {
      outcome: 'failed',
      status,
      detail: `the receiver answered ${status}, a redirect${to}; redirects are not followed`,
      durationMs,
      retryable: false,
    };
  }
  const retryable = status >= 500 || status === 429;
  return { outcome: 'failed', status, detail: `the receiver answered ${status}`, durationMs, retryable };
}

/**
 * Delivers notices to webhook endpoints: checks the target before every attempt, signs with every current
 * secret, POSTs the canonical JSON to the checked address only, never follows a redirect, and says what happened.
 */
export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  const { policy, timeoutMs = 10_000, lookup } = options;
  return {
    async deliver(endpoint: WebhookEndpoint, notice: Notice, now: Date): Promise<WebhookDeliveryResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const target = await checkWebhookTarget(endpoint.url, policy, lookup);
      if (!target.ok) {
        return target.retryable
          ? { outcome: 'failed', detail: target.reason, durationMs: elapsed(), retryable: true }
          : { outcome: 'refused', detail: target.reason, durationMs: elapsed(), retryable: false };
      }
      const secrets = signingSecrets(endpoint, now);
      if (secrets.length === 0) {
        return {
          outcome: 'refused',
          detail: 'the endpoint has no signing secret',
          durationMs: elapsed(),
          retryable: false,
        };
      }
      const body = webhookBody(notice);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'detention-ledger-webhooks',
        ...signWebhook(notice.id, now, body, secrets),
      };
      const answer = await post(target.url, target.addresses, { policy, timeoutMs, headers, body });
      return resultOf(answer, target.url, timeoutMs, elapsed());
    },
  };
}
