import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Role } from '../../../functions/api/auth/principal.ts';

/**
 * What a screen says to someone whose roles do not let them use it: plainly which role it needs, and how to
 * get it here (sign in again with it), never a form that ends in a 403.
 */
export function NeedsRole({ title, needs }: { title: string; needs: Role }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{title}</h1>
      <p className="state">{t('needsRole.text', { role: t(`roles.${needs}`) })}</p>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
