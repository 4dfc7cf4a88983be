import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Ad, type Link, type Me, get, post } from '../api';
import { CopyButton, Message } from '../components';

const MEDIUMS = ['solo-ad', 'banner', 'ppc', 'email', 'social', 'other'];

export function Links({ me }: { me: Me }): JSX.Element {
  const [links, setLinks] = useState<Link[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [linkId, setLinkId] = useState('');
  const [adId, setAdId] = useState('');
  const [newAd, setNewAd] = useState({ linkId: '', name: '', medium: 'banner' });
  const [created, setCreated] = useState<string | null>(null);
  const load = () =>
    get<Link[]>('/v1/me/links')
      .then((list) => {
        setLinks(list);
        setLinkId((current) => current || list[0]?.id || '');
        setNewAd((current) => ({ ...current, linkId: current.linkId || list[0]?.id || '' }));
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  useEffect(() => void load(), []);
  if (error) return <Message kind="error">{error}</Message>;
  if (!links) return <p aria-busy="true">Loading…</p>;
  const link = links.find((l) => l.id === linkId);
  const ad = link?.ads.find((a) => a.id === adId);
  const generated = ad?.trackingUrl ?? link?.trackingUrl ?? '';
  return (
    <section>
      <h1>Links</h1>
      <div class="card">
        <h2>Link generator</h2>
        <div class="row">
          <label>
            Link
            <select
              name="link"
              value={linkId}
              onChange={(e) => {
                setLinkId(e.currentTarget.value);
                setAdId('');
              }}
            >
              {links.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Ad
            <select name="ad" value={adId} onChange={(e) => setAdId(e.currentTarget.value)}>
              <option value="">No ad</option>
              {(link?.ads ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.medium})
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="row">
          <label class="grow">
            Tracking URL
            <input
              name="generated-url"
              readOnly
              value={generated}
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <CopyButton text={generated} what="the generated tracking URL" />
        </div>
      </div>
      <div class="card">
        <h2>Your recruiting link</h2>
        <p>Partners who sign up through it become part of your team.</p>
        <div class="row">
          <label class="grow">
            Recruiting URL
            <input readOnly value={me.recruitingUrl} />
          </label>
          <CopyButton text={me.recruitingUrl} what="the recruiting URL" />
        </div>
      </div>
      <h2>All tracking URLs</h2>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Your tracking URLs, with your ads</caption>
          <thead>
            <tr>
              <th scope="col">Link or ad</th>
              <th scope="col">Medium</th>
              <th scope="col">Tracking URL</th>
              <th scope="col">
                <span class="visually-hidden">Copy</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.flatMap((l) => [
              <tr key={l.id}>
                <th scope="row">{l.name}</th>
                <td>—</td>
                <td>
                  <code>{l.trackingUrl}</code>
                </td>
                <td>
                  <CopyButton text={l.trackingUrl} what={`the tracking URL of ${l.name}`} />
                </td>
              </tr>,
              ...l.ads.map((a: Ad) => (
                <tr key={a.id}>
                  <th scope="row" class="indent">
                    {l.name} / {a.name}
                  </th>
                  <td>{a.medium}</td>
                  <td>
                    <code>{a.trackingUrl}</code>
                  </td>
                  <td>
                    <CopyButton text={a.trackingUrl} what={`the tracking URL of ad ${a.name}`} />
                  </td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
      </div>
      <div class="card">
        <h2>Create an ad</h2>
        <p>An ad is a link placed in one medium: its clicks, opt-ins and sales are counted apart.</p>
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            setCreated(null);
            post<Ad>('/v1/me/ads', newAd)
              .then((ad) => {
                setCreated(`Ad ${ad.name} created.`);
                setNewAd({ ...newAd, name: '' });
                return load();
              })
              .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
          }}
        >
          <label>
            Link
            <select
              name="ad-link"
              value={newAd.linkId}
              onChange={(e) => setNewAd({ ...newAd, linkId: e.currentTarget.value })}
            >
              {links.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Ad name
            <input
              name="ad-name"
              required
              maxLength={200}
              value={newAd.name}
              onInput={(e) => setNewAd({ ...newAd, name: e.currentTarget.value })}
            />
          </label>
          <label>
            Medium
            <select
              name="ad-medium"
              value={newAd.medium}
              onChange={(e) => setNewAd({ ...newAd, medium: e.currentTarget.value })}
            >
              {MEDIUMS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Create ad</button>
        </form>
        {created ? <Message kind="info">{created}</Message> : null}
      </div>
    </section>
  );
}
