import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { useSession } from './SessionContext.tsx';

/** Screens behind this need a session; without one the person is sent to sign in and brought back after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { session } = useSession();
  if (session === undefined) {
    const here = window.location.pathname.replace(/^\/app/, '') + window.location.search;
    return <Redirect to={`/sign-in?next=${encodeURIComponent(here)}`} replace />;
  }
  return children;
}
