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
