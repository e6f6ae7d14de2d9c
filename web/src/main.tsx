import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { Router } from 'wouter';
import { App } from './App.tsx';
import { ProblemError } from './api/problem.ts';
import { createI18n, initialLanguage } from './i18n/i18n.ts';
import { SessionProvider } from './session/SessionContext.tsx';
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
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={createI18n(initialLanguage())}>
      <QueryClientProvider client={queries}>
        <Router base="/app">
          <SessionProvider>
            <App />
          </SessionProvider>
        </Router>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
