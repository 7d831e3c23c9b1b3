// Four tiers, one config. `npm test` (scripts/test.ts) starts the emulators and runs them in order.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(m?t|j)s$': swc },
  // NestJS 12 ships ESM only: let swc turn it into CommonJS for Jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|cookie)/)'],
  moduleNameMapper: { '^@convene/([a-z]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  moduleFileExtensions: ['ts', 'mts', 'js', 'json'],
};
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,k8s}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-emulators.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-emulators.ts'],
    },
    {
      ...shared,
      displayName: 'resilience',
      testMatch: ['<rootDir>/test/resilience/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-emulators.ts'],
    },
  ],
};
