/**
 * One HTTP attempt of a webhook: a POST of the signed body (Standard Webhooks headers), no redirects
 * followed, to an address that passed the destination check, with a timeout. Answers the status code;
 * throws when no answer came.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DestinationRefusedError, guardedLookup, isPrivateAddress } from '../destination-guard';

export interface SignedMessage {
  readonly id: string;
  readonly at: Date;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** The headers of https://www.standardwebhooks.com: id, timestamp (seconds), `v1,<base64 HMAC-SHA256>`. */
export function signMessage(secret: string, id: string, at: Date, body: string): SignedMessage {
  return {
    id,
    at,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'referral-ledger-webhooks/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
  };
}

export function postMessage(
  url: URL,
  message: SignedMessage,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<number> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host))
    return Promise.reject(new DestinationRefusedError(`${host} is a private or loopback address`));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-length': String(Buffer.byteLength(message.body)) },
        lookup: guardedLookup(options.allowPrivate),
      },
      (res) => {
        clearTimeout(deadline);
        resolve(res.statusCode ?? 0);
        res.resume(); // the body is not needed
      },
    );
    // The whole attempt, connection included, has timeoutMs.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(message.body);
  });
}
