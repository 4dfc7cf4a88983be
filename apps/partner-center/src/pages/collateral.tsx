import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Collateral, get } from '../api';
import { CopyButton, Message } from '../components';

function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.txt`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function CollateralPage(): JSX.Element {
  const [items, setItems] = useState<Collateral[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Collateral[]>('/v1/me/collateral')
      .then(setItems)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error) return <Message kind="error">{error}</Message>;
  if (!items) return <p aria-busy="true">Loading…</p>;
  const banners = items.filter((i) => i.kind === 'banner');
  const emails = items.filter((i) => i.kind === 'email');
  return (
    <section>
      <h1>Collateral</h1>
      <p>Banners and emails from the merchant, with your tracking URL already in them.</p>
      <h2>Banners</h2>
      {banners.length === 0 ? <p>No banners yet.</p> : null}
      {banners.map((b) => (
        <article class="card collateral" key={b.id} data-collateral={b.name}>
          <h3>{b.name}</h3>
          <img
            src={b.fileUrl ?? ''}
            alt={b.name}
            width={b.width ?? undefined}
            height={b.height ?? undefined}
            class="banner"
          />
          <label class="grow">
            HTML for your site
            <textarea readOnly rows={3} name={`snippet-${b.id}`} value={b.snippet} />
          </label>
          <div class="row">
            <CopyButton text={b.snippet} what={`the HTML of ${b.name}`} />
            <a class="button secondary" href={b.downloadUrl ?? ''} download>
              Download image<span class="visually-hidden"> {b.name}</span>
            </a>
          </div>
        </article>
      ))}
      <h2>Emails</h2>
      {emails.length === 0 ? <p>No emails yet.</p> : null}
      {emails.map((m) => (
        <article class="card collateral" key={m.id} data-collateral={m.name}>
          <h3>{m.name}</h3>
          {m.subject ? (
            <p>
              <strong>Subject:</strong> {m.subject}
            </p>
          ) : null}
          <label class="grow">
            Email text
            <textarea readOnly rows={8} name={`snippet-${m.id}`} value={m.snippet} />
          </label>
          <div class="row">
            <CopyButton text={m.snippet} what={`the text of ${m.name}`} />
            <button
              type="button"
              class="secondary"
              onClick={() =>
                downloadText(m.name, `${m.subject ? `Subject: ${m.subject}\n\n` : ''}${m.snippet}`)
              }
            >
              Download text<span class="visually-hidden"> {m.name}</span>
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}
