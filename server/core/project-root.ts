import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (the one with package.json) above a module, run from server/ (tsx) or dist/server/ (compiled). */
export function projectRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error('cannot find package.json above the server; run Labcoat from its project folder');
    dir = dirname(dir);
  }
  return dir;
}
