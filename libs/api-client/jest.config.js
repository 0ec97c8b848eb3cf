module.exports = { ...require('../../jest.preset'), displayName: 'api-client', rootDir: __dirname };
