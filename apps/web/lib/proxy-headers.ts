/** Headers of one hop, never passed on (and `host`/`content-length`, which fetch sets itself). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length'];
/** Client-address headers a caller could forge; only X-Forwarded-For, written here, reaches the API. */
const CALLER_ADDRESS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * The address of whoever connected to this web server. Next.js writes the socket's peer address into
 * X-Forwarded-For when the request has none, and the web server's preload
 * (infra/scripts/web-peer-address.js) removes any the caller sent, so its last entry is the peer.
 */
function peerAddress(incoming: Headers): string | undefined {
  return incoming.get('x-forwarded-for')?.split(',').pop()?.trim() || undefined;
}

/**
 * What the API receives: the caller's headers (cookies, Origin, content type…) with X-Forwarded-For
 * overwritten by the address this server saw, so rate limits and the audit log see the real client.
 */
export function requestHeadersForApi(incoming: Headers): Headers {
  const headers = new Headers(incoming);
  for (const name of [...HOP_BY_HOP, ...CALLER_ADDRESS]) headers.delete(name);
  const peer = peerAddress(incoming);
  if (peer) headers.set('x-forwarded-for', peer);
  return headers;
}

/** What the browser receives: the API's headers less hop-by-hop ones and the encoding fetch already undid. */
export function responseHeadersFromApi(upstream: Headers): Headers {
  const headers = new Headers(upstream);
  for (const name of [...HOP_BY_HOP, 'content-encoding']) headers.delete(name);
  return headers;
}
