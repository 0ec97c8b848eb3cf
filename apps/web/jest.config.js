module.exports = { ...require('../../jest.preset'), displayName: 'web', rootDir: __dirname, testMatch: ['<rootDir>/lib/**/*.spec.ts'] };
