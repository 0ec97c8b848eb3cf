import { createServer } from 'node:net';

/** A TCP port the OS has just handed out and released: free to listen on (a random pick can land on one in use). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
