import { domainEvent } from '../events/domain-events';
import { aPartner } from '../testing/fixtures';
import { PartnerTimeline, compareLogOrder } from './partner-timeline';

const at = (n: number) => ({ transactionId: BigInt(n), sequence: BigInt(n) });

describe('PartnerTimeline', () => {
  function timeline(): PartnerTimeline {
    const t = new PartnerTimeline();
    t.apply(domainEvent('PartnerEnrolled', { partner: aPartner('top') }), at(1));
    t.apply(domainEvent('PartnerEnrolled', { partner: aPartner('mid', { parentId: 'top' }) }), at(2));
    t.apply(domainEvent('PartnerEnrolled', { partner: aPartner('amy', { parentId: 'mid' }) }), at(3));
    t.apply(domainEvent('PartnerChanged', { partnerId: 'amy', changes: { status: 'inactive' } }), at(10));
    t.apply(domainEvent('PartnerChanged', { partnerId: 'amy', changes: { parentId: null } }), at(20));
    return t;
  }

  it('answers each partner as it was just before a position', () => {
    const t = timeline();
    expect(t.at('amy', at(3))).toBeUndefined();
    expect(t.at('amy', at(4))).toMatchObject({ status: 'active', parentId: 'mid' });
    expect(t.at('amy', at(10))).toMatchObject({ status: 'active', parentId: 'mid' });
    expect(t.at('amy', at(11))).toMatchObject({ status: 'inactive', parentId: 'mid' });
    expect(t.at('amy', at(99))).toMatchObject({ status: 'inactive', parentId: null });
    expect(t.at('nobody', at(99))).toBeUndefined();
    expect(t.partnerCount).toBe(3);
  });

  it('gives the chains of the credited partners up to the levels asked', () => {
    const t = timeline();
    expect([...t.chainsAt(['amy'], 3, at(5)).keys()]).toEqual(['amy', 'mid', 'top']);
    expect([...t.chainsAt(['amy'], 2, at(5)).keys()]).toEqual(['amy', 'mid']);
    expect([...t.chainsAt(['amy'], 3, at(25)).keys()]).toEqual(['amy']);
    expect([...t.chainsAt(['amy', 'mid'], 1, at(5)).keys()]).toEqual(['amy', 'mid']);
  });

  it('refuses events out of log order', () => {
    const t = timeline();
    expect(() =>
      t.apply(domainEvent('PartnerChanged', { partnerId: 'amy', changes: { status: 'active' } }), at(5)),
    ).toThrow(RangeError);
    expect(compareLogOrder({ transactionId: 1n, sequence: 9n }, { transactionId: 2n, sequence: 1n })).toBe(
      -1,
    );
  });
});
