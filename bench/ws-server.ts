/** Child process for the fan-out bench: the real app, publishing timestamped events on request. */
import { startTestServer } from '../tests/helpers/test-server.js';

const srv = await startTestServer({ logLevel: 'warn', config: { realtime: { max_buffered_kb: 256 } } });
process.send!({ wsUrl: srv.wsUrl });
process.on('message', async (msg: { events: number; intervalMs: number; bytes: number }) => {
  const pad = 'x'.repeat(msg.bytes);
  for (let i = 0; i < msg.events; i++) {
    srv.app.hub.publish('queue', { type: 'event', kind: 'bench', i, sent: performance.timeOrigin + performance.now(), pad });
    await new Promise((r) => setTimeout(r, msg.intervalMs));
  }
  process.send!({ done: true, clients: srv.app.hub.clientCount() });
});
process.on('SIGTERM', () => void srv.close().then(() => process.exit(0)));
