module.exports = { ...require('../../jest.preset'), displayName: 'worker', rootDir: __dirname };
