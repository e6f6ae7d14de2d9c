import { useTranslation } from 'react-i18next';
import { OidcSignInError } from '../session/oidc/sign-in-error.ts';

/** What went wrong at the provider, in plain words; the provider's own words follow when it gave some. */
export function SignInFailureNotice({ error }: { error: unknown }) {
  const { t } = useTranslation('signIn');
  const failure = error instanceof OidcSignInError ? error.failure : 'unreadable';
  const detail = error instanceof OidcSignInError ? error.detail : undefined;
  return (
    <div className="state state-error" role="alert">
      <p>{t(`provider.failures.${failure}`)}</p>
      {detail && failure !== 'denied' && <p>{t('provider.providerSaid', { detail })}</p>}
    </div>
  );
}
