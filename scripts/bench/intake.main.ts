/** `npm run bench:intake`: the intake table alone (see intake.run.ts). */
import { runIntakeBench } from './intake.run.ts';

await runIntakeBench();
