// Preloaded (`node -r`) by the web server: drops any X-Forwarded-For the caller sent before Next.js
// sees the request, so Next.js records the socket's peer address there and the /api proxy
// (apps/web/lib/proxy-headers.ts) hands the API the real client address, not one a caller wrote.
const http = require('node:http');

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithoutForgedAddress(event, request, ...rest) {
  if (event === 'request') delete request.headers['x-forwarded-for'];
  return emit.call(this, event, request, ...rest);
};
