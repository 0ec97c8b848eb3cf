// The load generator of bench/labels.ts, run in a worker thread of its own: the annotators' browsers
// are other machines in production, so the clients must not take turns with the API on its event
// loop. Both threads still share the bench machine's cores. Answers one message at a time:
// `save-one` (a first save) or `run-clients` (a scenario); replies carry raw latencies.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientsSetup {
  port: number;
  authorization: string;
  /** Two request bodies the clients alternate between, as an autosaving brush does. */
  bodies: string[];
}

export type ClientsRequest =
  | { kind: 'save-one'; sliceId: string }
  | { kind: 'run-clients'; sliceIds: string[]; intervalMs: number; warmUpMs: number; measureMs: number };

export type ClientsReply =
  | { kind: 'save-one'; status: number; ms: number }
  | { kind: 'run-clients'; statuses: Record<string, number>; latencies: number[]; window: CpuWindow };

/** What the load generator itself did during the measured window: replies it received and its thread's CPU. */
export interface CpuWindow {
  replies: number;
  /** CPU of this worker thread (user + system) in ms, null where /proc is missing. */
  threadCpuMs: number | null;
}

/** CPU time of the calling thread (user + system, in ms) from /proc/thread-self; null where there is no /proc. */
export function threadCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface Reply {
  status: number;
  etag: string | undefined;
  ms: number;
}

const setup = workerData as ClientsSetup;
// One keep-alive connection per client: each waits for its reply before it sends again.
const agent = new http.Agent({ keepAlive: true });

function put(sliceId: string, body: string, precondition: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      {
        host: '127.0.0.1',
        port: setup.port,
        agent,
        method: 'PUT',
        path: `/api/slices/${sliceId}/mask`,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: setup.authorization, ...precondition },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag, ms: performance.now() - started }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Each client autosaves its slice until the end; replies that started after the warm-up are measured. */
async function runClients(sliceIds: string[], intervalMs: number, warmUpMs: number, measureMs: number) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const measureFrom = performance.now() + warmUpMs;
  const end = measureFrom + measureMs;
  // Replies received (whenever sent) and this thread's CPU inside the measured window, for CPU per save.
  let replies = 0;
  let cpuAtStart: number | null = null;
  let cpuAtEnd: number | null = null;
  const windowStart = setTimeout(() => (cpuAtStart = threadCpuMs()), warmUpMs);
  const windowEnd = setTimeout(() => (cpuAtEnd = threadCpuMs()), warmUpMs + measureMs);
  await Promise.all(
    sliceIds.map(async (sliceId, client) => {
      let precondition: Record<string, string> = { 'If-None-Match': '*' };
      // Paced clients start spread over one interval, as independent annotators would.
      let due = performance.now() + (intervalMs * client) / sliceIds.length;
      for (let n = 0; ; n++) {
        if (intervalMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          due += intervalMs;
        }
        const sentAt = performance.now();
        if (sentAt >= end) break;
        const reply = await put(sliceId, setup.bodies[n % 2], precondition);
        const receivedAt = performance.now();
        if (receivedAt >= measureFrom && receivedAt < end) replies++;
        if (reply.etag) precondition = { 'If-Match': reply.etag };
        if (sentAt >= measureFrom) {
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          latencies.push(reply.ms);
        }
      }
    }),
  );
  clearTimeout(windowStart);
  clearTimeout(windowEnd);
  const threadCpu = cpuAtStart !== null && cpuAtEnd !== null ? cpuAtEnd - cpuAtStart : null;
  return { statuses, latencies, window: { replies, threadCpuMs: threadCpu } };
}

async function answer(request: ClientsRequest): Promise<ClientsReply> {
  if (request.kind === 'save-one') {
    const { status, ms } = await put(request.sliceId, setup.bodies[0], { 'If-None-Match': '*' });
    return { kind: 'save-one', status, ms };
  }
  return { kind: 'run-clients', ...(await runClients(request.sliceIds, request.intervalMs, request.warmUpMs, request.measureMs)) };
}

// A failure becomes an unhandled rejection, which ends the worker with an 'error' the bench reports.
parentPort?.on('message', async (request: ClientsRequest) => parentPort?.postMessage(await answer(request)));
