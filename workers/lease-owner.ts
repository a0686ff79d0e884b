import { randomUUID } from 'node:crypto';
import os from 'node:os';

const liveOwners = new Set<string>();

/** A lease owner id names the host and process, so a restart can tell which leases are orphaned. */
export function newLeaseOwner(): string {
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  liveOwners.add(owner);
  return owner;
}

export function retireLeaseOwner(owner: string): void {
  liveOwners.delete(owner);
}

/**
 * Whether the process holding a lease may still be running. Owners on other hosts are assumed
 * alive (their leases simply expire); on this host the pid is checked.
 */
export function isLeaseOwnerAlive(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== os.hostname()) return true;
  const pid = Number(pidText);
  if (pid === process.pid) return liveOwners.has(owner);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
