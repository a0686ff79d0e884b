/** Resident memory of a process and all its descendants, from /proc (Linux). */
import fs from 'node:fs';

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(read(`/proc/${pid}/status`));
  return m ? Number(m[1]) : 0;
}

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    for (const c of read(`/proc/${pid}/task/${tid}/children`).split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/** Sum of VmRSS (bytes) over `pid` and its descendants right now. */
export function treeRssBytes(pid: number): number {
  let kb = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop() as number;
    if (seen.has(p)) continue;
    seen.add(p);
    kb += statusKb(p, 'VmRSS');
    stack.push(...children(p));
  }
  return kb * 1024;
}

/** The kernel's own high-water mark of `pid` (bytes); 0 once the process is gone. */
export function peakRssBytes(pid: number): number {
  return statusKb(pid, 'VmHWM') * 1024;
}

/** Samples the tree's RSS every `everyMs` until stopped; keeps the maximum and the process's own peak. */
export function sampleMemory(pid: number, everyMs = 200) {
  let treeMax = 0;
  let ownPeak = 0;
  const tick = () => {
    treeMax = Math.max(treeMax, treeRssBytes(pid));
    ownPeak = Math.max(ownPeak, peakRssBytes(pid));
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return {
    tick,
    stop() {
      clearInterval(timer);
      return { treeMaxBytes: treeMax, ownPeakBytes: ownPeak };
    },
  };
}
