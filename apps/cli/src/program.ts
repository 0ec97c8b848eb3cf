import { Command } from 'commander';
import { registerDemoDataCommand } from './commands/demo-data.command';
import { registerImportCommand } from './commands/import.command';
import { registerLoginCommand } from './commands/login.command';
import { registerRunCommand } from './commands/run.command';
import { registerSlicesCommand } from './commands/slices.command';
import { registerStatusCommand } from './commands/status.command';

export function buildProgram(): Command {
  const program = new Command('lesionlab')
    .description('LesionLab: chest-CT lesion annotation, releases and JCS training, from the command line.\nTalks to the API at LESIONLAB_API_URL (default http://localhost:3000).')
    .version('0.1.0');
  registerLoginCommand(program);
  registerStatusCommand(program);
  registerImportCommand(program);
  registerSlicesCommand(program);
  registerDemoDataCommand(program);
  registerRunCommand(program);
  return program;
}
