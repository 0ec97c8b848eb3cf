import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.command';
import { registerDemoDataCommand } from './commands/demo-data.command';
import { registerImportCommand } from './commands/import.command';
import { registerLoginCommand } from './commands/login.command';
import { registerModelCommand } from './commands/model.command';
import { registerReleaseCommand } from './commands/release.command';
import { registerRunCommand } from './commands/run.command';
import { registerSlicesCommand } from './commands/slices.command';
import { registerStatusCommand } from './commands/status.command';
import { registerTokenCommand } from './commands/token.command';
import { registerUserCommand } from './commands/user.command';
import { EXIT_CODES_HELP } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('lesionlab')
    .description('LesionLab: chest-CT lesion annotation, releases and JCS training, from the command line.\nTalks to the API at LESIONLAB_API_URL (default http://localhost:3000).')
    .version('0.1.0')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    // usage errors reach main's handler (exit 2) instead of commander's own exit 1; subcommands inherit this
    .exitOverride();
  registerLoginCommand(program);
  registerStatusCommand(program);
  registerImportCommand(program);
  registerSlicesCommand(program);
  registerDemoDataCommand(program);
  registerReleaseCommand(program);
  registerRunCommand(program);
  registerModelCommand(program);
  registerUserCommand(program);
  registerTokenCommand(program);
  registerAuditCommand(program);
  return program;
}
