import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { currentAppPath } from './current-path.ts';
import { useSession } from './SessionContext.tsx';

/** Screens behind this need a session; without one the person is sent to sign in and brought back after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { session } = useSession();
  if (session === undefined) {
    return <Redirect to={`/sign-in?next=${encodeURIComponent(currentAppPath())}`} replace />;
  }
  return children;
}
