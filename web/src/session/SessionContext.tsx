import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useLocation } from 'wouter';
import { createLedgerClient, type LedgerClient } from '../api/client.ts';
import type { AppConfig, OidcSignIn } from '../app-config.ts';
import { currentAppPath } from './current-path.ts';
import { sessionOfOidcTokens } from './oidc/oidc-session.ts';
import { type OidcTokens, storedTokens, storeTokens } from './oidc/oidc-tokens.ts';
import { type Session, storedSession, storeSession } from './session.ts';

/** Why the person was sent back to the sign-in page, shown there in words. */
export type SignOutReason = 'expired' | 'signed-out';

interface SessionState {
  readonly session: Session | undefined;
  readonly api: LedgerClient;
  /** How this deployment signs people in (`/app/config.json`). */
  readonly config: AppConfig;
  signIn(session: Session): void;
  /** Starts a session with a provider's tokens (the callback page), kept for this tab. */
  signInWithTokens(tokens: OidcTokens): Session | undefined;
  signOut(reason: SignOutReason): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** The provider's client code loads only where a provider signs people in, and only when needed. */
const oidcClient = () => import('./oidc/oidc-client.ts');

function initialSession(config: AppConfig): Session | undefined {
  if (config.signIn.mode === 'local') {
    const stored = storedSession();
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  }
  const tokens = storedTokens();
  // An expired access token may still be renewed: the session stands until a renewal fails.
  return tokens && sessionOfOidcTokens(tokens, config.signIn);
}

/**
 * Holds who is signed in and the API client that speaks for them. Locally a token that expires (by its clock,
 * or because the API says 401) ends the session; a provider's token is renewed with the refresh token at 80%
 * of its life, and once more on a 401, and only a failed renewal ends the session. An ended session sends the
 * person to sign in with a message, never to a blank page; cached answers of the last person are dropped so
 * the next one never sees them.
 */
export function SessionProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => initialSession(config));
  const current = useRef(session);
  current.current = session;
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const oidc: OidcSignIn | undefined = config.signIn.mode === 'oidc' ? config.signIn : undefined;

  const signOut = useCallback(
    (reason: SignOutReason) => {
      const wasSignedIn = current.current !== undefined;
      const idToken = storedTokens()?.idToken;
      storeSession(undefined);
      storeTokens(undefined);
      current.current = undefined;
      setSession(undefined);
      queries.clear();
      if (oidc !== undefined && reason === 'signed-out') {
        // The tokens are gone from this tab first; then the provider ends its own session, and sends the
        // person back to the signed-out page.
        void oidcClient()
          .then((client) => client.signOutDestination(oidc, idToken))
          .then(
            (destination) => window.location.assign(destination),
            () => navigate('/signed-out'),
          );
        return;
      }
      const here = currentAppPath();
      const next = here.startsWith('/sign-in') ? '' : `&next=${encodeURIComponent(here)}`;
      if (wasSignedIn || reason === 'signed-out') navigate(`/sign-in?reason=${reason}${next}`);
    },
    [navigate, queries, oidc],
  );

  const signIn = useCallback((next: Session) => {
    storeSession(next);
    current.current = next;
    setSession(next);
  }, []);

  const signInWithTokens = useCallback(
    (tokens: OidcTokens) => {
      const next = oidc && sessionOfOidcTokens(tokens, oidc);
      if (next === undefined) return undefined;
      storeTokens(tokens);
      current.current = next;
      setSession(next);
      return next;
    },
    [oidc],
  );

  // One renewal at a time: the timer and several 401s at once share it.
  const renewing = useRef<Promise<boolean> | undefined>(undefined);
  const renew = useCallback((): Promise<boolean> => {
    const tokens = storedTokens();
    if (oidc === undefined || tokens === undefined) return Promise.resolve(false);
    renewing.current ??= oidcClient()
      .then((client) => client.renewTokens(oidc, tokens))
      .then((renewed) => signInWithTokens(renewed) !== undefined)
      .catch(() => false)
      .finally(() => {
        renewing.current = undefined;
      });
    return renewing.current;
  }, [oidc, signInWithTokens]);

  useEffect(() => {
    if (session === undefined) return;
    const { renewAt } = session;
    const timer =
      renewAt === undefined
        ? window.setTimeout(() => signOut('expired'), Math.max(0, session.expiresAt - Date.now()))
        : window.setTimeout(
            () => void renew().then((renewed) => renewed || signOut('expired')),
            Math.max(0, renewAt - Date.now()),
          );
    return () => window.clearTimeout(timer);
  }, [session, signOut, renew]);

  const api = useMemo(
    () =>
      createLedgerClient({
        token: () => current.current?.token,
        ...(oidc && { renew: () => renew() }),
        onUnauthenticated: () => signOut('expired'),
      }),
    [signOut, renew, oidc],
  );
  const value = useMemo(
    () => ({ session, api, config, signIn, signInWithTokens, signOut }),
    [session, api, config, signIn, signInWithTokens, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session; only for screens behind `RequireSignIn`. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (session === undefined) throw new Error('useSignedIn outside RequireSignIn');
  return session;
}
