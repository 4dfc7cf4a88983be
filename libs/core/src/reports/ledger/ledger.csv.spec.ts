import { ledgerCsv } from './ledger.csv';

describe('ledgerCsv', () => {
  it('writes a header and one CRLF-terminated line per row, quoting only what needs it', () => {
    const row = {
      partnerId: 'p1',
      partnerCode: 'alice',
      beginningBalance: -100,
      commissions: 4900,
      clawbacks: 0,
      adjustments: -25,
      payments: 1000,
      endingBalance: 3775,
    };
    expect(ledgerCsv([row, { ...row, partnerId: 'p2', partnerCode: 'say "hi", bob' }])).toBe(
      'partnerId,partnerCode,beginningBalance,commissions,clawbacks,adjustments,payments,endingBalance\r\n' +
        'p1,alice,-100,4900,0,-25,1000,3775\r\n' +
        'p2,"say ""hi"", bob",-100,4900,0,-25,1000,3775\r\n',
    );
  });

  it('neutralises text cells a spreadsheet would run as formulas, and keeps negative amounts numbers', () => {
    const row = {
      partnerId: '-cmd',
      partnerCode: 'zed',
      beginningBalance: -7,
      commissions: 0,
      clawbacks: 0,
      adjustments: -3,
      payments: 0,
      endingBalance: -10,
    };
    expect(ledgerCsv([row]).split('\r\n')[1]).toBe("'-cmd,zed,-7,0,0,-3,0,-10");
  });

  it('writes only the header when there are no rows', () => {
    expect(ledgerCsv([])).toBe(
      'partnerId,partnerCode,beginningBalance,commissions,clawbacks,adjustments,payments,endingBalance\r\n',
    );
  });
});
