module.exports = { ...require('../../jest.preset'), displayName: 'labels', rootDir: __dirname };
