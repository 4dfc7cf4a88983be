// Limits on every amount a request can carry, chosen so that every product the domain computes
// (quantity x unit price, flat x quantity, percent x line) stays an exact integer of JavaScript
// (at most Number.MAX_SAFE_INTEGER = 2^53 - 1, about 9.007 x 10^15). Products and divisions are done
// in bigint anyway; the limits keep their results, which are stored and answered as numbers, exact.

/** Units of one item line: 1..10^6. */
export const MAX_QUANTITY = 1_000_000;

/**
 * Any single amount of money, in minor units: a unit price, a line (quantity x unit price), an
 * attempt's total, a refund, a payment, an adjustment (either sign), a minimum amount. 10^12 is ten
 * billion in a currency with 2 decimals.
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/**
 * A program's flat rate per unit, in minor units: flat x MAX_QUANTITY = 10^15, and with a percent of
 * at most 100% of a line (<= MAX_AMOUNT_MINOR) one line's commission is at most 1.001 x 10^15.
 */
export const MAX_FLAT_MINOR = 1_000_000_000;

// The worst case of each product must stay exact: checked once, when the module loads.
if (MAX_FLAT_MINOR * MAX_QUANTITY + MAX_AMOUNT_MINOR > Number.MAX_SAFE_INTEGER)
  throw new Error('amount limits allow a commission beyond Number.MAX_SAFE_INTEGER');
