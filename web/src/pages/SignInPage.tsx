import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearch } from 'wouter';
import { type Role, roles } from '../../../functions/api/auth/principal.ts';
import { localSignIn } from '../api/local-sign-in.ts';
import { ProblemError } from '../api/problem.ts';
import { nextPath } from '../session/next-path.ts';
import { useSession } from '../session/SessionContext.tsx';
import { sessionOfToken } from '../session/session.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import { ProviderSignIn } from './ProviderSignIn.tsx';
import { SignInReason } from './SignInReason.tsx';

/** Sign-in: at the provider when config.json names one, else here (the local runtime). */
export function SignInPage() {
  const { config } = useSession();
  return config.signIn.mode === 'oidc' ? <ProviderSignIn signIn={config.signIn} /> : <LocalSignIn />;
}

/** Local sign-in: who you are and your roles; the local runtime mints a short-lived token for them. */
function LocalSignIn() {
  const { t } = useTranslation('signIn');
  const { signIn } = useSession();
  const [, navigate] = useLocation();
  const search = new URLSearchParams(useSearch());
  const reason = search.get('reason');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<Role>>(new Set(['viewer']));
  const [pii, setPii] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const ids = { name: useId(), nameHint: useId(), pii: useId() };

  const mutation = useMutation({
    mutationFn: () => localSignIn({ name: name.trim(), roles: [...chosen], pii }),
    onSuccess: (token) => {
      const session = sessionOfToken(token);
      if (session === undefined) throw new Error('the runtime answered a token that cannot be read');
      signIn(session);
      navigate(nextPath(search.get('next')), { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setProblem(t('errors.noName'));
    if (chosen.size === 0) return setProblem(t('errors.noRole'));
    setProblem(undefined);
    mutation.mutate();
  };

  return (
    <section className="sign-in">
      <h1>{t('title')}</h1>
      <SignInReason reason={reason} />
      <p>{t('intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t('name')}</label>
          <input
            id={ids.name}
            value={name}
            maxLength={80}
            autoComplete="name"
            aria-describedby={ids.nameHint}
            onChange={(event) => setName(event.target.value)}
          />
          <small id={ids.nameHint}>{t('nameHint')}</small>
        </div>
        <fieldset>
          <legend>{t('roles')}</legend>
          {roles.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                name="role"
                value={role}
                checked={chosen.has(role)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(role);
                  else next.delete(role);
                  setChosen(next);
                }}
              />
              <span>
                <strong>{role}</strong> — {t(`roleHints.${role}`)}
              </span>
            </label>
          ))}
        </fieldset>
        <label className="check" htmlFor={ids.pii}>
          <input
            id={ids.pii}
            type="checkbox"
            checked={pii}
            onChange={(event) => setPii(event.target.checked)}
          />
          <span>{t('pii')}</span>
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        {mutation.isError &&
          (mutation.error instanceof ProblemError ? (
            <p className="field-error" role="alert">
              {t('errors.failed', { detail: mutation.error.problem.detail || mutation.error.problem.title })}
            </p>
          ) : (
            <ErrorState error={mutation.error} />
          ))}
        <button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? t('submitting') : t('submit')}
        </button>
      </form>
    </section>
  );
}
