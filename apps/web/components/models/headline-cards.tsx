import { formatScore, type ReportFacts, type Score } from '../../lib/models/evaluation-report';
import styles from './models.module.css';

function MetricCard({ name, value, note, testId }: { name: string; value: Score; note: string; testId: string }) {
  return (
    <div className={styles.metricCard} data-testid={testId}>
      <span className={styles.metricName}>{name}</span>
      <span className={styles.metricValue}>{formatScore(value)}</span>
      <span className={styles.metricNote}>{note}</span>
    </div>
  );
}

const interval = ([low, high]: [Score, Score]) => (low === null || high === null ? 'no interval' : `95% CI ${formatScore(low)}–${formatScore(high)}`);
const undefinedNote = (value: Score, note: string) => (value === null ? 'undefined: the split has one class only' : note);

/** Dice with its interval, slice-level sensitivity, specificity and AUC, and patient-level accuracy. */
export function HeadlineCards({ facts }: { facts: ReportFacts }) {
  const { dice, classification: cls } = facts;
  return (
    <div className={styles.cards}>
      {dice && <MetricCard testId="dice-card" name="Dice" value={dice.value} note={`${interval(dice.ci95)} · mean of ${dice.slices} slices`} />}
      {cls && (
        <>
          <MetricCard testId="sensitivity-card" name="Sensitivity" value={cls.sensitivity} note={undefinedNote(cls.sensitivity, `COVID slices found, at p ≥ ${cls.threshold}`)} />
          <MetricCard testId="specificity-card" name="Specificity" value={cls.specificity} note={undefinedNote(cls.specificity, `non-COVID slices cleared, at p ≥ ${cls.threshold}`)} />
          <MetricCard testId="auc-card" name="AUC" value={cls.auc} note={undefinedNote(cls.auc, interval(cls.aucCi95))} />
          <MetricCard testId="patient-accuracy-card" name="Patient accuracy" value={cls.patient.accuracy} note={`${cls.patient.confusion.tp + cls.patient.confusion.fp + cls.patient.confusion.fn + cls.patient.confusion.tn} patients`} />
        </>
      )}
    </div>
  );
}
