// `npx jest` at the root runs every TypeScript project's tests in one process pool.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/{api,worker,cli}/jest.config.js'],
};
