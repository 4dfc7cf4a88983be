import type { ValidationError } from 'class-validator';
import 'reflect-metadata';
import { IsInt, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { MAX_INPUT_DEPTH, flattenValidationErrors, unacceptableInput } from './validation';

describe('unacceptableInput', () => {
  it('accepts ordinary JSON, unicode included', () => {
    expect(
      unacceptableInput({ events: [{ data: { name: 'Zoë 🎉', items: [{ quantity: 1 }] } }], ok: null }),
    ).toEqual([]);
  });

  it('names strings and keys PostgreSQL cannot store', () => {
    expect(unacceptableInput({ events: [{ data: { userAgent: 'a\u0000b' } }] })).toEqual([
      { path: 'events[0].data.userAgent', message: 'must not contain the NUL character (U+0000)' },
    ]);
    expect(unacceptableInput({ name: 'x\ud800' })).toEqual([
      { path: 'name', message: 'must be valid Unicode text (it holds a lone surrogate)' },
    ]);
    expect(unacceptableInput({ products: { 'p\u0000': {} } })).toHaveLength(1);
    expect(unacceptableInput('a\u0000', 'id')).toEqual([
      { path: 'id', message: 'must not contain the NUL character (U+0000)' },
    ]);
  });

  it('refuses keys that shadow Object.prototype members', () => {
    const body = JSON.parse(
      '{"name":"x","__proto__":{"polluted":1},"products":{"constructor":{},"toString":{}}}',
    );
    expect(unacceptableInput(body).map((e) => e.path)).toEqual(
      expect.arrayContaining(['__proto__', 'products.constructor', 'products.toString']),
    );
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unacceptableInput({ events: deep })).toEqual([
      {
        path: `events${'[0]'.repeat(MAX_INPUT_DEPTH - 1)}`,
        message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep`,
      },
    ]);
  });
});

describe('flattenValidationErrors', () => {
  it('gives one message per field: the first rule it breaks, as the class declares them', () => {
    class Payment {
      @IsInt()
      @Min(1)
      @Max(10)
      amount!: unknown;

      @IsString()
      @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter code' })
      currency!: unknown;
    }
    const errors = validateSync(Object.assign(new Payment(), { amount: 'abc', currency: 'usd' }));
    expect(flattenValidationErrors(errors)).toEqual([
      { path: 'amount', message: 'must be an integer number' },
      { path: 'currency', message: 'must be a 3-letter code' },
    ]);
  });

  it('strips the property name from messages, even a name that is not a valid RegExp', () => {
    const errors: ValidationError[] = [
      { property: '[', constraints: { whitelistValidation: 'property [ should not exist' }, children: [] },
      { property: 'name(', constraints: { isString: 'name( must be a string' }, children: [] },
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { path: '[', message: 'should not exist' },
      { path: 'name(', message: 'must be a string' },
    ]);
  });
});
