import { Route, Switch } from 'wouter';
import { Layout } from './components/Layout.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { BoardPage } from './pages/BoardPage.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { LedgerPage } from './pages/LedgerPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OpenCasePage } from './pages/OpenCasePage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { RequireSignIn } from './session/RequireSignIn.tsx';

/** The screens and their paths under /app/ (the paths are the contract the browser tests hold). */
export function App() {
  return (
    <Layout>
      <Switch>
        <Route path="/sign-in" component={SignInPage} />
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
        <Route component={NotFoundPage} />
      </Switch>
    </Layout>
  );
}
