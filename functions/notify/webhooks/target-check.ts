import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { WebhookTargetPolicy } from '../ports.ts';

/** An address a host name resolves to, as node:dns gives it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses; node:dns by default, injectable to simulate a resolver. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export type WebhookTargetCheck =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly ResolvedAddress[] }
  /** `retryable`: the name could not be resolved (DNS may answer later); a refusal by policy is final. */
  | { readonly ok: false; readonly reason: string; readonly retryable: boolean };

/** Why a range is refused, in words; ipaddr.js names the ranges. */
const RANGE_WORDS: Record<string, string> = {
  private: 'a private network address',
  loopback: 'a loopback address (this machine)',
  linkLocal: 'a link-local address (this includes cloud metadata at 169.254.169.254)',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  reserved: 'a reserved address',
};

/** What kind of address it is, when webhooks may not go there; undefined for a public one (or allowed loopback). */
function refusedRange(address: string, policy: WebhookTargetPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() reads an IPv4-mapped IPv6 address (::ffff:10.0.0.1) as the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
}

const ONLY_PUBLIC = 'webhooks are sent only to public addresses';

/** Why an address may not be sent webhooks, or undefined when it may: only public unicast (and loopback if allowed). */
export function addressRefusal(address: string, policy: WebhookTargetPolicy): string | undefined {
  const what = refusedRange(address, policy);
  return what === undefined ? undefined : `${address} is ${what}, and ${ONLY_PUBLIC}`;
}

const MAX_URL_LENGTH = 2000;

/**
 * Whether a URL may be sent webhooks: https (http only if the policy allows), no user name or password, and a
 * host whose every address is public. Every address counts, not the first: a name with one public and one
 * private address would otherwise reach the private one on a second try. Used when an endpoint is made and
 * before every delivery; the sender then connects only to the addresses this returned.
 */
export async function checkWebhookTarget(
  url: string,
  policy: WebhookTargetPolicy,
  resolve: ResolveHost = resolveWithSystemDns,
): Promise<WebhookTargetCheck> {
  const refuse = (reason: string) => ({ ok: false, reason, retryable: false }) as const;
  if (url.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('the URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowHttp)) {
    return refuse(
      policy.allowHttp
        ? 'the URL must start with https:// or http://'
        : 'the URL must use https://, not http://',
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return refuse('the URL must not carry a user name or password');
  }
  // URL keeps IPv6 literals in brackets; ipaddr.js wants them without.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return refuse('the URL has no host');
  if (ipaddr.isValid(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal !== undefined) return refuse(refusal);
    return { ok: true, url: parsed, addresses: [{ address: host, family: host.includes(':') ? 6 : 4 }] };
  }
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    // Not a refusal: DNS may answer later, and an endpoint that keeps failing is disabled after a day.
    const code = (error as { code?: string }).code;
    const said = code === 'ENOTFOUND' ? 'no such host is known' : (code ?? 'DNS error');
    return { ok: false, reason: `the host ${host} could not be resolved (${said})`, retryable: true };
  }
  if (addresses.length === 0)
    return { ok: false, reason: `the host ${host} has no address`, retryable: true };
  for (const { address } of addresses) {
    const what = refusedRange(address, policy);
    if (what !== undefined)
      return refuse(`the host ${host} resolves to ${address}, which is ${what}; ${ONLY_PUBLIC}`);
  }
  return { ok: true, url: parsed, addresses };
}
