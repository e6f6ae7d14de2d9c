import * as oauth from 'oauth4webapi';
import type { OidcSignIn } from '../../app-config.ts';
import { tokenClaims } from '../token-claims.ts';
import { type OidcTokens, type PendingSignIn, storePendingSignIn, takePendingSignIn } from './oidc-tokens.ts';
import { OidcSignInError } from './sign-in-error.ts';

/** What the application asks for unless config.json says otherwise: who you are, by name. */
const DEFAULT_SCOPES = 'openid profile email';

/** A provider slower than this is as good as down: the person is told so instead of waiting. */
const PROVIDER_TIMEOUT_MS = 10_000;

/** Where the provider sends the person back, and where it sends them after signing out there. */
export const CALLBACK_PATH = '/app/signed-in';
export const SIGNED_OUT_PATH = '/app/signed-out';

const client = (signIn: OidcSignIn): oauth.Client => ({ client_id: signIn.clientId });

/** Plain http only for a provider on this machine, as the API allows it for the issuer. */
function requestOptions(signIn: OidcSignIn) {
  const { protocol, hostname } = new URL(signIn.issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  return {
    signal: () => AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    ...(protocol === 'http:' && loopback && { [oauth.allowInsecureRequests]: true }),
  };
}

function classified(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  if (error instanceof oauth.AuthorizationResponseError) {
    return new OidcSignInError(
      error.error === 'access_denied' ? 'denied' : 'refused',
      error.error_description ?? error.error,
      { cause: error },
    );
  }
  if (error instanceof oauth.ResponseBodyError)
    return new OidcSignInError('refused', error.error_description ?? error.error, { cause: error });
  // fetch rejects with a TypeError when the provider cannot be reached at all, and aborts on the timeout.
  if (error instanceof TypeError || (error instanceof DOMException && error.name === 'TimeoutError'))
    return new OidcSignInError('unreachable', undefined, { cause: error });
  return new OidcSignInError('unreadable', error instanceof Error ? error.message : undefined, {
    cause: error,
  });
}

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

/** The provider's discovery document, read once per page load (a failure is asked again next time). */
export function authorizationServer(signIn: OidcSignIn): Promise<oauth.AuthorizationServer> {
  let found = discovered.get(signIn.issuer);
  if (found === undefined) {
    const issuer = new URL(signIn.issuer);
    found = oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(signIn) })
      .then((response) => oauth.processDiscoveryResponse(issuer, response));
    found.catch(() => discovered.delete(signIn.issuer));
    discovered.set(signIn.issuer, found);
  }
  return found;
}

/**
 * Sends the person to the provider's authorization endpoint: the code flow with PKCE (S256), a state tying the
 * answer to this tab's request, and a nonce tying the id token to it. `next` is where they return after.
 */
export async function startSignIn(signIn: OidcSignIn, next: string): Promise<never> {
  try {
    const as = await authorizationServer(signIn);
    if (as.authorization_endpoint === undefined)
      throw new OidcSignInError('unreadable', 'the provider publishes no authorization endpoint');
    const pending: PendingSignIn = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
      next,
    };
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: signIn.clientId,
      redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
      response_type: 'code',
      scope: signIn.scopes ?? DEFAULT_SCOPES,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(signIn.resource && { resource: signIn.resource }),
    }).toString();
    storePendingSignIn(pending);
    window.location.assign(url);
  } catch (error) {
    throw classified(error);
  }
  // The page is leaving: nothing after this runs.
  return new Promise<never>(() => {});
}

