import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { dataOf } from '../api/problem.ts';
import { saveFile } from '../api/save-file.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ErrorState } from '../states/ErrorState.tsx';

/** The name the ledger gives the file (`evidence-<caseId>-<size>.json`), else one made of the case id. */
function fileNameOf(response: Response, caseId: string): string {
  const named = /filename="([^"/\\]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return named ?? `evidence-${caseId}.json`;
}

/**
 * On the case page: auditors take the case's evidence packet away as a file, saved byte for byte as the
 * ledger answered it; everyone is shown where a packet is checked.
 */
export function CaseEvidence({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  const { api, session } = useSession();
  const download = useMutation({
    mutationFn: async () => {
      const call = api.GET('/cases/{caseId}/evidence', { params: { path: { caseId } }, parseAs: 'text' });
      const text = await dataOf(call);
      return { text, name: fileNameOf((await call).response, caseId) };
    },
    onSuccess: ({ text, name }) =>
      saveFile(new Blob([text], { type: 'application/vnd.detention-ledger.evidence+json' }), name),
  });
  return (
    <section className="case-evidence" aria-labelledby="case-evidence-title">
      <h2 id="case-evidence-title">{t('evidence.title')}</h2>
      {mayCall(session?.roles ?? [], 'GET /cases/{caseId}/evidence') && (
        <>
          <p>
            <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
              {t('evidence.download')}
            </button>
          </p>
          {download.isSuccess && (
            <p role="status">{t('evidence.downloaded', { name: download.data.name })}</p>
          )}
          {download.isError && <ErrorState error={download.error} />}
        </>
      )}
      <p>
        <Link href="/evidence">{t('checkEvidence')}</Link>
      </p>
    </section>
  );
}
