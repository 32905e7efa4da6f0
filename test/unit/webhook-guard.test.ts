import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { AddressPolicy, signWebhook } from '@ocr/jobs';

describe('callback address policy (SSRF guard)', () => {
  const strict = new AddressPolicy([]);

  it('refuses loopback, private, link-local, metadata and reserved addresses, IPv4 and IPv6', () => {
    for (const address of [
      '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::5', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
    ]) {
      assert.ok(strict.refusal(address), `${address} should be refused`);
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      assert.equal(strict.refusal(address), null, address);
    }
  });

  it('allows exactly what the operator lists', () => {
    const policy = AddressPolicy.parse('127.0.0.1, 10.9.0.0/16');
    assert.equal(policy.refusal('127.0.0.1'), null);
    assert.ok(policy.refusal('127.0.0.2'));
    assert.equal(policy.refusal('10.9.200.1'), null);
    assert.ok(policy.refusal('10.8.0.1'));
    assert.ok(policy.refusal('::1'));
    assert.throws(() => AddressPolicy.parse('not-an-ip'), /WEBHOOK_ALLOWED_ADDRESSES/);
  });

  it('checks a host name by what it resolves to', async () => {
    // localhost resolves to a loopback address (127.0.0.1 or ::1): refused either way.
    await assert.rejects(strict.check(new URL('http://localhost:9/hook')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'invalid_field');
      assert.match(err.message, /callback_url refused: localhost resolves to/);
      return true;
    });
    await assert.rejects(strict.check(new URL('http://[::1]:9/')), /callback_url refused/);
    await assert.rejects(strict.check(new URL('http://no-such-host.invalid/')), /does not resolve/);
  });
});

describe('the guarded lookup the webhook client connects through', () => {
  it('refuses to open a connection to a host name that resolves to a refused address', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const get = (policy: AddressPolicy) =>
      new Promise<string>((resolve) => {
        const req = request(`http://localhost:${port}/`, { lookup: policy.lookup, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(`HTTP ${res.statusCode}`));
        });
        req.on('error', (err) => resolve(err.message));
        req.end();
      });
    try {
      assert.match(await get(new AddressPolicy([])), /^refused: localhost resolves to/);
      assert.equal(await get(new AddressPolicy(['127.0.0.1', '::1'])), 'HTTP 200');
    } finally {
      server.close();
    }
  });
});

describe('webhook signatures', () => {
  it('match the Standard Webhooks reference vector', () => {
    const signature = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
