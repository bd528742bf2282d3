import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseModels } from '../../server/core/llm/catalog.js';
import { startFakeUpstream } from '../helpers/fake-upstream.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/refresh-catalog.ts', import.meta.url));

describe('npm run catalog:refresh', () => {
  it('writes a snapshot the app can load, leaving out models without a price', async () => {
    const up = await startFakeUpstream({
      models: [
        { id: 'x/priced', name: 'Priced', context_length: 4096, pricing: { prompt: '0.000001', completion: '0.000002' } },
        { id: 'x/unpriced', name: 'Unpriced', pricing: { prompt: 'unknown', completion: 'unknown' } },
      ],
    });
    const dir = await makeTempDir();
    const out = join(dir.path, 'snapshot.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, CATALOG_URL: `${up.url}/models`, CATALOG_OUT: out },
    });
    await up.close();
    expect(stdout).toContain('wrote 1 models (1 without a price left out)');
    const snapshot = JSON.parse(readFileSync(out, 'utf8'));
    expect(Date.parse(snapshot.fetched_at)).toBeGreaterThan(0);
    expect(parseModels(snapshot).map((m) => m.id)).toEqual(['x/priced']);
    await dir.cleanup();
  });
});
