/**
 * The oracle's data directory as an operator expects of a server's (PostgreSQL's `postmaster.pid` and
 * 0700 data directory are the model): created 0700, every file in it 0600 whatever the umask, locked by
 * one oracle process at a time, and holding the generated admin token. docs/security.md "Operators".
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
export const LOCK_FILE = 'oracle.lock';
export const ADMIN_TOKEN_FILE = 'admin-token';

/** Refused start: the message is meant for the operator as is. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Create `dir` (and parents) and set it to 0700 explicitly (mkdir's mode is filtered by the umask). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
}

/** Write `file` with mode 0600 set explicitly (atomic: written beside, then linked into place). */
export async function writePrivateFile(file: string, data: string): Promise<void> {
  await writeFile(file, data, { mode: FILE_MODE });
  await chmod(file, FILE_MODE);
}

/**
 * Set every directory under `dir` to 0700 and every regular file to 0600 (files a library such as
 * PGlite created with the process umask). Symbolic links are left alone. Returns how many were changed.
 */
export async function tightenModes(dir: string): Promise<number> {
  let changed = 0;
  const walk = async (d: string): Promise<void> => {
    const st = await lstat(d);
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== DIR_MODE) {
        await chmod(d, DIR_MODE);
        changed++;
      }
      const names = (await readdir(d)).sort();
      for (const n of names) await walk(path.join(d, n));
    } else if (st.isFile() && (st.mode & 0o777) !== FILE_MODE) {
      await chmod(d, FILE_MODE);
      changed++;
    }
  };
  await walk(dir);
  return changed;
}

/** True while a process with this PID exists (signal 0 probes without sending; EPERM = exists, not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  file: string;
  release(): Promise<void>;
}

/**
 * Take `<dir>/oracle.lock` holding this process's PID. The lock file is written complete beside and
 * hard-linked into place, so it appears atomically with its content (link fails when it exists). A lock
 * whose PID is alive refuses the start; one whose PID is dead (a crash, kill -9) is stale and taken over.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const file = path.join(dir, LOCK_FILE);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const content = `${process.pid}\n`;
  await writePrivateFile(tmp, content);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(tmp, file);
        return {
          file,
          async release() {
            const now = await readFile(file, 'utf8').catch(() => '');
            if (now === content) await unlink(file).catch(() => undefined);
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const raw = (await readFile(file, 'utf8').catch(() => '')).trim();
      const pid = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : null;
      if (pid !== null && pid > 0 && processAlive(pid)) {
        throw new DataDirError(
          `data directory ${dir} is in use by oracle process ${pid} (lock file ${file}). Stop that oracle first, or give this one another --data-dir.`,
        );
      }
      if (pid === null) {
        // Unreadable content: only a lock older than a few seconds is treated as stale (a writer never
        // leaves it half-written, the link is atomic, so this is a damaged file).
        const age = Date.now() - (await stat(file)).mtimeMs;
        if (age < 5000) throw new DataDirError(`data directory ${dir} is locked (unreadable lock file ${file}); retry, or remove it if no oracle runs there.`);
      }
      await unlink(file).catch(() => undefined); // stale: its process is gone
    }
    throw new DataDirError(`data directory ${dir}: could not take the lock file ${file}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * The admin token kept in `<dir>/admin-token` (0600): read when present, else generated (24 random
 * bytes, base64url) and written. Stable across restarts; never logged.
 */
export async function loadOrCreateAdminToken(dir: string): Promise<{ token: string; file: string; created: boolean }> {
  const file = path.join(dir, ADMIN_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (!/^[A-Za-z0-9_-]{16,512}$/.test(token)) throw new DataDirError(`${file} does not hold an admin token (16–512 base64url characters); remove it to generate a new one`);
    await chmod(file, FILE_MODE);
    return { token, file, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('base64url');
  await writePrivateFile(file, token + '\n');
  return { token, file, created: true };
}

/** The permission bits of `file` that give group or others any access (0 when private). */
export async function openToOthers(file: string): Promise<number> {
  return (await stat(file)).mode & 0o077;
}
