import ipaddr from 'ipaddr.js';
import type { WebhookTargetPolicy } from '../../notify/ports.ts';
import type { WebhookTargetCheck } from './notification-access.ts';

/**
 * The check of a webhook's address at the moment an admin registers it, from its URL alone: https unless the
 * policy allows http, and no private, link-local or (unless allowed) loopback address written into it. It is
 * the seam where the delivery code's `checkWebhookTarget`, which also resolves names, replaces it; delivery
 * checks again at every send, since a name may point elsewhere later.
 */
export const checkWebhookTargetByUrl: WebhookTargetCheck = async (url, policy) => reasonRefused(url, policy);

function reasonRefused(text: string, policy: WebhookTargetPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host.endsWith('.localhost') || rangeOf(host) === 'loopback';
  if (loopback && !policy.allowLoopback) return 'a loopback address (this machine) may not receive webhooks';
  if (url.protocol === 'http:' && !(policy.allowHttp && loopback)) {
    return policy.allowHttp ? 'http is allowed only to loopback addresses' : 'webhooks must use https';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'webhooks must use https';
  if (url.username || url.password) return 'a webhook URL may not carry a user name or password';
  const range = rangeOf(host);
  if (range !== undefined && range !== 'unicast' && range !== 'loopback') {
    return `a ${range} address may not receive webhooks`;
  }
  return undefined;
}

/** The range of an IP address literal (`private`, `loopback`, `unicast` …); undefined for a name. */
function rangeOf(host: string): string | undefined {
  if (!ipaddr.isValid(host)) return undefined;
  const address = ipaddr.process(host);
  return address.range();
}
