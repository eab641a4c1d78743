/**
 * Run `oracle serve` as a child process, the way a user starts it (node harness/bin/oracle.mjs serve),
 * on loopback ports chosen at run time, and read its URLs from the "oracle started" log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServeProcess {
  httpUrl: string;
  mqttUrl: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function spawnServe(args: string[], env: Record<string, string> = {}, timeoutMs = 600_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'harness/bin/oracle.mjs'), 'serve', '--host', '127.0.0.1', '--http-port', '0', '--mqtt-port', '0', '--ws-port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oracle serve did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      for (const line of out.split('\n')) {
        if (!line.includes('"oracle started"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
        return;
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oracle serve exited with ${code}:\n${out}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { httpUrl: String(started.httpUrl), mqttUrl: String(started.mqttUrl), child, log: () => out, stop };
}
