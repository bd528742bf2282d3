import { execFileSync } from 'node:child_process';

/** Process-level tests run the compiled server (what `npm start` runs); build it once, incrementally. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
