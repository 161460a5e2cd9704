/**
 * A build child that never outlives the service. It runs in its own process group (`detached`), so that what it
 * starts (esbuild, workers) is ended with it, and a Ctrl-C in the service's terminal reaches the service alone.
 * - abort (a stop, a timeout): SIGTERM to the group, SIGKILL after 5 s;
 * - the child's end: SIGKILL to what is left of its group;
 * - the service's exit (a stop, process.exit, an uncaught error): SIGKILL to every group still running;
 * - the service killed (kill -9, where no code of it runs): the child watches its parent (WATCH_PARENT) and ends its
 *   group within a second of being orphaned.
 */
import { spawn } from 'node:child_process';

/** How long a group may take to end on SIGTERM before it gets SIGKILL. */
const KILL_AFTER_MS = 5_000;

/**
 * Code for the start of the child's script (an ES module): when its parent, this process, is gone (the child was
 * re-parented, so its ppid changed), it kills its whole process group, itself included. It watches from a worker
 * thread, whose timer fires even while the build keeps the main thread busy for seconds (loading Astro, rendering
 * pages). The parent's pid is written in, not read at start: the parent may be killed before the child starts.
 */
export const WATCH_PARENT = `{
  const { Worker } = await import('node:worker_threads');
  const watch = "setInterval(() => { if (process.ppid !== ${process.pid}) process.kill(0, 'SIGKILL'); }, 250);";
  new Worker(watch, { eval: true }).unref();
}
`;

/** Process groups started here and not known to have ended. */
const groups = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group has ended.
  }
}

let hooked = false;
function endGroupsOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  });
}

export interface GroupRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` in its own process group; resolves when it has exited and its output is read (the ends only: a
 * build can be chatty). Rejects with `signal`'s reason once aborted, with the spawn error if it could not start.
 */
export function runInGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  signal: AbortSignal,
): Promise<GroupRun> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    endGroupsOnExit();
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    if (pgid !== undefined) groups.add(pgid);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), KILL_AFTER_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const ended = () => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGKILL');
      groups.delete(pgid);
    };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-20_000)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    child.once('error', (error) => {
      ended();
      reject(signal.aborted ? (signal.reason as Error) : error);
    });
    child.once('close', (code) => {
      ended();
      if (signal.aborted) reject(signal.reason as Error);
      else resolve({ code, stdout, stderr });
    });
  });
}
