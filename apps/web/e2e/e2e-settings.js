// Ports and names of the platform the browser tests run against (apart from a developer's `npm start`).
module.exports = {
  E2E_DATABASE: 'lesionlab_e2e',
  API_PORT: 3310,
  WORKER_HEALTH_PORT: 3311,
  WEB_PORT: 4310,
  // The first admin of the fresh e2e database (the API creates it on its first start).
  ADMIN_EMAIL: 'admin@lesionlab.local',
  ADMIN_PASSWORD: 'e2e-admin-password',
};
