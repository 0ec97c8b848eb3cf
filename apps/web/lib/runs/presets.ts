import { CPU_MODELS, TRAINER_MODELS, type TrainerModel } from '@lesionlab/contracts';

/** One choice of the launch form's preset picker, as the contracts describe it. */
export interface PresetChoice {
  name: TrainerModel;
  description: string | null;
  /** Small enough to train on a worker without a GPU. */
  cpu: boolean;
}

/** Every model preset the contracts list, in their order: a preset added there appears here without a web change. */
export function presetChoices(): PresetChoice[] {
  return TRAINER_MODELS.map((name) => ({ name, description: null, cpu: CPU_MODELS.includes(name) }));
}
