import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

/**
 * Layers (tags in each package.json "nx.tags"):
 *   layer:domain      types, errors, settings: depend on nothing of ours
 *   layer:core        business rules: domain and other core libs only, never an adapter
 *   layer:adapter     drivers and transports (embedded stores, HTTP): domain and core
 *   layer:composition binds adapters to ports; apps sit on top of it
 */
export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/**', 'test/clients/**', 'var/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: ['layer:domain'] },
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:domain', 'layer:core'] },
            { sourceTag: 'layer:adapter', onlyDependOnLibsWithTags: ['layer:domain', 'layer:core', 'layer:adapter'] },
            {
              sourceTag: 'layer:composition',
              onlyDependOnLibsWithTags: ['layer:domain', 'layer:core', 'layer:adapter'],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['layer:domain', 'layer:composition'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
);
