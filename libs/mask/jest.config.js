module.exports = { ...require('../../jest.preset'), displayName: 'mask', rootDir: __dirname };
