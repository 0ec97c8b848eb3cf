// A stand-in worker for the trainer-process tests: starts one trainer through the real trainer-process
// code (argv: command, then its arguments), says so, and waits until it is killed.
import { startTrainer } from '../src/trainer/trainer-process';

const [command, ...args] = process.argv.slice(2);
const trainer = startTrainer({ command, args, env: {} }, async () => undefined);
process.stdout.write(`trainer started ${trainer.pid}\n`);
void trainer.exited.then(() => process.stdout.write('trainer exited\n'));
