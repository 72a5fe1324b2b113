import { SettingsError, showValue } from './settings-error.js';

/**
 * What `tsgi serve MODULE[:EXPORT]` names: a module (a file path or a package specifier)
 * and the export that holds the app. `factory` marks gunicorn's `module:create_app()` form:
 * the export is called (and awaited) once per worker to get the app.
 */
export interface AppSpec {
  readonly module: string;
  /** The export's name; `default` when the spec names none (PF-1). */
  readonly exportName: string;
  readonly factory: boolean;
}

const EXPORT = /^([A-Za-z_$][\w$]*)(\(\))?$/;

/** Parses `MODULE[:EXPORT]` (`./app.ts`, `./app.ts:api`, `pkg/server:createApp()`). */
export function appSpecFromString(text: string): AppSpec {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new SettingsError(`[PF-1] the app must be given as MODULE[:EXPORT]; got ${showValue(text)}`);
  }
  // Split at the last colon only when an identifier follows, so that `C:\app.js` and
  // `file:///srv/app.js` keep their colons.
  const colon = text.lastIndexOf(':');
  const tail = colon >= 0 ? EXPORT.exec(text.slice(colon + 1)) : null;
  if (colon > 0 && tail) {
    return { module: text.slice(0, colon), exportName: tail[1]!, factory: tail[2] !== undefined };
  }
  if (colon === text.length - 1 || (colon > 0 && /^[\w$]*\(/.test(text.slice(colon + 1)))) {
    throw new SettingsError(
      `[PF-1] the app's EXPORT must be an identifier, optionally followed by "()"; got ${showValue(text)}`,
    );
  }
  return { module: text, exportName: 'default', factory: false };
}

/** Writes a spec back in the form `appSpecFromString` reads. */
export function stringFromAppSpec(spec: AppSpec): string {
  if (spec.exportName === 'default' && !spec.factory && !EXPORT.test(spec.module.slice(spec.module.lastIndexOf(':') + 1))) {
    return spec.module;
  }
  return `${spec.module}:${spec.exportName}${spec.factory ? '()' : ''}`;
}
