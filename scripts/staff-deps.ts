import path from 'node:path';
import { replicaHealth } from '../core/replica/replica-health.ts';
import type { StaffDeps } from '../server/staff/staff.context.ts';
import { createInventoryPrinter } from '../workers/engines/inventory-pdf.ts';
import { probeSource } from '../workers/engines/source-probe.ts';
import type { Pindai } from './pindai-context.ts';

/** The staff workspace's dependencies from a composed Pindai (`pindai serve`, browser tests). */
export function staffDepsOf(app: Pindai, options?: StaffDeps['options']): StaffDeps {
  const { config } = app;
  return {
    register: app.register,
    store: app.store,
    index: app.index,
    accept: (dir, opts) => app.accept(dir, opts),
    runnerEvents: app.runner.events,
    poke: () => app.runner.poke(),
    // Hidden inside the inbox (the watcher ignores dot-folders), on the same disk as the data.
    dirs: { uploadTmp: path.join(config.inboxDir, '.unggah') },
    lang: config.lang,
    ocrLangs: config.ocrLangs,
    options,
    probe: probeSource,
    maxPixels: config.maxPixels,
    fixityOverdueDays: config.fixity.overdueDays,
    printInventory: createInventoryPrinter({
      institution: config.library.name,
      unit: config.library.unit,
      address: config.library.address,
      contact: config.library.contact,
      logo: config.library.logo,
    }),
    ...(config.replica && { replicaHealth: () => replicaHealth(app.register, config.replica) }),
  };
}
