/** Shared pieces: the copy button, range picker, status messages, bar lists and the time-series chart. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without the clipboard API (an insecure origin): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** "Copy" (then "Copied") followed by what it copies, hidden but part of the button's name. */
export function CopyButton({ text, what }: { text: string; what: string }): JSX.Element {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        class="secondary"
        data-copy={what}
        onClick={() =>
          void copyText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2500);
          })
        }
      >
        {copied ? 'Copied' : 'Copy'}
        <span class="visually-hidden"> {what}</span>
      </button>
      <span class="visually-hidden" role="status">
        {copied ? `Copied ${what}` : ''}
      </span>
    </>
  );
}

export function Message({
  kind,
  children,
}: {
  kind: 'error' | 'info';
  children: ComponentChildren;
}): JSX.Element {
  return (
    <p class={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

export function RangePicker({
  from,
  to,
  onChange,
  children,
}: {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
  children?: ComponentChildren;
}): JSX.Element {
  const [f, setF] = useState(from);
  const [t, setT] = useState(to);
  return (
    <form
      class="range"
      onSubmit={(event) => {
        event.preventDefault();
        if (f && t && f <= t) onChange(f, t);
      }}
    >
      <label>
        From <input type="date" name="from" value={f} required onInput={(e) => setF(e.currentTarget.value)} />
      </label>
      <label>
        To <input type="date" name="to" value={t} required onInput={(e) => setT(e.currentTarget.value)} />
      </label>
      <button type="submit">Show</button>
      {children}
    </form>
  );
}

export interface Series {
  label: string;
  values: number[];
  color: string;
}

/** A line chart over days (uPlot); a table with the same numbers is given for screen readers. */
export function TimeChart({
  title,
  days,
  series,
}: {
  title: string;
  days: string[];
  series: Series[];
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const width = Math.max(320, element.clientWidth || 600);
    const plot = new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: true } },
        axes: [{ stroke: '#374151' }, { stroke: '#374151' }],
        series: [
          {
            label: 'Day',
            value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)),
          },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: days.length < 45 },
          })),
        ],
      },
      [days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), ...series.map((s) => s.values)],
      element,
    );
    return () => plot.destroy();
  }, [days, series]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
    </figure>
  );
}

/** Horizontal bars with their numbers (by link, by medium). */
export function Bars({
  caption,
  rows,
  format,
}: {
  caption: string;
  rows: { label: string; value: number }[];
  format: (n: number) => string;
}): JSX.Element {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <figure class="bars">
      <figcaption>{caption}</figcaption>
      {rows.length === 0 ? <p>No activity in this range.</p> : null}
      <ul>
        {rows.map((row) => (
          <li key={row.label}>
            <span class="bar-label">{row.label}</span>
            <span class="bar" style={{ width: `${(row.value / max) * 100}%` }} aria-hidden="true" />
            <span class="bar-value">{format(row.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
