/* A require hook for TypeScript in a forked child process (Jest transforms only its own workers): @swc/core, as jest.config.js does. */
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, sourceMaps: 'inline' });
  module._compile(code, filename);
};
