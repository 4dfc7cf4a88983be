import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { Message } from '../components';
import { navigate } from '../router';
import { tooManyMessage } from './sign-in';

/** The sign-up form; `?ref=<code>` (a partner's recruiting link) names the recruiting partner. */
export function Join({ recruitedBy }: { recruitedBy: string | null }): JSX.Element {
  const [form, setForm] = useState({ code: '', name: '', email: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ status: string; code: string } | null>(null);
  const field = (key: keyof typeof form) => ({
    name: key,
    value: form[key],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  if (done) {
    return (
      <section class="card narrow">
        <h1>Welcome, {done.code}!</h1>
        {done.status === 'active' ? (
          <Message kind="info">Your partner account is active. You can sign in now.</Message>
        ) : (
          <Message kind="info">
            Thank you for signing up. The merchant will review your application; you can sign in once it is
            approved.
          </Message>
        )}
        <button type="button" onClick={() => navigate('/login')}>
          Go to sign-in
        </button>
      </section>
    );
  }
  return (
    <section class="card narrow">
      <h1>Join the partner program</h1>
      {recruitedBy ? <p class="note">You were invited by partner {recruitedBy}.</p> : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          post<{ status: string; code: string }>('/v1/partner-center/signup', {
            ...form,
            ...(recruitedBy ? { recruitedBy } : {}),
          })
            .then(setDone)
            .catch((e: unknown) => {
              if (e instanceof ApiError && e.status === 429)
                setError(tooManyMessage(e, 'sign-ups from your address'));
              else if (e instanceof ApiError && e.status === 404)
                setError('Sign-up is not open at the moment.');
              else if (e instanceof ApiError && e.errors.length > 0)
                setError(e.errors.map((x) => `${x.path}: ${x.message}`).join('; '));
              else setError(e instanceof Error ? e.message : String(e));
            });
        }}
      >
        <label>
          Partner code (your sign-in name, part of your links)
          <input {...field('code')} required pattern="[A-Za-z][A-Za-z0-9_\-]{0,63}" autocomplete="username" />
        </label>
        <label>
          Name
          <input {...field('name')} required autocomplete="name" />
        </label>
        <label>
          Email
          <input {...field('email')} type="email" required autocomplete="email" />
        </label>
        <label>
          Password (at least 8 characters)
          <input {...field('password')} type="password" minLength={8} required autocomplete="new-password" />
        </label>
        <button type="submit">Sign up</button>
      </form>
      {error ? <Message kind="error">{error}</Message> : null}
    </section>
  );
}
