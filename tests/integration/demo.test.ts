import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

vi.setConfig({ testTimeout: 60_000 });

let proc: ServerProcess | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  proc?.child.kill('SIGTERM');
  await proc?.exited;
  await dir?.cleanup();
  proc = undefined;
});

describe('npm run demo', () => {
  it('runs a whole research cycle offline on the simulated model, and says so', async () => {
    dir = await makeTempDir();
    proc = await spawnServer({ DATA_DIR: dir.path }, DEMO);
    const config = (await (await fetch(`${proc.url}/api/config`)).json()) as any;
    expect(config).toMatchObject({ simulated: true, mode: 'inference' });
    await vi.waitFor(async () => {
      const models = (await (await fetch(`${proc!.url}/api/models`)).json()) as any;
      expect(models.models.find((m: any) => m.id === 'labcoat/simulated-model')).toMatchObject({ free: true, tier: 'anonymous' });
    });
    const session = (await fetch(`${proc.url}/api/usage`)).headers.get('x-session-id')!;
    const headers = { 'content-type': 'application/json', 'x-session-id': session };
    const start = await fetch(`${proc.url}/api/research/runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ goal: 'Why do some people sleep better after eating fermented food?', model: 'labcoat/simulated-model' }),
    });
    expect(start.status).toBe(202);
    const { id } = (await start.json()) as any;
    const run = await vi.waitFor(
      async () => {
        const r = (await (await fetch(`${proc!.url}/api/research/runs/${id}`, { headers })).json()) as any;
        expect(r.state).toBe('idle');
        return r;
      },
      { timeout: 40_000, interval: 200 },
    );
    expect(run.hypotheses.length).toBeGreaterThan(0);
    expect(run.overview).not.toBeNull();
    // The simulated literature source: records found, cited with quotes, every reference checked offline.
    expect(run.literature.records.length).toBeGreaterThan(0);
    for (const r of run.literature.records) expect(r.title).toMatch(/\(simulated\)$/);
    expect(run.hypotheses.some((h: any) => h.citations.length > 0 && h.evidence.length > 0)).toBe(true);
    const references = [...run.hypotheses.flatMap((h: any) => h.reviews.flatMap((r: any) => r.references)), ...(run.overview.references ?? [])];
    const statuses = references.map((r: any) => r.status);
    expect(statuses).toContain('verified');
    expect(statuses).toContain('not_found');
    expect(references.find((r: any) => r.status === 'not_found').citation).toContain('10.5555/labcoat-sim.invented-');
    const md = await (await fetch(`${proc.url}/api/research/runs/${id}/export?format=md`)).text();
    expect(md).toContain('simulated model');
    expect(proc.stdout()).toContain('DEMO');
    expect(proc.stdout()).toContain('simulated source');
  });

  it('refuses to run on a Space', async () => {
    dir = await makeTempDir();
    proc = await spawnServer({ DATA_DIR: dir.path, SPACE_ID: 'someone/labcoat' }, DEMO);
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toContain('for local use only');
  });
});
