import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PermanentJobError } from '@lesionlab/platform';
import { readEvaluationReport, readPredictions } from './trainer-outputs';

/** Real report.json and predictions.jsonl of the trainer's evaluate and predict on medseg-ct100. */
const RECORDED = path.join(__dirname, '../../test/trainer-output');

describe('the trainer files the evaluate and predict jobs read, checked against their JSON Schemas', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-trainer-outputs-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    return file;
  };

  it('reads the recorded report and predictions as typed values', async () => {
    const report = await readEvaluationReport(path.join(RECORDED, 'report.json'));
    expect(report).toMatchObject({ split: 'test', model: { arch: 'joint' }, image_size: 32 });
    expect(report.segmentation_lesion_slices?.dice_mean_ci95).toHaveLength(2);
    expect(report.classification?.patient.rule.kind).toBe('ratio');
    const predictions = await readPredictions(path.join(RECORDED, 'predictions.jsonl'));
    expect(predictions).toHaveLength(3);
    expect(predictions[0]).toMatchObject({ slice_id: 'medseg-ct100/tr_im_0000', mask_rle: { size: [512, 512] } });
  });

  it('fails the job for good on a report that breaks the schema, naming the file, the field and the rule', async () => {
    const report = JSON.parse(await fs.readFile(path.join(RECORDED, 'report.json'), 'utf8'));
    const broken = await write('report.json', JSON.stringify({ ...report, segmentation: { ...report.segmentation, dice_mean: 1.5 } }));
    await expect(readEvaluationReport(broken)).rejects.toThrow(PermanentJobError);
    await expect(readEvaluationReport(broken)).rejects.toThrow(`the trainer's report ${broken} breaks evaluation-report.schema.json at /segmentation/dice_mean: must be <= 1`);
    const truncated = await write('truncated.json', '{"checkpoint": "model.pt", "split"');
    await expect(readEvaluationReport(truncated)).rejects.toThrow(new RegExp(`^the trainer's report ${truncated} is not JSON`));
  });

  it('names the line of a prediction that breaks the schema', async () => {
    const lines = (await fs.readFile(path.join(RECORDED, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    const third = JSON.parse(lines[2]);
    const broken = await write('predictions.jsonl', [lines[0], lines[1], JSON.stringify({ ...third, mask_rle: { size: [512], counts: third.mask_rle.counts } })].join('\n'));
    await expect(readPredictions(broken)).rejects.toThrow(`line 3 of the trainer's predictions ${broken} breaks prediction.schema.json at /mask_rle/size: must NOT have fewer than 2 items`);
  });
});
