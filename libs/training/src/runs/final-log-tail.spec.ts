import { finalLogTail } from './final-log-tail';

describe('finalLogTail', () => {
  it('shows a log event once although the trainer also printed it on stderr', () => {
    const events = ['[stage] pretrain (1/2) started', '[info] epoch 1', '[error] out of memory'];
    const stderr = ['[info] epoch 1', 'UserWarning: something deprecated', 'Traceback (most recent call last):', '[error] out of memory'];
    expect(finalLogTail(events, stderr, 40)).toEqual([...events, 'UserWarning: something deprecated', 'Traceback (most recent call last):']);
  });

  it('keeps the newest lines within the limit', () => {
    expect(finalLogTail(['a', 'b'], ['c', 'd'], 3)).toEqual(['b', 'c', 'd']);
  });
});
