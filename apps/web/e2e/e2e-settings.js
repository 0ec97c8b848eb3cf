// Ports and names of the platform the browser tests run against (apart from a developer's `npm start`).
module.exports = {
  E2E_DATABASE: 'lesionlab_e2e',
  API_PORT: 3310,
  WORKER_HEALTH_PORT: 3311,
  WEB_PORT: 4310,
};
