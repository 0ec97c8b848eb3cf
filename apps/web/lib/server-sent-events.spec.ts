import { readServerSentEvents, type ServerSentEvent } from './server-sent-events';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(encoder.encode(chunk)));
      controller.close();
    },
  });
}

describe('readServerSentEvents', () => {
  it('yields named events whose lines arrive split across chunks, skipping comments', async () => {
    const events: ServerSentEvent[] = [];
    await readServerSentEvents(streamOf([': keep-alive\n\nevent: metr', 'ics\ndata: {"a":1}\n', '\nevent: run\r\ndata: x\r\ndata: y\r\n\r\n', 'data: last']), (e) => events.push(e));
    expect(events).toEqual([
      { event: 'metrics', data: '{"a":1}' },
      { event: 'run', data: 'x\ny' },
      { event: 'message', data: 'last' },
    ]);
  });
});
