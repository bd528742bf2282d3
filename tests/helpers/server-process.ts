import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
export const DEMO = fileURLToPath(new URL('../../dist/server/demo.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the compiled server as `npm start` would, on a free port, and waits until it listens or exits. */
export async function spawnServer(env: Record<string, string>, script = MAIN): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], {
    // LLM_BASE_URL points at a closed loopback port and literature is off: nothing leaves the machine.
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      LABCOAT__LITERATURE__ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number | undefined>((resolve) => {
    const check = () => {
      const m = out.match(/"port":(\d+)/);
      if (m) return resolve(Number(m[1]));
      if (child.exitCode !== null) return resolve(undefined);
      setTimeout(check, 20);
    };
    void exited.then(() => resolve(undefined));
    check();
  });
  return { child, url: `http://127.0.0.1:${port ?? 0}`, stdout: () => out, stderr: () => err, exited };
}
