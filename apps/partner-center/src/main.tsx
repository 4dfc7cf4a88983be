/** The Partner Center: sign-in and sign-up, then the dashboard, links, collateral and ledger pages. */
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type Me, get, session, whenUnauthorized } from './api';
import { Message } from './components';
import { addDays, localDay } from './format';
import { CollateralPage } from './pages/collateral';
import { Dashboard } from './pages/dashboard';
import { Join } from './pages/join';
import { LedgerPage } from './pages/ledger';
import { Links } from './pages/links';
import { SignIn } from './pages/sign-in';
import { navigate, useRoute } from './router';
import './styles.css';

const PAGES = [
  ['/dashboard', 'Dashboard'],
  ['/links', 'Links'],
  ['/collateral', 'Collateral'],
  ['/ledger', 'Ledger'],
] as const;

function App() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [range, setRangeState] = useState<[string, string] | null>(null);
  const setRange = useCallback((from: string, to: string) => setRangeState([from, to]), []);

  useEffect(() => whenUnauthorized(() => setSignedIn(false)), []);
  useEffect(() => {
    if (!signedIn) {
      setMe(null);
      return;
    }
    get<Me>('/v1/me')
      .then((profile) => {
        setMe(profile);
        setRangeState((current) => {
          if (current) return current;
          const today = localDay(new Date(), profile.timezone);
          return [addDays(today, -29), today];
        });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [signedIn]);

  const title = route.path === '/join' ? 'Join' : (PAGES.find(([p]) => p === route.path)?.[1] ?? 'Sign in');
  useEffect(() => {
    document.title = `${title} · Partner Center`;
  }, [title]);

  let page;
  if (route.path === '/join') {
    page = <Join recruitedBy={route.params.get('ref')} />;
  } else if (!signedIn) {
    page = <SignIn onSignedIn={() => setSignedIn(true)} />;
  } else if (!me || !range) {
    page = error ? <Message kind="error">{error}</Message> : <p aria-busy="true">Loading…</p>;
  } else if (route.path === '/links') {
    page = <Links me={me} />;
  } else if (route.path === '/collateral') {
    page = <CollateralPage />;
  } else if (route.path === '/ledger') {
    page = <LedgerPage me={me} range={range} setRange={setRange} />;
  } else {
    page = <Dashboard me={me} range={range} setRange={setRange} />;
  }

  const current = route.path === '/' || route.path === '/login' ? '/dashboard' : route.path;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Partner Center</span>
        {signedIn && me ? (
          <>
            <nav aria-label="Partner Center">
              <ul>
                {PAGES.map(([path, label]) => (
                  <li key={path}>
                    <a
                      href={`/partner-center${path}`}
                      aria-current={current === path ? 'page' : undefined}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(path);
                      }}
                    >
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <span class="who">
              {me.name} ({me.code})
            </span>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                session.signOut();
                setSignedIn(false);
                navigate('/login');
              }}
            >
              Sign out
            </button>
          </>
        ) : null}
      </header>
      <main id="main">{page}</main>
    </>
  );
}

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element to render the Partner Center into');
render(<App />, root);
