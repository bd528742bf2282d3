import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../server/core/project-root.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

describe('projectRoot', () => {
  it('finds the folder with package.json above a module', () => {
    const root = projectRoot(import.meta.url);
    expect(root).toBe(join(import.meta.dirname, '..', '..', '..'));
  });

  it('stops at the nearest package.json, from a module nested deep (dist/server/... as compiled)', async () => {
    const dir = await makeTempDir();
    try {
      await writeFile(join(dir.path, 'package.json'), '{}');
      await mkdir(join(dir.path, 'dist', 'server', 'core'), { recursive: true });
      const moduleUrl = pathToFileURL(join(dir.path, 'dist', 'server', 'core', 'project-root.js')).href;
      expect(projectRoot(moduleUrl)).toBe(dir.path);
    } finally {
      await dir.cleanup();
    }
  });

  it('says what to do when there is no package.json anywhere above', () => {
    expect(() => projectRoot('file:///no-such-folder/server/main.js')).toThrow(/cannot find package.json above the server/);
  });
});
