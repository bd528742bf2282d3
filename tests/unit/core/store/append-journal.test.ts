import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppendJournal } from '../../../../server/core/store/append-journal.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

let dir: TempDir;
beforeEach(async () => void (dir = await makeTempDir('labcoat-journal-')));
afterEach(async () => dir.cleanup());

describe('append journal', () => {
  it('groups appends that arrive together into one synced write, and reads them back', async () => {
    const path = join(dir.path, 'j');
    const { journal, entries } = await AppendJournal.open<{ seq: number; v: string }>(path);
    expect(entries).toEqual([]);
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append({ seq: i + 1, v: `x${i}` })));
    expect(journal.stats().writes).toBeLessThanOrEqual(2);
    await journal.append({ seq: 101, v: 'alone' });
    await journal.close();
    const again = await AppendJournal.open<{ seq: number; v: string }>(path);
    expect(again.entries.map((e) => e.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    await again.journal.compact(100);
    await again.journal.append({ seq: 102, v: 'after compaction' });
    await again.journal.close();
    expect((await AppendJournal.open<{ seq: number }>(path)).entries.map((e) => e.seq)).toEqual([101, 102]);
  });

  it('ignores a line torn by a crash mid-append', async () => {
    const path = join(dir.path, 'j');
    const { journal } = await AppendJournal.open<{ seq: number }>(path);
    await journal.append({ seq: 1 });
    await journal.close();
    await appendFile(path, '{"seq": 2, "us');
    expect((await AppendJournal.open<{ seq: number }>(path)).entries).toEqual([{ seq: 1 }]);
  });
});

describe('a journal write that fails', () => {
  it('fails every append after it until a compaction past it, so no line follows a torn one', async () => {
    const path = join(dir.path, 'j');
    const { journal } = await AppendJournal.open<{ seq: number }>(path);
    await journal.append({ seq: 1 });
    await journal.close(); // the next write fails as a full disk would
    await expect(journal.append({ seq: 2 })).rejects.toThrow('closed');
    await expect(journal.append({ seq: 3 })).rejects.toThrow('closed');
    expect(journal.stats().broken).toBe(true);
    await expect(journal.barrier()).rejects.toThrow();
  });

  it('takes lines again once a compaction past the failed one has rewritten the file, with nothing torn left in it', async () => {
    const path = join(dir.path, 'j');
    const { journal } = await AppendJournal.open<{ seq: number }>(path);
    await journal.append({ seq: 1 });
    const real = (journal as unknown as { handle: unknown }).handle;
    // The next write fails half way, as on a full disk: a torn line is left in the file.
    (journal as unknown as { handle: unknown }).handle = {
      appendFile: async () => {
        await appendFile(path, '{"seq": 2, "to');
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
      close: async () => (real as { close(): Promise<void> }).close(),
    };
    await expect(journal.append({ seq: 2 })).rejects.toThrow('no space');
    await expect(journal.append({ seq: 3 })).rejects.toThrow('no space');
    await journal.compact(2); // state.json holds the torn line 2, not the refused 3: still refused
    await expect(journal.append({ seq: 4 })).rejects.toThrow('no space');
    await journal.compact(4); // state.json now holds everything up to 4
    await expect(journal.barrier()).resolves.toBeUndefined();
    await journal.append({ seq: 5 });
    await journal.close();
    expect((await AppendJournal.open<{ seq: number }>(path)).entries).toEqual([{ seq: 5 }]);
  });
});
