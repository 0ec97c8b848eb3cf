#!/usr/bin/env node
// The `lesionlab` command (npx lesionlab): runs the TypeScript sources through SWC.
require('../../../infra/scripts/register');
require('../src/main.ts');
