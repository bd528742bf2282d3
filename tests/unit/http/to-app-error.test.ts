import { describe, expect, it } from 'vitest';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { toAppError } from '../../../server/http/to-app-error.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

describe('toAppError: what dependencies throw for bad input is 4xx, not 500', () => {
  it('a path param the router cannot percent-decode → 400 invalid_path', () => {
    const err = Object.assign(thrown(() => decodeURIComponent('%ff')) as URIError, { status: 400 });
    expect(toAppError(err)).toMatchObject({ status: 400, code: 'invalid_path' });
    expect(toAppError(thrown(() => decodeURIComponent('%ff')))).toMatchObject({ status: 500 }); // our own decode bug stays a 500
  });

  it('a body that does not inflate (truncated, corrupt, needs a dictionary) → 400 invalid_body', () => {
    for (const f of [
      () => gunzipSync(Buffer.from([0x1f, 0x8b, 8, 0])),
      () => inflateSync(Buffer.from('nope')),
      () => brotliDecompressSync(Buffer.from([0xff, 0xff, 0xff])),
    ]) {
      expect(toAppError(thrown(f))).toMatchObject({ status: 400, code: 'invalid_body' });
    }
  });

  it('any other client error a dependency exposes (http-errors) keeps its 4xx; a hidden one is a 500', () => {
    expect(toAppError(Object.assign(new Error('range'), { status: 416, expose: true }))).toMatchObject({ status: 416, code: 'bad_request' });
    expect(toAppError(Object.assign(new Error('boom'), { status: 500, expose: false }))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(toAppError(new Error('plain'))).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
