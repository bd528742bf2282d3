/**
 * The fake upstream in its own process (as a real provider would be), so a benchmark's client
 * and server do not share its event loop. Prints {"url": …} once listening; args: latency ms,
 * answer characters (0: the default echo), required key, the model list as JSON (optional).
 */
import { startFakeUpstream, type FakeModel } from '../tests/helpers/fake-upstream.js';

const [latencyMs = '0', answerChars = '0', key = '', models = ''] = process.argv.slice(2);
const answer = Number(answerChars) > 0 ? 'word '.repeat(Math.ceil(Number(answerChars) / 5)).trim() : undefined;
const up = await startFakeUpstream({
  latencyMs: Number(latencyMs),
  ...(key ? { requireKey: key } : {}),
  ...(answer ? { respond: () => ({ kind: 'ok' as const, content: answer }) } : {}),
  ...(models ? { models: JSON.parse(models) as FakeModel[] } : {}),
});
process.stdout.write(`${JSON.stringify({ url: up.url })}\n`);
process.on('SIGTERM', () => void up.close().then(() => process.exit(0)));
