import type { PoliteGet } from '../../server/core/literature/polite-get.js';

/** A PoliteGet without the etiquette (no rate limit, retries or breaker), for testing what adapters parse. */
export const plainGet: PoliteGet = async (url, opts = {}) => {
  const res = await fetch(url, { headers: opts.accept ? { accept: opts.accept } : {}, ...(opts.signal ? { signal: opts.signal } : {}) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
};
