/**
 * The machine's processes as /proc shows them (Linux, as CI): to find what a process started and to prove that all
 * of it has ended. A zombie (exited, not yet reaped) counts as ended.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

function processes(): Proc[] {
  const all: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      all.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), command });
    } catch {
      // Ended while we looked.
    }
  }
  return all;
}

/** `pid` and every process it started, and they started, … (those running now). */
export function processTree(pid: number): Proc[] {
  const all = processes();
  const tree = all.filter((p) => p.pid === pid);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i]!.pid));
  return tree;
}

/** Which of `pids` still run. */
export const running = (pids: readonly number[]): number[] => {
  const live = new Set(processes().map((p) => p.pid));
  return pids.filter((pid) => live.has(pid));
};

/** The processes of process group `pgid` that still run. */
export const groupMembers = (pgid: number): Proc[] => processes().filter((p) => p.pgid === pgid);