function tokensOf(
  answer: oauth.TokenEndpointResponse,
  receivedAt: number,
  previous?: OidcTokens,
): OidcTokens {
  // Without expires_in the token's own exp is what the API will hold it to; else an hour, as providers default.
  const exp = tokenClaims(answer.access_token)?.exp;
  const expiresAt =
    answer.expires_in !== undefined
      ? receivedAt + answer.expires_in * 1000
      : typeof exp === 'number'
        ? exp * 1000
        : receivedAt + 3_600_000;
  const refreshToken = answer.refresh_token ?? previous?.refreshToken;
  const idToken = answer.id_token ?? previous?.idToken;
  return {
    accessToken: answer.access_token,
    ...(refreshToken && { refreshToken }),
    ...(idToken && { idToken }),
    receivedAt,
    expiresAt,
  };
}

/**
 * Completes a sign-in at the callback: the answer must carry the state this tab sent (else someone else's
 * code is being slipped in), and the code is exchanged with this tab's PKCE verifier.
 *
 * @throws {OidcSignInError} saying in which way it failed.
 */
export async function finishSignIn(
  signIn: OidcSignIn,
  callback: URL,
): Promise<{ tokens: OidcTokens; next: string }> {
  const pending = takePendingSignIn();
  try {
    if (pending === undefined) {
      // A refusal by the provider is the person's answer, even where this tab no longer holds its request.
      const refusal = callback.searchParams.get('error');
      if (refusal === null) throw new OidcSignInError('state');
      throw new OidcSignInError(
        refusal === 'access_denied' ? 'denied' : 'refused',
        callback.searchParams.get('error_description') ?? refusal,
      );
    }
    const as = await authorizationServer(signIn);
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(as, client(signIn), callback, pending.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) throw error;
      throw new OidcSignInError('state', undefined, { cause: error });
    }
    const receivedAt = Date.now();
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client(signIn),
      oauth.None(),
      parameters,
      `${window.location.origin}${CALLBACK_PATH}`,
      pending.codeVerifier,
      {
        ...requestOptions(signIn),
        ...(signIn.resource && { additionalParameters: { resource: signIn.resource } }),
      },
    );
    const answer = await oauth.processAuthorizationCodeResponse(as, client(signIn), response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    return { tokens: tokensOf(answer, receivedAt), next: pending.next };
  } catch (error) {
    throw classified(error);
  }
}

/**
 * New tokens for the refresh token: the provider decides again what the person may do, so a role taken away
 * there is gone here at the next renewal.
 *
 * @throws {OidcSignInError} when there is no refresh token or the provider refuses it.
 */
export async function renewTokens(signIn: OidcSignIn, tokens: OidcTokens): Promise<OidcTokens> {
  try {
    if (tokens.refreshToken === undefined) throw new OidcSignInError('refused', 'no refresh token');
    const as = await authorizationServer(signIn);
    const receivedAt = Date.now();
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client(signIn),
      oauth.None(),
      tokens.refreshToken,
      {
        ...requestOptions(signIn),
        ...(signIn.resource && { additionalParameters: { resource: signIn.resource } }),
      },
    );
    const answer = await oauth.processRefreshTokenResponse(as, client(signIn), response);
    return tokensOf(answer, receivedAt, tokens);
  } catch (error) {
    throw classified(error);
  }
}

/**
 * Where signing out leads once this tab has forgotten its tokens: the provider's end-session endpoint (so the
 * provider forgets the person too, and sends them back to the signed-out page), else the configured sign-out
 * URL (Cognito publishes none in its discovery), else straight to the signed-out page.
 */
export async function signOutDestination(signIn: OidcSignIn, idToken: string | undefined): Promise<string> {
  const signedOut = `${window.location.origin}${SIGNED_OUT_PATH}`;
  const endSession = await authorizationServer(signIn).then(
    (as) => as.end_session_endpoint,
    () => undefined,
  );
  if (endSession !== undefined) {
    const url = new URL(endSession);
    url.searchParams.set('client_id', signIn.clientId);
    url.searchParams.set('post_logout_redirect_uri', signedOut);
    if (idToken !== undefined) url.searchParams.set('id_token_hint', idToken);
    return url.href;
  }
  return signIn.signOutUrl ?? signedOut;
}
