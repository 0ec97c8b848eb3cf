import { z } from 'zod';
import { messageOf, withSessionRenewal } from './api';

/** A server whose access cookie has expired until `renew` runs. */
function expiredSession() {
  const seen: Array<{ path: string; body: string }> = [];
  let renewed = false;
  let renewals = 0;
  const send = async (request: Request) => {
    seen.push({ path: new URL(request.url).pathname, body: await request.text() });
    return new Response(null, { status: renewed ? 200 : 401 });
  };
  const renew = async () => {
    renewals += 1;
    renewed = true;
    return true;
  };
  return { seen, send, renew, renewals: () => renewals };
}

describe('withSessionRenewal', () => {
  it('renews an expired session once and sends the call again with its body', async () => {
    const server = expiredSession();
    const response = await withSessionRenewal(server.send, server.renew)(new Request('http://web.test/api/slices/s1/mask', { method: 'PUT', body: '{"rle":1}' }));
    expect(response.status).toBe(200);
    expect(server.renewals()).toBe(1);
    expect(server.seen).toEqual([
      { path: '/api/slices/s1/mask', body: '{"rle":1}' },
      { path: '/api/slices/s1/mask', body: '{"rle":1}' },
    ]);
  });

  it('leaves a 401 of sign-in and of the renewal itself, and one the renewal cannot fix, as it is', async () => {
    const server = expiredSession();
    expect((await withSessionRenewal(server.send, server.renew)(new Request('http://web.test/api/auth/sign-in', { method: 'POST', body: '{}' }))).status).toBe(401);
    expect(server.renewals()).toBe(0);
    expect((await withSessionRenewal(server.send, server.renew)(new Request('http://web.test/api/auth/refresh', { method: 'POST' }))).status).toBe(401);
    expect(server.renewals()).toBe(0);
    const refused = await withSessionRenewal(server.send, async () => false)(new Request('http://web.test/api/runs'));
    expect(refused.status).toBe(401);
    expect(server.seen).toHaveLength(3);
  });

  it('renews for the signed-in user\'s own calls under /api/auth (who am I, API tokens)', async () => {
    const server = expiredSession();
    expect((await withSessionRenewal(server.send, server.renew)(new Request('http://web.test/api/auth/me'))).status).toBe(200);
    expect(server.renewals()).toBe(1);
  });
});

describe('messageOf', () => {
  it('names the field of an answer that breaks its contract, in words rather than JSON', () => {
    const answer = z.object({ items: z.array(z.object({ name: z.string() })) }).safeParse({ items: [{ name: 'a' }, {}] });
    const message = messageOf(answer.error);
    expect(message).toMatch(/^the API's answer does not match its contract: /);
    expect(message).toContain('items[1].name');
    expect(message).not.toContain('"code"');
  });
});
