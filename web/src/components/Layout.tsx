import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { OfflineBanner } from '../states/OfflineBanner.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/**
 * The frame of every screen: where you can go (only what your roles allow, and checking evidence, which needs
 * no account), who you are, the language.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const held = session?.roles ?? [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <Link href="/" className="app-name">
          {t('appName')}
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {mayCall(held, 'GET /cases') && (
              <li>
                <Link href="/">{t('nav.board')}</Link>
              </li>
            )}
            {mayCall(held, 'POST /cases') && (
              <li>
                <Link href="/cases/new">{t('nav.openCase')}</Link>
              </li>
            )}
            {mayCall(held, 'POST /groups/{groupId}/events') && (
              <li>
                <Link href="/groups/record">{t('nav.recordForGroup')}</Link>
              </li>
            )}
            {mayCall(held, 'GET /audit') && (
              <li>
                <Link href="/audit">{t('nav.audit')}</Link>
              </li>
            )}
            {mayCall(held, 'GET /ledger/digest') && (
              <li>
                <Link href="/ledger">{t('nav.ledger')}</Link>
              </li>
            )}
            {mayCall(held, 'POST /subscriptions') && (
              <li>
                <Link href="/notifications">{t('nav.notifications')}</Link>
              </li>
            )}
            {mayCall(held, 'GET /webhook-endpoints') && (
              <li>
                <Link href="/webhooks">{t('nav.webhooks')}</Link>
              </li>
            )}
            {/* Signed in or not: whoever holds a packet can check it. */}
            <li>
              <Link href="/evidence">{t('nav.evidence')}</Link>
            </li>
          </ul>
        </nav>
        <div className="app-tools">
          <LanguageSwitch />
          {session && (
            <span className="who">
              <span>
                {t('signedInAs', { name: session.name })} (
                {[
                  ...session.roles.map((role) => t(`roles.${role}`)),
                  ...(session.pii ? [t('roles.pii')] : []),
                ].join(', ')}
                )
              </span>
              <button type="button" onClick={() => signOut('signed-out')}>
                {t('signOut')}
              </button>
            </span>
          )}
        </div>
      </header>
      <OfflineBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
