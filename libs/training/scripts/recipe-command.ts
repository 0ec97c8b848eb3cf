// Prints the trainer command line a worker runs for a recipe run (the same builder the worker calls), as one
// shell line, so the GPU machine can run exactly that command without the platform around it.
// Usage: node -r ./infra/scripts/register libs/training/scripts/recipe-command.ts --recipe jcs --python python3 \
//          --gpus 0 --manifest M --pretrain-manifest P --out O [--set key=value ...]
import { parseArgs } from 'node:util';
import { createRunSchema, findRecipe, pinRecipeVersion, runSettingsSchema } from '@lesionlab/contracts';
import { recipeInvocation, WORKER_TRAIN_DEFAULTS } from '../src/trainer/trainer-command';

const PLACEHOLDER_RELEASE = '00000000-0000-4000-8000-000000000000';
const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

const { values } = parseArgs({
  options: {
    recipe: { type: 'string' },
    version: { type: 'string' },
    python: { type: 'string', default: 'python3' },
    gpus: { type: 'string', default: '' },
    manifest: { type: 'string' },
    'pretrain-manifest': { type: 'string' },
    out: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
for (const name of ['recipe', 'manifest', 'out'] as const) if (!values[name]) throw new Error(`--${name} is required`);
const recipe = findRecipe(values.recipe!, values.version ? Number(values.version) : undefined);
if (!recipe) throw new Error(`no recipe ${values.recipe} ${values.version ?? ''}`);
const settings = runSettingsSchema.parse(Object.fromEntries(values.set.map((pair) => [pair.split('=')[0], JSON.parse(pair.slice(pair.indexOf('=') + 1))])));
const config = pinRecipeVersion(
  createRunSchema.parse({
    releaseId: PLACEHOLDER_RELEASE,
    model: recipe.model,
    recipe: recipe.name,
    recipeVersion: recipe.version,
    settings,
    ...(values['pretrain-manifest'] && { pretrainReleaseId: PLACEHOLDER_RELEASE }),
  }),
);
const gpus = values.gpus ? values.gpus.split(',') : [];
const invocation = recipeInvocation({
  python: values.python,
  placement: { gpus },
  config,
  manifest: values.manifest!,
  pretrainManifest: values['pretrain-manifest'],
  out: values.out!,
  defaults: WORKER_TRAIN_DEFAULTS,
});
const env = Object.entries(invocation.env).map(([key, value]) => `${key}=${quote(value)}`);
process.stdout.write([...env, invocation.command, ...invocation.args].map((w, i) => (i < env.length ? w : quote(w))).join(' ') + '\n');
