module.exports = { ...require('../../jest.preset'), displayName: 'training', rootDir: __dirname };
