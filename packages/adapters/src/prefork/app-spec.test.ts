import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appSpecFromString, stringFromAppSpec, type AppSpec } from './app-spec.js';
import { SettingsError } from './settings-error.js';

const identifier = fc.stringMatching(/^[A-Za-z_$][\w$]{0,12}$/);
const modulePath = fc.stringMatching(/^(?:\.{1,2}\/|\/)?[\w@.-]+(?:\/[\w@.-]+){0,3}$/).filter((m) => !m.endsWith(':'));
const spec: fc.Arbitrary<AppSpec> = fc.record({ module: modulePath, exportName: fc.oneof(fc.constant('default'), identifier), factory: fc.boolean() });

describe('appSpecFromString / stringFromAppSpec', () => {
  it.each([
    ['./app.ts', { module: './app.ts', exportName: 'default', factory: false }],
    ['./app.ts:api', { module: './app.ts', exportName: 'api', factory: false }],
    ['server.mjs:createApp()', { module: 'server.mjs', exportName: 'createApp', factory: true }],
    ['@acme/site/app', { module: '@acme/site/app', exportName: 'default', factory: false }],
    ['C:\\srv\\app.js', { module: 'C:\\srv\\app.js', exportName: 'default', factory: false }],
    ['C:\\srv\\app.js:app', { module: 'C:\\srv\\app.js', exportName: 'app', factory: false }],
    ['file:///srv/app.mjs', { module: 'file:///srv/app.mjs', exportName: 'default', factory: false }],
  ])('PF-1: reads %s', (text, expected) => {
    expect(appSpecFromString(text)).toEqual(expected);
  });

  it.each(['', '   ', './app.ts:', './app.ts:make(1)'])('PF-1: rejects %j', (text) => {
    expect(() => appSpecFromString(text)).toThrow(SettingsError);
    expect(() => appSpecFromString(text)).toThrow(/^\[PF-1\]/);
  });

  it('PF-1: round-trips every spec', () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(appSpecFromString(stringFromAppSpec(s))).toEqual(s);
      }),
      { examples: [[{ module: 'pkg:app', exportName: 'default', factory: false }]] },
    );
  });
});
