import type { Confusion } from '../../lib/models/evaluation-report';
import styles from './models.module.css';

/** A 2×2 confusion matrix: rows the truth, columns the prediction; right answers green, wrong red. */
export function ConfusionMatrix({ title, confusion, testId }: { title: string; confusion: Confusion; testId: string }) {
  return (
    <table className={styles.confusion} data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr><th scope="col">truth ↓ · predicted →</th><th scope="col">COVID</th><th scope="col">non-COVID</th></tr>
      </thead>
      <tbody>
        <tr><th scope="row">COVID</th><td className={styles.hit}>{confusion.tp}</td><td className={styles.miss}>{confusion.fn}</td></tr>
        <tr><th scope="row">non-COVID</th><td className={styles.miss}>{confusion.fp}</td><td className={styles.hit}>{confusion.tn}</td></tr>
      </tbody>
    </table>
  );
}
