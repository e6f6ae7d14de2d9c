import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, ProblemError } from '../api/problem.ts';
import { saveFile } from '../api/save-file.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { useVerification } from './case-queries.ts';

/** The problem the proof route answers with when no digest holds the case yet. */
const noDigestYet = (error: unknown) =>
  error instanceof ProblemError &&
  error.status === 404 &&
  /:(digest-not-found|case-in-digest-not-found)$/.test(error.problem.type);

/** For auditors: whether the case's chain of hashes holds, and its inclusion proof to take away. */
export function ChainCheck({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  const { api, session } = useSession();
  const roles = session?.roles ?? [];
  const verification = useVerification(caseId, true);
  const queries = useQueryClient();
  const [noDigest, setNoDigest] = useState(false);

  const proof = useMutation({
    mutationFn: async () => {
      // The proof is against the newest digest: none yet is said in words, with the offer to take one.
      const latest = await dataOf(api.GET('/ledger/digest', { params: { query: {} } }));
      return dataOf(
        api.GET('/cases/{caseId}/proof', {
          params: { path: { caseId }, query: { digest: latest.sequence } },
        }),
      );
    },
    onSuccess: (body) => {
      setNoDigest(false);
      saveFile(
        new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
        `${caseId}-inclusion-proof.json`,
      );
    },
    onError: (error) => setNoDigest(noDigestYet(error)),
  });
  const digest = useMutation({
    mutationFn: () => dataOf(api.POST('/ledger/digest', {})),
    onSuccess: () => {
      setNoDigest(false);
      void queries.invalidateQueries({ queryKey: ['digest'] });
    },
  });

  return (
    <section className="chain-check" aria-labelledby="chain-check-title">
      <h2 id="chain-check-title">{t('chain.title')}</h2>
      <QueryState query={verification} loading={t('chain.checking')}>
        {(result) =>
          result.ok ? (
            <p className="badge badge-ok">{t('chain.verified', { count: result.events })}</p>
          ) : (
            <p className="badge badge-broken" role="alert">
              {t('chain.broken', { version: result.brokenAt ?? result.events })}
            </p>
          )
        }
      </QueryState>
      <p>
        <button type="button" onClick={() => proof.mutate()} disabled={proof.isPending}>
          {t('chain.download')}
        </button>
      </p>
      {proof.isSuccess && <p role="status">{t('chain.downloaded')}</p>}
      {noDigest ? (
        <div role="status">
          <p>
            {t('chain.noDigest')}
            {proof.error instanceof ProblemError && ` (${proof.error.problem.detail})`}
          </p>
          {mayCall(roles, 'POST /ledger/digest') && (
            <button type="button" onClick={() => digest.mutate()} disabled={digest.isPending}>
              {t('chain.takeDigest')}
            </button>
          )}
        </div>
      ) : (
        proof.isError && <ErrorState error={proof.error} />
      )}
      {digest.isSuccess && <p role="status">{t('chain.digestTaken', { sequence: digest.data.sequence })}</p>}
      {digest.isError && <ErrorState error={digest.error} />}
    </section>
  );
}
