import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../server/core/config/env.js';
import { isOriginAllowed, resolveSettings } from '../../../../server/core/config/resolve.js';
import { configSchema } from '../../../../server/core/config/schema.js';
import { requestScheme } from '../../../../server/http/host-check.js';
import { isHostAllowed, knownHosts } from '../../../../server/core/policy/host-rules.js';

// What a Space with one listed origin and two listed hosts is known by, resolved as the app resolves it.
const resolved = resolveSettings(
  configSchema.parse({ server: { allowed_origins: ['https://lab.example.com'], allowed_hosts: ['intranet.lan', 'box.example.org:8443'] } }),
  parseEnv({ SPACE_ID: 'me/lab', SPACE_HOST: 'me-lab.hf.space' }),
);
const known = knownHosts(resolved.allowedHosts);
const OWN = new Set(['192.0.2.10', '2001:db8::5']);
const isOwn = (ip: string) => OWN.has(ip);

describe('isHostAllowed: the Host allow-list (DNS rebinding)', () => {
  it.each([
    ['localhost:7860', true],
    ['localhost', true],
    ['LOCALHOST:7860', true],
    ['localhost.:7860', true],
    ['127.0.0.1:7860', true],
    ['127.8.9.10', true],
    ['[::1]:7860', true],
    ['[::1]', true],
    ['me-lab.hf.space', true],
    ['ME-LAB.HF.SPACE.', true],
    ['me-lab.hf.space:443', true],
    ['lab.example.com', true], // the host of an allowed origin
    ['intranet.lan:7860', true], // allowed_hosts without a port: any port
    ['box.example.org:8443', true],
    ['box.example.org:7860', false], // allowed_hosts with a port: that port only
    ['box.example.org', false],
    ['evil.example:7860', false],
    ['EVIL.example', false],
    ['evil.example.:7860', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.evil.example', false],
    ['me-lab.hf.space.evil.example', false],
    ['localhost:7860/path', false],
    ['user@localhost', false],
    ['localhost:99999', false],
    ['', false],
    [undefined, false],
    ['192.0.2.10:7860', true], // one of the machine's own addresses (LAN run)
    ['[2001:db8::5]:7860', true],
    ['192.0.2.99:7860', false],
    ['203.0.113.7', false],
  ] as const)('%s → %s', (host, expected) => {
    expect(isHostAllowed(host, known, isOwn)).toBe(expected);
  });

  it('never lets a DNS name pass as an own address', () => {
    expect(isHostAllowed('evil.example', known, () => true)).toBe(false);
  });

  it('knows only loopback when nothing is configured and no Space', () => {
    const bare = knownHosts(resolveSettings(configSchema.parse({}), parseEnv({})).allowedHosts);
    expect(isHostAllowed('localhost:7860', bare)).toBe(true);
    expect(isHostAllowed('me-lab.hf.space', bare)).toBe(false);
  });
});

describe('server.allowed_hosts in the config schema', () => {
  it.each(['lab.example.com', 'lab.example.com:8443', '10.0.0.5', '[fd00::1]:7860'])('accepts %s', (h) => {
    expect(configSchema.safeParse({ server: { allowed_hosts: [h] } }).success).toBe(true);
  });
  it.each(['https://lab.example.com', 'lab.example.com/app', '*.example.com', 'a b', ''])('refuses %s', (h) => {
    expect(configSchema.safeParse({ server: { allowed_hosts: [h] } }).success).toBe(false);
  });
});

describe('isOriginAllowed: scheme, host and port compared exactly', () => {
  const none = { exact: [], anyLocalhost: false };
  it.each([
    ['http://127.0.0.1:7860', 'http://127.0.0.1:7860', true],
    ['https://127.0.0.1:7860', 'http://127.0.0.1:7860', false], // https page, http server
    ['http://127.0.0.1:7860', 'https://127.0.0.1:7860', false],
    ['http://127.0.0.1:7861', 'http://127.0.0.1:7860', false],
    ['http://localhost:7860', 'http://127.0.0.1:7860', false],
    ['http://localhost', 'http://localhost:80', true], // default port
    ['http://localhost:7860', 'http://LOCALHOST:7860', true],
    ['https://me-lab.hf.space', 'https://me-lab.hf.space', true],
    ['null', 'http://127.0.0.1:7860', false],
    ['http://evil.example:7860', undefined, false], // its Host was not allowed: no own origin
  ] as const)('%s against own %s → %s', (origin, own, expected) => {
    expect(isOriginAllowed(origin, own, none)).toBe(expected);
  });

  it('still allows listed origins, and localhost in development over http only', () => {
    expect(isOriginAllowed('https://lab.example.com', undefined, { exact: ['https://lab.example.com'], anyLocalhost: false })).toBe(true);
    expect(isOriginAllowed('http://localhost:5173', undefined, { exact: [], anyLocalhost: true })).toBe(true);
    expect(isOriginAllowed('https://localhost:5173', undefined, { exact: [], anyLocalhost: true })).toBe(false);
    expect(isOriginAllowed(undefined, undefined, none)).toBe(true); // no Origin: not a browser cross-origin call
  });
});

describe('requestScheme', () => {
  const req = (proto?: string) =>
    ({ socket: { remoteAddress: '10.0.0.1' }, headers: proto === undefined ? {} : { 'x-forwarded-proto': proto } }) as unknown as IncomingMessage;
  it.each([
    [false, 'https', 'http'], // X-Forwarded-Proto from an untrusted peer is ignored
    [true, 'https', 'https'],
    [true, 'https, http', 'https'],
    [true, 'HTTP', 'http'],
    [true, 'wss', 'http'],
    [true, undefined, 'http'],
  ] as const)('trusted %s, X-Forwarded-Proto %s → %s', (trusted, proto, expected) => {
    expect(requestScheme(req(proto), () => trusted)).toBe(expected);
  });
});
