import { splitJobMeta, withJobMeta } from './job-meta';

describe('job meta', () => {
  it('carries the request id beside the payload and takes it off again', () => {
    const data = withJobMeta({ path: '/data' }, { requestId: 'req-1' });
    expect(splitJobMeta(data)).toEqual({ payload: { path: '/data' }, meta: { requestId: 'req-1' } });
  });

  it('leaves a payload alone when there is no request', () => {
    expect(withJobMeta({ a: 1 }, {})).toEqual({ a: 1 });
    expect(splitJobMeta({ a: 1 })).toEqual({ payload: { a: 1 }, meta: {} });
    expect(splitJobMeta([1, 2])).toEqual({ payload: [1, 2], meta: {} });
  });
});
