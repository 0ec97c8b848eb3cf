// `npx jest` at the root runs every TypeScript project's tests in one process pool. testTimeout is a
// global option: in a multi-project run the projects' own value is not read.
module.exports = {
  testTimeout: 60000,
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/{api,worker,cli}/jest.config.js', '<rootDir>/apps/web/jest.config.js', '<rootDir>/infra/boundaries/jest.config.js'],
};
