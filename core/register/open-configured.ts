import type { Config } from '../config.ts';
import { createPgRegister } from './pg/pg-register.ts';
import { createRegister, type Register } from './register.ts';

/**
 * The register the configuration names: PostgreSQL when PINDAI_REGISTER_URL is set (workers on
 * several machines share it), else the embedded SQLite file in the data folder.
 */
export async function openConfiguredRegister(
  config: Pick<Config, 'registerUrl' | 'registerPath'>,
): Promise<Register> {
  return config.registerUrl ? createPgRegister(config.registerUrl) : createRegister(config.registerPath);
}
