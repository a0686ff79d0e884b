import path from 'node:path';
import { tempDir } from '../../test/support/temp-dir.ts';
import { describeRegisterContract } from './register.contract.ts';
import { createRegister, type Register } from './register.ts';

/** The embedded adapter: a new SQLite file per test; a sibling is a second connection to it. */
const files = new WeakMap<Register, string>();
describeRegisterContract(
  'SQLite',
  () => {
    const file = path.join(tempDir('pindai-register-'), 'register.sqlite');
    const reg = createRegister(file);
    files.set(reg, file);
    return reg;
  },
  { sibling: (reg) => createRegister(files.get(reg) as string) },
);
