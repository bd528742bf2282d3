import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { corsPolicy, type OriginPolicy, securityHeaders } from '../../../server/http/security.js';
import { errorMiddleware } from '../../../server/http/error-middleware.js';
import { capturingLogger, listen, type Listening, json } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const ALLOWED = 'https://lab.example';

describe('securityHeaders', () => {
  it('sends a strict CSP with the given script hashes and framing only by huggingface.co', async () => {
    const app = express();
    app.use(securityHeaders(['sha256-AAA=', 'sha256-BBB=']));
    app.get('/', (_req, res) => void res.send('ok'));
    running = await listen(app);
    const res = await fetch(running.url);
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'sha256-AAA=' 'sha256-BBB='",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'self' https://huggingface.co",
    });
    expect(csp).not.toContain('unsafe-inline');
    // frame-ancestors replaces X-Frame-Options, which could not allow huggingface.co
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('with no hashes allows scripts from this origin only', async () => {
    const app = express();
    app.use(securityHeaders([]));
    app.get('/', (_req, res) => void res.send('ok'));
    running = await listen(app);
    const csp = (await fetch(running.url)).headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
  });
});

describe('corsPolicy', () => {
  const asked: { origin: string | undefined; withReq: boolean }[] = [];
  const policy: OriginPolicy = {
    isAllowed(origin, req) {
      asked.push({ origin, withReq: req !== undefined });
      if (origin === ALLOWED) return true;
      // Same-origin writes: the request's own Host (what the real policy checks with a request).
      return req !== undefined && origin === `http://${req.headers.host}`;
    },
  };

  async function start() {
    asked.length = 0;
    const app = express();
    app.use(...corsPolicy(policy));
    app.get('/api/x', (_req, res) => void res.json({ read: true }));
    app.post('/api/x', (_req, res) => void res.json({ wrote: true }));
    app.use(errorMiddleware(capturingLogger().logger));
    running = await listen(app);
    return running.url;
  }

  it('answers an allowed origin with credentials and the exposed headers', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/x`, { headers: { Origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')).toBe('X-Session-ID,X-Request-ID,Retry-After');
  });

  it('answers a preflight from an allowed origin, cached 600 s', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/x`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('gives no CORS headers to another origin, but lets its reads through', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/x`, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await json(res)).toEqual({ read: true });
  });

  it('refuses a write from another origin with 403 origin_not_allowed (CSRF)', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/x`, { method: 'POST', headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual({
      error: {
        code: 'origin_not_allowed',
        message: 'Requests from https://evil.example are not allowed. Add the origin to server.allowed_origins in config.yaml.',
      },
    });
  });

  it('lets writes through from an allowed origin and from the page’s own origin, asking the policy with the request', async () => {
    const url = await start();
    const listed = await fetch(`${url}/api/x`, { method: 'POST', headers: { Origin: ALLOWED } });
    expect(await json(listed)).toEqual({ wrote: true });
    const own = await fetch(`${url}/api/x`, { method: 'POST', headers: { Origin: url } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull(); // CORS headers: listed origins only
    expect(asked).toContainEqual({ origin: url, withReq: true });
    expect(asked).toContainEqual({ origin: url, withReq: false });
  });

  it('leaves a write without Origin to the policy (here: refused)', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/x`, { method: 'POST' });
    expect(res.status).toBe(403);
    expect(asked).toEqual([{ origin: undefined, withReq: true }]); // cors itself never asks without an origin
  });
});
