import { useTranslation } from 'react-i18next';

/** Why the person is here again, in words. */
export function SignInReason({ reason }: { reason: string | null }) {
  const { t } = useTranslation('signIn');
  return reason === 'expired' || reason === 'signed-out' ? (
    <p className="banner" role="status">
      {t(`reasons.${reason}`)}
    </p>
  ) : null;
}
