import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';

function CrashedScreen({ error }: { error: Error }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('states.crashedTitle')}</strong> {t('states.crashed')}
      </p>
      <p>
        <code>{error.message}</code>
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('states.reload')}
      </button>
    </div>
  );
}

class Boundary extends Component<{ children: ReactNode }, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    return this.state.error ? <CrashedScreen error={this.state.error} /> : this.props.children;
  }
}

/**
 * A screen that throws while rendering (or whose code could not be loaded, e.g. after an upgrade replaced it)
 * says so and offers a reload, instead of leaving a blank page; going to another screen starts afresh.
 */
export function ScreenErrorBoundary({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  return <Boundary key={location}>{children}</Boundary>;
}
