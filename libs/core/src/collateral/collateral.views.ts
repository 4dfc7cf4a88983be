/** What the collateral endpoints answer: the record with its file URL, and a partner's ready snippets. */
import { fillTrackingUrl } from './banner-file';
import { type CollateralRecord, bannerFileName } from './collateral.store';

export interface CollateralView extends CollateralRecord {
  /** Banners: the public, content-addressed URL of the file. */
  fileUrl: string | null;
}

export function collateralView(record: CollateralRecord, publicBaseUrl: string): CollateralView {
  return { ...record, fileUrl: record.file ? fileUrl(publicBaseUrl, bannerFileName(record.file)) : null };
}

export function fileUrl(publicBaseUrl: string, name: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/collateral/${name}`;
}

export interface PartnerCollateralView {
  id: string;
  kind: CollateralRecord['kind'];
  name: string;
  linkId: string | null;
  /** The partner's tracking URL for the collateral's link (or its first link); null without links. */
  trackingUrl: string | null;
  /** Banners. */
  fileUrl: string | null;
  downloadUrl: string | null;
  width: number | null;
  height: number | null;
  contentType: string | null;
  /** Banners: HTML to paste on a web page. Email: the body with the tracking URL filled in. */
  snippet: string;
  /** Email: the subject with the tracking URL filled in. */
  subject: string | null;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function partnerCollateralView(
  record: CollateralRecord,
  trackingUrl: string | null,
  publicBaseUrl: string,
): PartnerCollateralView {
  const target = trackingUrl ?? '';
  const identity = {
    id: record.id,
    kind: record.kind,
    name: record.name,
    linkId: record.linkId,
    trackingUrl,
  };
  if (record.file) {
    const url = fileUrl(publicBaseUrl, bannerFileName(record.file));
    const size =
      record.file.width && record.file.height
        ? ` width="${record.file.width}" height="${record.file.height}"`
        : '';
    const img = `<img src="${escapeHtml(url)}" alt="${escapeHtml(record.name)}"${size}>`;
    return {
      ...identity,
      fileUrl: url,
      downloadUrl: `${url}?download=1`,
      width: record.file.width,
      height: record.file.height,
      contentType: record.file.contentType,
      snippet: trackingUrl ? `<a href="${escapeHtml(target)}">${img}</a>` : img,
      subject: null,
    };
  }
  return {
    ...identity,
    fileUrl: null,
    downloadUrl: null,
    width: null,
    height: null,
    contentType: 'text/plain',
    snippet: fillTrackingUrl(record.email?.body ?? '', target),
    subject: record.email?.subject == null ? null : fillTrackingUrl(record.email.subject, target),
  };
}
