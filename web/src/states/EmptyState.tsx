import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Shown when an answer came and holds nothing: says so, and may say what to do next. */
export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <p className="state state-empty">{children ?? t('states.empty')}</p>;
}
