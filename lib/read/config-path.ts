import { asArray, asString, at, isObject, Json } from './fields';

/**
 * The bootstrap file an Envoy container loads: the `-c`/`--config-path` of its command line
 * (the last one when repeated, as Envoy's flag parser keeps), followed through the container's
 * volumeMounts to the ConfigMap volume and data key it is. A ConfigMap may hold several files;
 * only the one Envoy loads is the gateway's bootstrap.
 * @see https://www.envoyproxy.io/docs/envoy/latest/operations/cli#cmdoption-c
 */
export type LoadedConfig =
  /** No `-c`: nothing names the file (the mounted bootstraps are the best guess). */
  | { readonly kind: 'unnamed' }
  /** The file is a key of a mounted ConfigMap. */
  | { readonly kind: 'config-map'; readonly path: string; readonly configMap: string; readonly key: string }
  /** The path is not in a ConfigMap volume (baked into the image, or another volume type). */
  | { readonly kind: 'elsewhere'; readonly path: string };

/** The `-c`/`--config-path` value of a container's command line. */
export function configPathArgument(container: Json | undefined): string | undefined {
  if (!container) return undefined;
  const words = [...asArray(container.command), ...asArray(container.args)].filter((word): word is string => typeof word === 'string');
  let found: string | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if ((word === '-c' || word === '--config-path') && index + 1 < words.length) found = words[++index];
    else if (word.startsWith('--config-path=')) found = word.slice('--config-path='.length);
  }
  return found;
}

function normalize(file: string): string {
  const parts: string[] = [];
  for (const part of file.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Where the container's `-c` file comes from. */
export function loadedConfig(container: Json | undefined, volumes: readonly Json[]): LoadedConfig {
  const argument = configPathArgument(container);
  if (argument === undefined || !argument.startsWith('/')) return { kind: 'unnamed' };
  const file = normalize(argument);
  // The deepest mount that holds the file wins, as in the container's filesystem.
  const mounts = asArray(container?.volumeMounts).filter(isObject)
    .map((mount) => ({ name: asString(mount.name), mountPath: normalize(asString(mount.mountPath) ?? '/'), subPath: asString(mount.subPath) }))
    .filter((mount) => mount.name !== undefined && (file === mount.mountPath || file.startsWith(`${mount.mountPath === '/' ? '' : mount.mountPath}/`)))
    .sort((a, b) => b.mountPath.length - a.mountPath.length);
  const mount = mounts[0];
  if (!mount) return { kind: 'elsewhere', path: file };
  const volume = volumes.find((each) => isObject(each) && each.name === mount.name);
  const configMap = asString(at(volume, 'configMap', 'name'));
  if (!configMap) return { kind: 'elsewhere', path: file };
  // The path inside the volume: the mount's subPath when it names a file, else what is below the mount.
  const inside = file === mount.mountPath ? mount.subPath ?? '' : normalize(`${mount.subPath ?? ''}/${file.slice(mount.mountPath.length + 1)}`).slice(1);
  const items = asArray(at(volume, 'configMap', 'items')).filter(isObject);
  if (items.length > 0) {
    const item = items.find((each) => normalize(asString(each.path) ?? '').slice(1) === inside);
    const key = asString(item?.key);
    return key ? { kind: 'config-map', path: file, configMap, key } : { kind: 'elsewhere', path: file };
  }
  return inside === '' || inside.includes('/') ? { kind: 'elsewhere', path: file } : { kind: 'config-map', path: file, configMap, key: inside };
}
