module.exports = { ...require('../../jest.preset'), displayName: 'releases', rootDir: __dirname };
