/** A partner's tracking URL (domain.md section 6), shared by the admin API, the Partner Center and the redirect. */

/**
 * `{publicBaseUrl}/r/{codePrefix}{partnerCode}/{linkCode}`, plus `?ad={adId}` for an ad. Codes and ids only
 * use URL-safe characters; they are encoded anyway so that a stray character cannot break the URL.
 */
export function trackingUrl(
  publicBaseUrl: string,
  codePrefix: string,
  partnerCode: string,
  linkCode: string,
  adId?: string | null,
): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const url = `${base}/r/${encodeURIComponent(`${codePrefix}${partnerCode}`)}/${encodeURIComponent(linkCode)}`;
  // ":" is legal in a query and common in client-chosen ids; keep it readable.
  return adId ? `${url}?ad=${encodeURIComponent(adId).replace(/%3A/gi, ':')}` : url;
}

/** A partner's recruiting link: the Partner Center sign-up form with the partner as the new partner's parent. */
export function recruitingUrl(publicBaseUrl: string, partnerCode: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/partner-center/join?ref=${encodeURIComponent(partnerCode)}`;
}
