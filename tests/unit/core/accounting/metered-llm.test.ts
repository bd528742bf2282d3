import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Ledger } from '../../../../server/core/accounting/ledger.js';
import { MeteredLlm } from '../../../../server/core/accounting/metered-llm.js';
import { parsePrice } from '../../../../server/core/accounting/pricing.js';
import { LlmClient } from '../../../../server/core/llm/llm-client.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';

import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';
import { withFailingJournal } from '../../../helpers/failing-store.js';
import { openAppStore } from '../../../../server/app-state.js';

describe('a reservation that cannot reach the disk', () => {
  it('is released, the call is not sent, and the caller gets 503 ledger_unavailable without client retries', async () => {
    const dir = await makeTempDir();
    const clock = new FakeClock('2026-11-23T12:00:00Z');
    const logger = pino({ level: 'silent' });
    const store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 1000, clock, logger });
    try {
      const ledger = new Ledger({ store: withFailingJournal(store), clock, logger, capUsd: 1, alertFraction: 0.8, wayOut: '' });
      const price = parsePrice('0.000001', '0.000002');
      let sent = 0;
      const llm = new LlmClient({ clock, logger, metrics: createMetrics(), priceOf: () => price });
      const original = llm.chat.bind(llm);
      llm.chat = (...args) => ((sent += 1), original(...args));
      const metered = new MeteredLlm({ llm, ledger, priceOf: () => price, defaultMaxTokens: 100 });
      const call = {
        target: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'paid/model' },
        fallbacks: [],
        mode: 'server' as const,
        session: null,
        key: null,
      };
      const err = await metered.chat(call, { messages: [{ role: 'user', content: 'hi' }] }, { timeoutMs: 1000 }).catch((e) => e);
      expect(err).toMatchObject({ status: 503, code: 'ledger_unavailable', headers: { 'x-should-retry': 'false', 'Retry-After': '60' } });
      expect(sent).toBe(0);
      expect(ledger.usage()).toMatchObject({ reserved_usd: 0, spent_usd_today: 0 });
      expect(store.data.ledger.reservations).toEqual({});
    } finally {
      await store.close();
      await dir.cleanup();
    }
  });
});
