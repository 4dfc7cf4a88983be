import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post, session } from '../api';
import { Message } from '../components';
import { navigate } from '../router';

/** A 429 in words, with the wait the service asks for. */
export function tooManyMessage(error: ApiError, what: string): string {
  const seconds = error.retryAfter ?? 0;
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.max(1, seconds)} seconds`;
  return `Too many ${what}. For your security, please wait ${wait} before trying again.`;
}

export function SignIn({ onSignedIn }: { onSignedIn: () => void }): JSX.Element {
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section class="card narrow">
      <h1>Sign in to the Partner Center</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          post<{ token: string }>('/v1/partner-center/login', { code, password })
            .then(({ token }) => {
              session.signIn(token);
              onSignedIn();
              navigate('/dashboard');
            })
            .catch((e: unknown) => {
              if (e instanceof ApiError && e.status === 429) setError(tooManyMessage(e, 'failed sign-ins'));
              else if (e instanceof ApiError && e.code === 'pending-approval')
                setError(
                  'Your sign-up is waiting for approval by the merchant. You can sign in once it is approved.',
                );
              else if (e instanceof ApiError && e.status === 401)
                setError('Unknown partner code or wrong password.');
              else setError(e instanceof Error ? e.message : String(e));
            })
            .finally(() => setBusy(false));
        }}
      >
        <label>
          Partner code
          <input
            name="code"
            autocomplete="username"
            required
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error ? <Message kind="error">{error}</Message> : null}
      <p>
        Not a partner yet?{' '}
        <a
          href="/partner-center/join"
          onClick={(e) => {
            e.preventDefault();
            navigate('/join');
          }}
        >
          Join the partner program
        </a>
      </p>
    </section>
  );
}
