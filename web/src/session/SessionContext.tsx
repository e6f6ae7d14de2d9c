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
import { type Session, storedSession, storeSession } from './session.ts';

/** Why the person was sent back to the sign-in page, shown there in words. */
export type SignOutReason = 'expired' | 'signed-out';

interface SessionState {
  readonly session: Session | undefined;
  readonly api: LedgerClient;
  signIn(session: Session): void;
  signOut(reason: SignOutReason): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/**
 * Holds who is signed in and the API client that speaks for them. A token that expires (by its clock, or
 * because the API says 401) ends the session and sends the person to sign in with a message, never to a blank
 * page; cached answers of the last person are dropped so the next one never sees them.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => {
    const stored = storedSession();
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  });
  const current = useRef(session);
  current.current = session;
  const [, navigate] = useLocation();
  const queries = useQueryClient();

  const signOut = useCallback(
    (reason: SignOutReason) => {
      const wasSignedIn = current.current !== undefined;
      storeSession(undefined);
      current.current = undefined;
      setSession(undefined);
      queries.clear();
      const here = window.location.pathname.replace(/^\/app/, '') + window.location.search;
      const next = here.startsWith('/sign-in') ? '' : `&next=${encodeURIComponent(here)}`;
      if (wasSignedIn || reason === 'signed-out') navigate(`/sign-in?reason=${reason}${next}`);
    },
    [navigate, queries],
  );

  const signIn = useCallback((next: Session) => {
    storeSession(next);
    current.current = next;
    setSession(next);
  }, []);

  useEffect(() => {
    if (session === undefined) return;
    const timer = window.setTimeout(() => signOut('expired'), Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const api = useMemo(
    () =>
      createLedgerClient({
        token: () => current.current?.token,
        onUnauthenticated: () => signOut('expired'),
      }),
    [signOut],
  );
  const value = useMemo(() => ({ session, api, signIn, signOut }), [session, api, signIn, signOut]);
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
