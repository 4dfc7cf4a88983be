import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Commission, type Ledger, type Link, type Me, download, get, query } from '../api';
import { Message, RangePicker } from '../components';
import { explainEntry } from '../explain';
import { localTime, money } from '../format';

const TYPES: Record<string, string> = {
  commission: 'Commission',
  clawback: 'Clawback',
  payment: 'Payment',
  adjustment: 'Adjustment',
};

export function LedgerPage({
  me,
  range,
  setRange,
}: {
  me: Me;
  range: [string, string];
  setRange: (f: string, t: string) => void;
}): JSX.Element {
  const [from, to] = range;
  const [data, setData] = useState<{ ledger: Ledger; commissions: Commission[]; links: Link[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pdfStatus, setPdfStatus] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    Promise.all([
      get<Ledger>(`/v1/me/ledger?${query({ from, to })}`),
      get<{ commissions: Commission[] }>('/v1/me/commissions'),
      get<Link[]>('/v1/me/links'),
    ])
      .then(([ledger, commissions, links]) =>
        setData({ ledger, commissions: commissions.commissions, links }),
      )
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [from, to]);

  const printPdf = () => {
    setPdfStatus('Preparing the PDF…');
    download(`/v1/me/ledger?${query({ from, to, format: 'pdf' })}`)
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `ledger-${me.code}-${from}-${to}.pdf`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        setPdfStatus('The PDF was downloaded.');
      })
      .catch((e: unknown) => setPdfStatus(e instanceof Error ? e.message : String(e)));
  };

  const context = {
    currency: me.currency,
    timezone: me.timezone,
    linkName: (id: string) => data?.links.find((l) => l.id === id)?.name ?? id,
  };
  const byId = new Map((data?.commissions ?? []).map((c) => [c.commissionId, c]));
  const m = (minor: number) => money(minor, data?.ledger.currency ?? me.currency);
  return (
    <section>
      <h1>Ledger</h1>
      <RangePicker from={from} to={to} onChange={setRange}>
        <button type="button" class="secondary" onClick={printPdf}>
          Download PDF
        </button>
      </RangePicker>
      {pdfStatus ? <Message kind="info">{pdfStatus}</Message> : null}
      {error ? <Message kind="error">{error}</Message> : null}
      {!data ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <dl class="metrics">
            {(
              [
                ['Beginning balance', data.ledger.beginningBalance],
                ['Commissions', data.ledger.commissions],
                ['Clawbacks', -data.ledger.clawbacks],
                ['Adjustments', data.ledger.adjustments],
                ['Payments', -data.ledger.payments],
                ['Ending balance', data.ledger.endingBalance],
              ] as const
            ).map(([label, value]) => (
              <div class="metric" key={label}>
                <dt>{label}</dt>
                <dd>{m(value)}</dd>
              </div>
            ))}
          </dl>
          <div class="table-scroll">
            <table class="ledger">
              <caption>
                Entries from {data.ledger.from} to {data.ledger.to} ({me.timezone}), with the balance after
                each
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Entry</th>
                  <th scope="col">Why</th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                  <th scope="col" class="num">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{data.ledger.from}</td>
                  <td>Beginning balance</td>
                  <td />
                  <td />
                  <td class="num">{m(data.ledger.beginningBalance)}</td>
                </tr>
                {data.ledger.entries.map((entry) => (
                  <tr key={entry.entryId} data-entry={entry.entryId}>
                    <td>{localTime(entry.occurredAt, me.timezone)}</td>
                    <td>{TYPES[entry.type] ?? entry.type}</td>
                    <td class="why">{explainEntry(entry, byId.get(entry.commissionId ?? ''), context)}</td>
                    <td class="num">{m(entry.amount)}</td>
                    <td class="num">{m(entry.balance)}</td>
                  </tr>
                ))}
                {data.ledger.entries.length === 0 ? (
                  <tr>
                    <td colSpan={5}>No entries in this range.</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
