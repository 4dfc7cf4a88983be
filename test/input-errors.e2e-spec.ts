/** Errors a person can act on: a JSON body without its content type, and one message per field. */
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const program = { id: 'standard', name: 'Standard', default: { sale: [{ percent: '10' }] } };

describe('a JSON body sent without content-type: application/json', () => {
  it('is 415 with one line saying what to send, as curl -d sends it (a form)', async () => {
    const response = await t
      .admin()
      .post('/v1/programs')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify(program))
      .expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 415,
      detail:
        'The body must be JSON sent with content-type: application/json (got application/x-www-form-urlencoded)',
    });
    expect(response.body.errors).toBeUndefined();
    await t.admin().get('/v1/programs/standard').expect(404);
  });

  it('is 415 for text/plain too, and the same body as JSON is accepted', async () => {
    await t
      .admin()
      .post('/v1/programs')
      .set('content-type', 'text/plain')
      .send(JSON.stringify(program))
      .expect(415);
    await t.admin().post('/v1/programs').send(program).expect(201);
  });
});

describe('one message per field', () => {
  it('names the first rule a wrong value breaks, not every rule of the field', async () => {
    const response = await t
      .admin()
      .post('/v1/partners/nobody/payments')
      .send({ amount: 'ten', paymentType: 'PayPal', currency: 'usd' })
      .expect(400);
    expect(response.body.errors).toEqual([
      { path: 'amount', message: 'must be an integer number' },
      { path: 'currency', message: 'must be a 3-letter ISO 4217 code' },
    ]);
  });
});
