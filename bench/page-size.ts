import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VENDOR = ['node_modules/preact/dist/preact.module.js', 'node_modules/preact/hooks/dist/hooks.module.js', 'node_modules/htm/dist/htm.module.js'];

/** Everything the page loads (web/ plus the vendored modules), raw and gzipped. */
export async function pageSize(): Promise<{ files: number; rawKb: number; gzipKb: number }> {
  const web = await listFiles(join(ROOT, 'web'));
  const files = [...web, ...VENDOR.map((f) => join(ROOT, f))];
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const body = await readFile(file);
    raw += body.length;
    gz += gzipSync(body, { level: 6 }).length;
  }
  return { files: files.length, rawKb: raw / 1024, gzipKb: gz / 1024 };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => /\.(html|js|css|svg)$/.test(f));
}
