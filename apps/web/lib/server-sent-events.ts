/** One server-sent event: its `event:` name ('message' when none) and its `data:` lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a text/event-stream body (what the typed client returns with `parseAs: 'stream'`) and
 * calls `onEvent` for each event as it arrives; resolves when the stream ends.
 */
export async function readServerSentEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ServerSentEvent) => void): Promise<void> {
  const chunks = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let event = 'message';
  let data: string[] = [];
  const take = (line: string) => {
    if (line === '') {
      if (data.length > 0) onEvent({ event, data: data.join('\n') });
      event = 'message';
      data = [];
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // a comment (keep-alive)
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    if (field === 'data') data.push(value);
  };
  for (;;) {
    const { done, value } = await chunks.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const parts = buffered.split(/\r\n|\r|\n/);
    buffered = parts.pop() ?? '';
    parts.forEach(take);
  }
  if (buffered) take(buffered);
  take('');
}
