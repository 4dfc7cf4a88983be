import { Webhook } from 'standardwebhooks';
import { postMessage, signMessage } from './dispatch/webhook-sender';
import { checkDestination, isPrivateAddress } from './destination-guard';

describe('webhook destinations', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '100.64.0.1',
  ])('refuses the non-public address %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])(
    'accepts the public address %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('checks IP literals and names that resolve to loopback, unless private destinations are allowed', async () => {
    await expect(checkDestination(new URL('http://127.0.0.1:9/x'), false)).rejects.toThrow(
      /private or loopback/,
    );
    await expect(checkDestination(new URL('http://[::1]/x'), false)).rejects.toThrow(/private or loopback/);
    await expect(checkDestination(new URL('http://localhost/x'), false)).rejects.toThrow(
      /private or loopback/,
    );
    await expect(checkDestination(new URL('http://127.0.0.1:9/x'), true)).resolves.toBeUndefined();
    await expect(checkDestination(new URL('https://93.184.215.14/hook'), false)).resolves.toBeUndefined();
  });
});

describe('sending to a destination', () => {
  const message = signMessage('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', new Date(), '{}');

  it('refuses, at send time, a name that resolves to loopback and a private IP literal', async () => {
    await expect(
      postMessage(new URL('http://localhost:9/x'), message, { timeoutMs: 1000, allowPrivate: false }),
    ).rejects.toThrow(/private or loopback/);
    await expect(
      postMessage(new URL('http://10.0.0.1:9/x'), message, { timeoutMs: 1000, allowPrivate: false }),
    ).rejects.toThrow(/private or loopback/);
  });

  it('signs as Standard Webhooks specifies, verifiable by the standardwebhooks library', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    const signed = signMessage('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_2', at, '{"a":1}');
    expect(signed.headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    expect(signed.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    // The library refuses old timestamps; verify the signature itself through a fresh one.
    const fresh = signMessage('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_2', new Date(), '{"a":1}');
    expect(new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify('{"a":1}', fresh.headers)).toEqual({
      a: 1,
    });
    expect(() =>
      new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify('{"a":2}', fresh.headers),
    ).toThrow();
  });
});
