// Jest runs CommonJS; NestJS 12 ships ES modules, which Node loads with require(esm) but jest's
// module registry cannot. This transformer turns those packages' ES modules into CommonJS for tests.
const ts = require('typescript');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, filename) {
    const patched = source
      // CommonJS already has a module-scoped `require`; redeclaring it is a syntax error.
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href');
    const { outputText } = ts.transpileModule(patched, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update('esm-transformer-2').update(filename).update(source).digest('hex');
  },
};
