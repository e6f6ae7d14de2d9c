import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import type { OidcTokens } from '../session/oidc/oidc-tokens.ts';
import { OidcSignInError } from '../session/oidc/sign-in-error.ts';
import { useSession } from '../session/SessionContext.tsx';
import { LoadingState } from '../states/LoadingState.tsx';
import { SignInFailureNotice } from './SignInFailureNotice.tsx';

/**
 * The callback is finished once per page load: a code can be exchanged only once, and React may run an effect
 * twice. Keyed by the callback's address, so a new sign-in in the same page load is a new exchange.
 */
const exchanges = new Map<string, Promise<{ tokens: OidcTokens; next: string }>>();

/** Where the provider sends the person back (`/app/signed-in`): the code is exchanged, then on to `next`. */
export function SignedInPage() {
  const { t } = useTranslation('signIn');
  const { config, signInWithTokens } = useSession();
  const [, navigate] = useLocation();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (config.signIn.mode !== 'oidc') {
      setError(new OidcSignInError('state'));
      return;
    }
    const signIn = config.signIn;
    const callback = new URL(window.location.href);
    let exchange = exchanges.get(callback.href);
    if (exchange === undefined) {
      exchange = import('../session/oidc/oidc-client.ts').then((client) =>
        client.finishSignIn(signIn, callback),
      );
      exchanges.set(callback.href, exchange);
    }
    let live = true;
    exchange.then(
      ({ tokens, next }) => {
        if (!live) return;
        if (signInWithTokens(tokens) === undefined)
          setError(new OidcSignInError('unreadable', 'the access token cannot be read'));
        // The code and state leave the address bar and the history.
        else navigate(next, { replace: true });
      },
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [config, signInWithTokens, navigate]);

  if (error === undefined) return <LoadingState />;
  return (
    <section className="sign-in">
      <h1>{t('provider.failedTitle')}</h1>
      <SignInFailureNotice error={error} />
      <p>
        <Link href="/sign-in">{t('provider.again')}</Link>
      </p>
    </section>
  );
}
