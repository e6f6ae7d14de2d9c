import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { dataOf, ProblemError } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import { LoadingState } from '../states/LoadingState.tsx';

/**
 * The page an email's link opens: it posts the link's token once the page runs and says what happened. A
 * mail scanner that only fetches the link runs no script, so it confirms or ends nothing.
 */
export function LinkAction({ action }: { action: 'confirm' | 'unsubscribe' }) {
  const { t } = useTranslation('notifications');
  const { api, session } = useSession();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const post = useMutation({
    mutationFn: () =>
      dataOf(
        action === 'confirm'
          ? api.POST('/subscriptions/confirm', { body: { token } })
          : api.POST('/subscriptions/unsubscribe', { body: { token } }),
      ),
  });
  // Once per page: React's development double effects must not post twice.
  const posted = useRef(false);
  useEffect(() => {
    if (posted.current || token === '') return;
    posted.current = true;
    post.mutate();
  }, [post, token]);

  let said: string;
  if (token === '') said = t('link.noToken');
  else if (post.isSuccess) said = t(`link.outcome.${post.data.outcome}`);
  else if (post.error instanceof ProblemError) said = post.error.problem.detail || post.error.problem.title;
  else if (post.isError) said = t('link.unreachable');
  else return <LoadingState label={t(`link.working.${action}`)} />;

  return (
    <section>
      <h1>{t(`link.title.${action}`)}</h1>
      <p role="status" className={post.isError || token === '' ? 'state state-error' : 'banner'}>
        {said}
      </p>
      {session && (
        <p>
          <Link href="/notifications">{t('link.toSubscriptions')}</Link>
        </p>
      )}
    </section>
  );
}
