import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Layout } from './components/Layout.tsx';
import { BoardPage } from './pages/BoardPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SignedInPage } from './pages/SignedInPage.tsx';
import { SignedOutPage } from './pages/SignedOutPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { RequireSignIn } from './session/RequireSignIn.tsx';
import { LoadingState } from './states/LoadingState.tsx';
import { ScreenErrorBoundary } from './states/ScreenErrorBoundary.tsx';

// The board is the first screen and ships in the first load; the others (forms, charts of a case, proof
// checks, the date parser) come when first opened, so the first load stays small.
const CasePage = lazy(() => import('./pages/CasePage.tsx').then((module) => ({ default: module.CasePage })));
const OpenCasePage = lazy(() =>
  import('./pages/OpenCasePage.tsx').then((module) => ({ default: module.OpenCasePage })),
);
const GroupRecordPage = lazy(() =>
  import('./pages/GroupRecordPage.tsx').then((module) => ({ default: module.GroupRecordPage })),
);
const AuditPage = lazy(() =>
  import('./pages/AuditPage.tsx').then((module) => ({ default: module.AuditPage })),
);
const LedgerPage = lazy(() =>
  import('./pages/LedgerPage.tsx').then((module) => ({ default: module.LedgerPage })),
);
const NotificationsPage = lazy(() =>
  import('./pages/NotificationsPage.tsx').then((module) => ({ default: module.NotificationsPage })),
);
const WebhooksPage = lazy(() =>
  import('./pages/WebhooksPage.tsx').then((module) => ({ default: module.WebhooksPage })),
);
const EvidencePage = lazy(() =>
  import('./pages/EvidencePage.tsx').then((module) => ({ default: module.EvidencePage })),
);
const ConfirmPage = lazy(() =>
  import('./pages/SubscriptionLinkPage.tsx').then((module) => ({ default: module.ConfirmPage })),
);
const UnsubscribePage = lazy(() =>
  import('./pages/SubscriptionLinkPage.tsx').then((module) => ({ default: module.UnsubscribePage })),
);

/** The screens and their paths under /app/ (the paths are the contract the browser tests hold). */
export function App() {
  return (
    <Layout>
      <ScreenErrorBoundary>
        <Suspense fallback={<LoadingState />}>
          <Switch>
            <Route path="/sign-in" component={SignInPage} />
            <Route path="/signed-in" component={SignedInPage} />
            <Route path="/signed-out" component={SignedOutPage} />
            <Route path="/">
              <RequireSignIn>
                <BoardPage />
              </RequireSignIn>
            </Route>
            <Route path="/cases/new">
              <RequireSignIn>
                <OpenCasePage />
              </RequireSignIn>
            </Route>
            <Route path="/groups/record">
              <RequireSignIn>
                <GroupRecordPage />
              </RequireSignIn>
            </Route>
            <Route path="/groups/:groupId/record">
              {(params) => (
                <RequireSignIn>
                  <GroupRecordPage key={params.groupId} groupId={params.groupId} />
                </RequireSignIn>
              )}
            </Route>
            <Route path="/cases/:caseId">
              {(params) => (
                <RequireSignIn>
                  <CasePage key={params.caseId} caseId={params.caseId} />
                </RequireSignIn>
              )}
            </Route>
            <Route path="/audit">
              <RequireSignIn>
                <AuditPage />
              </RequireSignIn>
            </Route>
            <Route path="/ledger">
              <RequireSignIn>
                <LedgerPage />
              </RequireSignIn>
            </Route>
            <Route path="/notifications">
              <RequireSignIn>
                <NotificationsPage />
              </RequireSignIn>
            </Route>
            <Route path="/webhooks">
              <RequireSignIn>
                <WebhooksPage />
              </RequireSignIn>
            </Route>
            {/* Checking an evidence packet needs no account: it runs in the browser and sends nothing. */}
            <Route path="/evidence" component={EvidencePage} />
            {/* The links of emails: no sign-in, the token is the authority. */}
            <Route path="/confirm" component={ConfirmPage} />
            <Route path="/unsubscribe" component={UnsubscribePage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </ScreenErrorBoundary>
    </Layout>
  );
}
