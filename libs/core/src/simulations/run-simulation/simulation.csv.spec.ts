import { simulationCsv } from './simulation.csv';

describe('simulationCsv', () => {
  it('writes one line per row, quoting what needs it', () => {
    const amounts = (commissions: number, clawbacks: number) => ({
      commissions,
      clawbacks,
      net: commissions - clawbacks,
    });
    const csv = simulationCsv([
      {
        partnerId: 'amy',
        productId: 'premium, annual',
        actual: amounts(970, 485),
        simulated: amounts(1940, 970),
        difference: amounts(970, 485),
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'partnerId,productId,actualCommissions,actualClawbacks,actualNet,simulatedCommissions,simulatedClawbacks,simulatedNet,differenceCommissions,differenceClawbacks,differenceNet',
      'amy,"premium, annual",970,485,485,1940,970,970,970,485,485',
      '',
    ]);
  });
});
