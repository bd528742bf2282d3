import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { keysCli } from '../../../server/cli/keys.js';
import { makeTempDir, type TempDir } from '../../helpers/temp-dir.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let dir: TempDir | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await dir?.cleanup();
  server = dir = undefined;
});

const run = async (args: string[], dataDir: string) => {
  const lines: string[] = [];
  const code = await keysCli(args, { DATA_DIR: dataDir }, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
};

describe('npm run keys', () => {
  it('issues a key on the data dir that the server then accepts, lists and revokes it', async () => {
    dir = await makeTempDir('labcoat-keys-');
    const created = await run(['create', '--name', 'ci bot', '--rpm', '5', '--daily-usd', '0.5', '--models', 'openai/gpt-4o-mini'], dir.path);
    expect(created.code).toBe(0);
    const key = created.text.match(/lc_[0-9A-Za-z]{43}/)![0];
    expect(created.text).toContain('5 rpm, $0.5 a day');
    const id = created.text.match(/key_[\w-]+/)![0];
    const listed = await run(['list'], dir.path);
    expect(listed.text).toContain(`${id}  ${key.slice(0, 11)}…  active`);
    expect(listed.text).not.toContain(key);

    server = await startTestServer({
      dataDir: dir.path,
      config: { cost_control: { allowed_models: { development: ['openai/gpt-4o-mini'] }, tiers: { anonymous: [] } } },
    });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    expect((await openai.models.list()).data.map((m) => m.id)).toEqual(['openai/gpt-4o-mini']);
    await server.close();
    server = undefined;

    expect((await run(['revoke', id], dir.path)).text).toBe(`Revoked ${id}.`);
    expect((await run(['list'], dir.path)).text).toContain('revoked');
    expect((await run(['usage', '--csv'], dir.path)).text).toBe('day,key_id,key_name,key_prefix,model,requests,tokens_in,tokens_out,usd,errors');
  });

  it('refuses to change keys while a server runs on the data dir, and explains bad flags', async () => {
    dir = await makeTempDir('labcoat-keys-');
    await writeFile(join(dir.path, 'server.pid'), `${process.ppid}\n`);
    const refused = await run(['create', '--name', 'x'], dir.path);
    expect(refused.code).toBe(3);
    expect(refused.text).toMatch(/server \(pid \d+\) runs on .* Stop it first, or use the admin API/);
    await writeFile(join(dir.path, 'server.pid'), '999999999\n'); // a process that does not exist: stale
    expect(await run(['create', '--name', 'x', '--rpm', 'many'], dir.path)).toEqual({ code: 1, text: '--rpm takes a whole number of 1 or more.' });
    expect((await run(['create'], dir.path)).text).toMatch(/--name/);
    // The admin API's bounds hold here too, and "none" lifts the daily limit.
    expect(await run(['create', '--name', 'x', '--rpm', '200000'], dir.path)).toMatchObject({ code: 1, text: expect.stringMatching(/^--rpm: .*100000/) });
    expect((await run(['create', '--name', 'unlimited', '--daily-usd', 'none'], dir.path)).text).toContain('no daily limit');
    expect((await run([], dir.path)).code).toBe(2);
  });
});
