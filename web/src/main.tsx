import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { Router } from 'wouter';
import { App } from './App.tsx';
import { ProblemError } from './api/problem.ts';
import { createI18n, initialLanguage } from './i18n/i18n.ts';
import { loadAppConfig } from './load-app-config.ts';
import { SessionProvider } from './session/SessionContext.tsx';
import { ConfigUnavailable } from './states/ConfigUnavailable.tsx';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; a 503 or a dropped connection may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ProblemError && error.status >= 400 && error.status < 500),
      staleTime: 10_000,
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
const i18n = createI18n(initialLanguage());
const reactRoot = createRoot(root);

// How this deployment signs people in is read first: one build serves every deployment.
loadAppConfig().then(
  (config) =>
    reactRoot.render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <QueryClientProvider client={queries}>
            <Router base="/app">
              <SessionProvider config={config}>
                <App />
              </SessionProvider>
            </Router>
          </QueryClientProvider>
        </I18nextProvider>
      </StrictMode>,
    ),
  (error: unknown) =>
    reactRoot.render(
      <I18nextProvider i18n={i18n}>
        <ConfigUnavailable error={error} />
      </I18nextProvider>,
    ),
);
