import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import Provider, {
  type Adapter,
  type AdapterPayload,
  type ClientMetadata,
  errors,
  type KoaContextWithOIDC,
} from 'oidc-provider';

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

/** A person with an account at the provider, who signs in on its login page. */
export interface TestUser {
  /** What they type as their login; also their `sub`. */
  readonly login: string;
  readonly password: string;
  /** What the access token's `cognito:groups` lists (roles, and a pii group if a test grants it so). */
  readonly groups: readonly string[];
  /** The id token's `name`. */
  readonly name?: string;
}

/** The web application as a public client: code + PKCE, no secret, its callback and signed-out pages. */
export interface WebClient {
  readonly clientId: string;
  /** The runtime's origin, `http://127.0.0.1:PORT`: callback `/app/signed-in`, after sign-out `/app/signed-out`. */
  readonly origin: string;
}

export interface OidcProviderOptions {
  readonly users?: readonly TestUser[];
  /** How long the web client's access tokens live, in seconds (600 by default); short for a renewal test. */
  readonly webAccessTokenTtlSeconds?: number;
}

export interface TestOidcProvider {
  /** The issuer, `http://127.0.0.1:PORT`. */
  readonly issuer: string;
  /**
   * Registers the web application's client. The runtime's port is known only once it runs, and it discovers
   * the provider at start, so the client comes after the provider.
   */
  registerWebClient(client: WebClient): void;
  /** What a user's next access token lists (as an administrator changes a person's groups at the provider). */
  setGroups(login: string, groups: readonly string[]): void;
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

const html = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title></head><body><main><h1>${html(title)}</h1>${body}</main></body></html>`;
}

function loginPage(uid: string, problem?: string): string {
  return page(
    'Test provider sign-in',
    `${problem ? `<p role="alert">${html(problem)}</p>` : ''}
    <form method="post" action="/interaction/${html(uid)}/login">
      <p><label>Login <input name="login" autocomplete="username" required></label></p>
      <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
      <p><button type="submit">Sign in</button></p>
    </form>
    <form method="post" action="/interaction/${html(uid)}/abort"><p><button type="submit">Cancel</button></p></form>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The provider's login and consent, as a deployment writes its own (oidc-provider's `devInteractions` take any
 * login without a password): a login form that checks the user's password, a cancel that answers
 * `access_denied`, and consent granted at once (the web client is the deployment's own).
 */
async function interaction(
  provider: Provider,
  users: ReadonlyMap<string, TestUser>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const action = new URL(req.url ?? '/', 'http://provider').pathname.split('/')[3];
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'login') {
    if (req.method === 'POST' && action === 'login') {
      const form = await formBody(req);
      const user = users.get(form.get('login') ?? '');
      if (user !== undefined && user.password === form.get('password')) {
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.login } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, 'Wrong login or password.'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(details.uid));
    return;
  }
  const { params, session, grantId } = details;
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ??
    new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true },
  );
}

/**
 * A real OpenID provider (panva's `oidc-provider`, a certified implementation) on a free loopback port.
 *
 * For the API's tests each subject is a client of its own that gets tokens with the client-credentials grant,
 * so a token's `sub` is whoever the test names; its extra claims (the groups) come from `extraTokenClaims`.
 * For the browser, `users` sign in through the provider's login page with the web application's public client
 * (`registerWebClient`): authorization code with PKCE, JWT access tokens for the API's resource indicator
 * carrying the user's groups as they are when each token is issued, rotating refresh tokens, CORS at the token
 * endpoint for the client's origin, and sign-out at the end-session endpoint.
 *
 * Clients and keys are fixed when a provider is built, so a new subject, client or key rotation builds a new
 * one behind the same server (over the same storage and cookie keys): the issuer and port stay, as they do
 * when a real provider is reconfigured.
 */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const accounts = new Map<string, Account>();
  const users = new Map((options.users ?? []).map((user) => [user.login, { ...user }]));
  const webClients: WebClient[] = [];
  const webTtl = options.webAccessTokenTtlSeconds ?? 600;
  const keys: JWK[] = [await signingKey()];
  const cookieKeys = [randomBytes(16).toString('hex')];
  let down = false;
  let current: Provider | undefined;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (down || handler === undefined || current === undefined) req.socket.destroy();
    else if (req.url?.startsWith('/interaction/')) {
      interaction(current, users, req, res).catch((error: unknown) => {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page('Sign-in failed', `<p>${html(String(error))}</p>`));
      });
    } else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const adapter = memoryAdapter();
  const build = () => {
    const provider = new Provider(issuer, {
      adapter,
      ttl: {
        ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
        AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? webTtl,
        // Long enough for any test, and said, so the provider does not warn of its defaults.
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
        IdToken: 3600,
        RefreshToken: 3600,
      },
      clients: [
        ...[...accounts].map(
          ([subject, account]): ClientMetadata => ({
            client_id: subject,
            client_secret: account.secret,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_post',
          }),
        ),
        ...webClients.map(
          (client): ClientMetadata => ({
            client_id: client.clientId,
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [`${client.origin}/app/signed-in`],
            post_logout_redirect_uris: [`${client.origin}/app/signed-out`],
          }),
        ),
      ],
      jwks: { keys: [...keys] },
      scopes: ['openid', 'profile', 'email', ...TOKEN_SCOPES],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
      // The id token says who signed in (the name the screens show), as Cognito's does; the access token is
      // for the API alone, so the userinfo endpoint is not where the browser could ask.
      conformIdTokenClaims: false,
      cookies: { keys: cookieKeys },
      findAccount: (_ctx, sub) => {
        const user = users.get(sub);
        return (
          user && {
            accountId: sub,
            claims: () => ({
              sub,
              name: user.name ?? sub,
              preferred_username: sub,
              email: `${sub}@provider.test`,
            }),
          }
        );
      },
      // Every web client's refresh tokens: the browser renews without asking for offline access.
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      clientBasedCORS: (_ctx, origin, client) =>
        client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
            ctx.body = page(
              'Sign out of the test provider?',
              `${form}<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></p>`,
            );
          },
        },
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
              accessTokenTTL: accounts.get(client.clientId)?.ttlSeconds ?? webTtl,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      extraTokenClaims: (_ctx, token) => {
        // A signed-in user's groups as they are now: a group removed shows in the next token.
        const user = 'accountId' in token ? users.get(token.accountId) : undefined;
        if (user !== undefined) return { 'cognito:groups': [...user.groups] };
        const clientId = 'clientId' in token ? token.clientId : undefined;
        return (clientId && accounts.get(clientId)?.claims) || {};
      },
    });
    current = provider;
    handler = provider.callback();
  };
  build();

  return {
    issuer,
    registerWebClient(client) {
      webClients.push(client);
      build();
    },
    setGroups(login, groups) {
      const user = users.get(login);
      if (user === undefined) throw new Error(`the test provider has no user ${login}`);
      users.set(login, { ...user, groups: [...groups] });
    },
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
