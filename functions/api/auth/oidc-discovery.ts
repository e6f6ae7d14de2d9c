import * as z from 'zod';

/** What the app needs of an OpenID provider's discovery document to verify its tokens. */
export interface OidcProviderMetadata {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The asymmetric signature algorithms the provider publishes: never `none`, never a shared-secret HS*. */
  readonly algorithms: readonly string[];
  /** Where a client exchanges codes and refresh tokens; the web application's page must be let fetch it. */
  readonly tokenEndpoint?: string;
}

/**
 * The signature algorithms the app accepts from a provider. A shared-secret algorithm (HS*) would let anyone
 * who holds the client secret sign tokens, and `none` anyone at all.
 */
const ASYMMETRIC_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/** The algorithm OpenID Connect Discovery requires every provider to support, when it publishes none. */
const DEFAULT_ALGORITHMS = ['RS256'];

/** How long the discovery document may take: a provider that is slower is as good as down. */
const DISCOVERY_TIMEOUT_MS = 5000;

/** The longest discovery document read: real ones are a few kilobytes. */
const MAX_DOCUMENT_BYTES = 256 * 1024;

const discoverySchema = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.url({ protocol: /^https?$/ }),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  token_endpoint: z.url({ protocol: /^https?$/ }).optional(),
});

/** The provider's discovery document could not be had or used; `reason` says what went wrong, in words. */
export class OidcDiscoveryError extends Error {
  readonly code = 'oidc_discovery_failed';
  constructor(
    readonly issuer: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The OpenID provider ${issuer} cannot be used: ${reason}`, options);
    this.name = 'OidcDiscoveryError';
  }
}

/** Plain http is for a provider on this machine only, as for the issuer itself. */
function isSafeUrl(text: string): boolean {
  const url = new URL(text);
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** `${issuer}/.well-known/openid-configuration`, as OpenID Connect Discovery 1.0 places it. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

/**
 * Reads and checks an issuer's discovery document: it must be JSON, name the same issuer (else a document
 * elsewhere could vouch for keys of another issuer), and publish a key set and asymmetric algorithms.
 *
 * @throws {OidcDiscoveryError} saying whether the provider was unreachable, answered no document, or one that
 * cannot be used.
 */
export async function discoverOidcProvider(
  issuer: string,
  options: { readonly fetch?: typeof fetch } = {},
): Promise<OidcProviderMetadata> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new OidcDiscoveryError(issuer, `${url} is unreachable (${cause})`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new OidcDiscoveryError(issuer, `${url} answered ${response.status}, not a discovery document`);
  }
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) {
    throw new OidcDiscoveryError(issuer, `${url} answered more than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OidcDiscoveryError(issuer, `${url} did not answer JSON`, { cause: error });
  }
  const parsed = discoverySchema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'the document').join(', ');
    throw new OidcDiscoveryError(issuer, `${url} is not a usable discovery document (${fields})`);
  }
  const document = parsed.data;
  if (document.issuer !== issuer) {
    throw new OidcDiscoveryError(issuer, `its discovery document names another issuer, ${document.issuer}`);
  }
  if (!isSafeUrl(document.jwks_uri)) {
    throw new OidcDiscoveryError(issuer, `its key set ${document.jwks_uri} is not https`);
  }
  const published = document.id_token_signing_alg_values_supported ?? DEFAULT_ALGORITHMS;
  const algorithms = published.filter((alg) => ASYMMETRIC_ALGORITHMS.has(alg));
  if (algorithms.length === 0) {
    throw new OidcDiscoveryError(
      issuer,
      `it publishes no asymmetric signature algorithm (only ${published.join(', ') || 'none'})`,
    );
  }
  return {
    issuer: document.issuer,
    jwksUri: document.jwks_uri,
    algorithms,
    ...(document.token_endpoint && { tokenEndpoint: document.token_endpoint }),
  };
}
