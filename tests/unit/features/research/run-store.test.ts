import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readEntries } from '../../../../server/core/store/append-journal.js';
import type { ChangeEntry } from '../../../../server/core/store/change-log.js';
import { JOURNAL_FILE } from '../../../../server/core/store/store.js';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { findRun, getRun, ownedRun, persistRun, updateRun } from '../../../../server/features/research/run-store.js';
import { type Lab, makeRun, openLab, RUN_ID, SESSION } from './harness.js';

let lab: Lab;
beforeEach(async () => {
  lab = await openLab();
});
afterEach(() => lab.close());

async function journaledPaths(): Promise<string[][]> {
  await lab.store.durable();
  const entries = await readEntries<ChangeEntry>(join(lab.dir.path, JOURNAL_FILE));
  return entries.flatMap((e) => e.ops.map((op) => [...op[0]]));
}

describe('findRun and getRun', () => {
  it('find a stored run by id', () => {
    lab.put(makeRun());
    expect(findRun(lab.store, RUN_ID)?.goal).toBe(makeRun().goal);
    expect(getRun(lab.store, RUN_ID).id).toBe(RUN_ID);
  });

  it('find nothing for an unknown id, nor through Object’s prototype', () => {
    expect(findRun(lab.store, 'run_missing')).toBeUndefined();
    expect(findRun(lab.store, 'constructor')).toBeUndefined();
    expect(findRun(lab.store, '__proto__')).toBeUndefined();
  });

  it('getRun answers 404 run_not_found for an unknown id', () => {
    const err = (() => {
      try {
        getRun(lab.store, 'toString');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 404, code: 'run_not_found' });
  });
});

describe('updateRun', () => {
  it('changes the run, stamps updated_at and journals it whole', async () => {
    lab.put(makeRun());
    lab.clock.advance(5000);
    updateRun(lab.store, RUN_ID, lab.clock.now(), (r) => void (r.state = 'idle'));
    expect(lab.run().state).toBe('idle');
    expect(lab.run().updated_at).toBe(lab.clock.now());
    await lab.store.durable();
    const entries = await readEntries<ChangeEntry>(join(lab.dir.path, JOURNAL_FILE));
    const [path, value] = entries.at(-1)!.ops.at(-1)!;
    expect(path).toEqual(['research_runs', RUN_ID]);
    expect(value).toMatchObject({ id: RUN_ID, state: 'idle', updated_at: lab.clock.now() });
  });

  it('journals only the given fields and updated_at', async () => {
    lab.put(makeRun());
    updateRun(lab.store, RUN_ID, lab.clock.now(), (r) => void (r.usage.calls += 1), ['usage']);
    expect((await journaledPaths()).slice(1)).toEqual([
      ['research_runs', RUN_ID, 'usage'],
      ['research_runs', RUN_ID, 'updated_at'],
    ]);
  });

  it('does nothing (and journals nothing) for a run that is gone', async () => {
    let called = false;
    updateRun(lab.store, 'run_gone', lab.clock.now(), () => void (called = true));
    expect(called).toBe(false);
    expect(lab.store.data.research_runs).toEqual({});
    expect(await journaledPaths()).toEqual([]);
  });
});

describe('persistRun', () => {
  it('journals a deleted run as a delete', async () => {
    lab.put(makeRun());
    lab.store.update((s) => void delete s.research_runs[RUN_ID]);
    persistRun(lab.store, RUN_ID);
    await lab.store.durable();
    const entries = await readEntries<ChangeEntry>(join(lab.dir.path, JOURNAL_FILE));
    expect(entries.at(-1)!.ops).toEqual([[['research_runs', RUN_ID]]]);
  });
});

describe('ownedRun', () => {
  it('gives its session the run, refuses anyone else with 403 and an unknown id with 404', () => {
    lab.put(makeRun({ id: 'run_mine' }));
    expect(ownedRun(lab.store, 'run_mine', SESSION).id).toBe('run_mine');
    expect(() => ownedRun(lab.store, 'run_mine', 's_other')).toThrow(expect.objectContaining({ status: 403, code: 'not_your_run' }));
    expect(() => ownedRun(lab.store, 'run_nope', SESSION)).toThrow(expect.objectContaining({ status: 404, code: 'run_not_found' }));
  });
});
