import { formatObjectRef, namesObject, objectRef, parseObjectRef, requireObjectRef } from '../../lib/core/object-ref';

describe('object references', () => {
  test('format and parse are each other\'s inverse', () => {
    const ref = { kind: 'Deployment', namespace: 'shop', name: 'web' };
    expect(formatObjectRef(ref)).toBe('Deployment/shop/web');
    expect(parseObjectRef(formatObjectRef(ref))).toEqual(ref);
  });

  test('an object without a namespace is in default, as kubectl applies it', () => {
    expect(objectRef('Service', undefined, 'web')).toBe('Service/default/web');
  });

  test('parse refuses anything but three non-empty parts', () => {
    for (const text of ['web', 'shop/web', 'Deployment//web', 'a/b/c/d', '']) expect(parseObjectRef(text)).toBeUndefined();
    expect(() => requireObjectRef('orders')).toThrow("'orders' is not a Kind/namespace/name reference");
  });

  test('a person may name an object whole, by namespace/name or by its bare name', () => {
    for (const wanted of ['Deployment/shop/web', 'shop/web', 'web']) expect(namesObject('Deployment/shop/web', wanted)).toBe(true);
    for (const wanted of ['Deployment/other/web', 'other/web', 'we', 'Deployment']) expect(namesObject('Deployment/shop/web', wanted)).toBe(false);
  });
});
