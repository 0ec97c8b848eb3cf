import { z } from 'zod';

const ratio = z.number().min(0).max(1);
const lossWeight = z.number().min(0).max(100);
const count = (min: number, max: number) => z.int().min(min).max(max);

/**
 * The trainer settings (apps/trainer: lesionlab_trainer/config.py, TrainConfig) a user may set on a run,
 * each typed and bounded. Everything else is the worker's: file paths (`init_checkpoint`, `cache_dir`),
 * `device`, `keep_checkpoints`, and what the run's own fields set (`model`, `steps`, `epochs`,
 * `batch_size`, `image_size`).
 */
export const RUN_SETTINGS = {
  width: z.number().min(0.0625).max(2),
  norm: z.enum(['bn', 'frozen_bn', 'gn']),
  lr: z.number().gt(0).max(1),
  weight_decay: ratio,
  warmup_steps: count(0, 1_000_000),
  warmup_start_factor: z.number().gt(0).max(1),
  poly_power: z.number().min(0).max(10),
  sampling: z
    .strictObject({ pixel: lossWeight, patient: lossWeight, negative: lossWeight })
    .partial()
    .refine((ratios) => Object.values(ratios).some((value) => value > 0), 'needs at least one positive ratio'),
  seg_loss_weight: lossWeight,
  cls_loss_weight: lossWeight,
  negative_seg_weight: lossWeight,
  dice_smooth: z.number().gt(0).max(1000),
  crop_max_px: count(0, 256),
  crop_p: ratio,
  flip_p: ratio,
  hflip_p: ratio,
  rotate_deg: z.number().min(0).max(180),
  scale_jitter: z.number().min(0).lt(1),
  intensity_jitter: z.number().min(0).lt(1),
  precision: z.enum(['bf16', 'fp32']),
  channels_last: z.boolean(),
  compile: z.boolean(),
  fused_optimizer: z.boolean(),
  seed: count(0, 2 ** 31 - 1),
  checkpoint_every: count(1, 1_000_000),
  val_every: count(0, 1_000_000),
  log_every: count(1, 100_000),
} as const;

export type RunSettingName = keyof typeof RUN_SETTINGS;
export const RUN_SETTING_NAMES = Object.keys(RUN_SETTINGS) as RunSettingName[];

/** A run's `settings`: only the names above, each within its range; any other name is refused by name. */
export const runSettingsSchema = z.strictObject(RUN_SETTINGS, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `${issue.keys.join(', ')} ${issue.keys.length > 1 ? 'are not settings' : 'is not a setting'} a run may set (allowed: ${RUN_SETTING_NAMES.join(', ')})`
      : undefined,
}).partial();
export type RunSettings = z.infer<typeof runSettingsSchema>;
