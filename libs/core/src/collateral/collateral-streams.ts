/** The stream of one piece of collateral: its addition and its removal. */
export const collateralStream = (id: string): string => `collateral-${id}`;
