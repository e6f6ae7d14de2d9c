import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

/** Where the provider sends the person after signing out there: plainly signed out, with the way back in. */
export function SignedOutPage() {
  const { t } = useTranslation('signIn');
  return (
    <section className="sign-in">
      <h1>{t('signedOut.title')}</h1>
      <p role="status">{t('signedOut.text')}</p>
      <p>
        <Link href="/sign-in">{t('signedOut.again')}</Link>
      </p>
    </section>
  );
}
