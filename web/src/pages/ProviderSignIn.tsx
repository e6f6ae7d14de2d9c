import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearch } from 'wouter';
import type { OidcSignIn } from '../app-config.ts';
import { nextPath } from '../session/next-path.ts';
import { SignInFailureNotice } from './SignInFailureNotice.tsx';
import { SignInReason } from './SignInReason.tsx';

/** Where the person will be sent: the provider's host, said beside the button so nobody is surprised. */
export function providerHost(signIn: OidcSignIn): string {
  return new URL(signIn.issuer).host;
}

/** Sign-in at the deployment's OpenID provider: one button; who you are and your roles are the provider's. */
export function ProviderSignIn({ signIn }: { signIn: OidcSignIn }) {
  const { t } = useTranslation('signIn');
  const search = new URLSearchParams(useSearch());
  const next = nextPath(search.get('next'));
  const start = useMutation({
    mutationFn: () =>
      import('../session/oidc/oidc-client.ts').then((client) => client.startSignIn(signIn, next)),
  });
  return (
    <section className="sign-in">
      <h1>{t('title')}</h1>
      <SignInReason reason={search.get('reason')} />
      <p>{t('provider.intro')}</p>
      <p className="hint">{t('provider.where', { host: providerHost(signIn) })}</p>
      {start.isError && <SignInFailureNotice error={start.error} />}
      <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
        {start.isPending
          ? t('submitting')
          : signIn.providerName
            ? t('provider.submitWith', { provider: signIn.providerName })
            : t('provider.submit')}
      </button>
    </section>
  );
}
