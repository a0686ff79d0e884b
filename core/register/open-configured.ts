import type { Config } from '../config.ts';
import { createRegister, type Register } from './register.ts';

/**
 * The register the configuration names: PostgreSQL when PINDAI_REGISTER_URL is set (workers on
 * several machines share it), else the embedded SQLite file in the data folder.
 */
export async function openConfiguredRegister(
  config: Pick<Config, 'registerUrl' | 'registerPath'>,
): Promise<Register> {
  if (!config.registerUrl) return createRegister(config.registerPath);
  // Loaded only when configured: the PostgreSQL client costs ~0.4 CPU s to load, on every run.
  const { createPgRegister } = await import('./pg/pg-register.ts');
  return createPgRegister(config.registerUrl);
}
