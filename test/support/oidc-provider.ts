import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import Provider, { type Adapter, type AdapterPayload, errors } from 'oidc-provider';

/** The audience (resource indicator) the test provider's tokens are for, unless a test asks for another. */
export const TEST_AUDIENCE = 'https://ledger.test/api';

/** The scopes a test token may carry: the ledger's own `pii`, and one a provider might name otherwise. */
const TOKEN_SCOPES = ['pii', 'ledger:pii'];

export interface TokenRequest {
  /** Who the token is for: its `sub`. */
  readonly subject: string;
  /** Claims the token carries besides the standard ones, e.g. `{ 'cognito:groups': ['viewer'] }`. */
  readonly claims?: Record<string, unknown>;
  /** Space-separated scopes among `pii` and `ledger:pii`. */
  readonly scope?: string;
  readonly ttlSeconds?: number;
  /** The resource (the token's `aud`); `TEST_AUDIENCE` by default. */
  readonly audience?: string;
}

export interface TestOidcProvider {
  /** The issuer, `http://127.0.0.1:PORT`. */
  readonly issuer: string;
  /** A JWT access token from the provider's token endpoint (client credentials with a resource indicator). */
  accessToken(request: TokenRequest): Promise<string>;
  /**
   * A token shaped as Cognito's access tokens are, signed with the provider's current key: `iss`, `sub`, `exp`,
   * `iat` and the given claims (e.g. `client_id`), and no `aud`. The provider itself always names an audience.
   */
  signedToken(request: {
    subject: string;
    claims: Record<string, unknown>;
    ttlSeconds?: number;
  }): Promise<string>;
  /** A new signing key (a new `kid`) signs from now on; the old one is still published, as providers do. */
  rotateKeys(): Promise<void>;
  /** While down, every connection to the provider is dropped unanswered; `up()` brings it back. */
  down(): void;
  up(): void;
  stop(): Promise<void>;
}

interface Account {
  readonly secret: string;
  claims: Record<string, unknown>;
  ttlSeconds: number;
}

/**
 * The provider's storage, in memory: what its quick-start adapter does, without its warning at every build.
 * Client-credentials JWTs need none of it; the provider still asks.
 */
function memoryAdapter(): new (name: string) => Adapter {
  const stored = new Map<string, AdapterPayload>();
  return class MemoryAdapter implements Adapter {
    constructor(private readonly name: string) {}
    private key = (id: string) => `${this.name}:${id}`;
    async upsert(id: string, payload: AdapterPayload) {
      stored.set(this.key(id), payload);
    }
    async find(id: string) {
      return stored.get(this.key(id));
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid(uid: string) {
      return [...stored.values()].find((payload) => payload.uid === uid);
    }
    async consume(id: string) {
      const payload = stored.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      stored.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, payload] of stored) if (payload.grantId === grantId) stored.delete(key);
    }
  };
}

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/**
 * A real OpenID provider (panva's `oidc-provider`, a certified implementation) on a free loopback port. Each
 * subject is a client of its own that gets tokens with the client-credentials grant, so a token's `sub` is
 * whoever the test names; its extra claims (the groups) come from `extraTokenClaims`. Clients and keys are
 * fixed when a provider is built, so a new subject or a key rotation builds a new one behind the same server:
 * the issuer and port stay, as they do when a real provider is reconfigured.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  const accounts = new Map<string, Account>();
  const keys: JWK[] = [await signingKey()];
  let down = false;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (down || handler === undefined) req.socket.destroy();
    else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const adapter = memoryAdapter();
  const build = () => {
    const provider = new Provider(issuer, {
      adapter,
      ttl: { ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600 },
      clients: [...accounts].map(([subject, account]) => ({
        client_id: subject,
        client_secret: account.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      })),
      jwks: { keys: [...keys] },
      scopes: ['openid', ...TOKEN_SCOPES],
      cookies: { keys: [randomBytes(16).toString('hex')] },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => TEST_AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource, client) => {
            if (!/^https:\/\//.test(resource)) throw new errors.InvalidTarget();
            return {
              scope: TOKEN_SCOPES.join(' '),
              audience: resource,
              accessTokenFormat: 'jwt',
              accessTokenTTL: accounts.get(client.clientId)?.ttlSeconds ?? 600,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      extraTokenClaims: (_ctx, token) => {
        const clientId = 'clientId' in token ? token.clientId : undefined;
        return (clientId && accounts.get(clientId)?.claims) || {};
      },
    });
    handler = provider.callback();
  };
  build();

  return {
    issuer,
    async accessToken(request) {
      let account = accounts.get(request.subject);
      if (account === undefined) {
        account = { secret: randomBytes(16).toString('hex'), claims: {}, ttlSeconds: 600 };
        accounts.set(request.subject, account);
        build();
      }
      account.claims = request.claims ?? {};
      account.ttlSeconds = request.ttlSeconds ?? 600;
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: request.subject,
          client_secret: account.secret,
          resource: request.audience ?? TEST_AUDIENCE,
          ...(request.scope && { scope: request.scope }),
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!response.ok || body.access_token === undefined)
        throw new Error(`the test provider gave no token: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async signedToken(request) {
      const [current] = keys;
      if (current === undefined) throw new Error('the test provider has no signing key');
      return new SignJWT({ ...request.claims })
        .setProtectedHeader({ alg: 'RS256', kid: current.kid!, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(request.subject)
        .setIssuedAt()
        .setExpirationTime(`${request.ttlSeconds ?? 600}s`)
        .sign(await importJWK(current, 'RS256'));
    },
    async rotateKeys() {
      keys.unshift(await signingKey());
      build();
    },
    down() {
      down = true;
    },
    up() {
      down = false;
    },
    stop() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
