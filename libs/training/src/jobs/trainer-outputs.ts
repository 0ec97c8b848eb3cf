import fs from 'node:fs';
import { contractValidator, describeSchemaErrors, type ContractSchemaFile } from '@lesionlab/contracts/trainer';
import type { EvaluationReport } from '@lesionlab/contracts/trainer';
import type { TrainerPrediction } from '@lesionlab/contracts/trainer';
import { PermanentJobError } from '@lesionlab/platform';

/** A JSON value checked against a contract schema; a bad one fails the job for good, naming `what` and the rule. */
function checked<T>(text: string, schema: ContractSchemaFile, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PermanentJobError(`${what} is not JSON (${(error as Error).message})`);
  }
  const validate = contractValidator<T>(schema);
  if (!validate(value)) throw new PermanentJobError(`${what} breaks ${schema} ${describeSchemaErrors(validate.errors)}`);
  return value;
}

/** The `evaluate` command's report.json. */
export async function readEvaluationReport(file: string): Promise<EvaluationReport> {
  return checked<EvaluationReport>(await fs.promises.readFile(file, 'utf8'), 'evaluation-report.schema.json', `the trainer's report ${file}`);
}

/** The `predict` command's predictions.jsonl, one prediction per line. */
export async function readPredictions(file: string): Promise<TrainerPrediction[]> {
  const lines = (await fs.promises.readFile(file, 'utf8')).split('\n');
  return lines.flatMap((line, index) => (line.trim() ? [checked<TrainerPrediction>(line, 'prediction.schema.json', `line ${index + 1} of the trainer's predictions ${file}`)] : []));
}
