import { knownImage, missingTools } from '../../../lib/core/gateway/images';

describe('knownImage', () => {
  test('the official Envoy image has bash and sleep, neither wget nor curl, with or without registry, tag or digest', () => {
    for (const image of ['envoyproxy/envoy:v1.35.0', 'docker.io/envoyproxy/envoy:v1.35.0', 'docker.io/envoyproxy/envoy@sha256:abc', 'envoyproxy/envoy-dev:latest', 'mirror.local:5000/envoyproxy/envoy:contrib-v1.35.0']) {
      expect(knownImage(image)?.tools).toEqual(['sh', 'bash', 'sleep']);
      expect(missingTools(image, ['bash', 'wget', 'curl'])).toEqual(['wget', 'curl']);
    }
  });

  test('distroless Envoy, Envoy Gateway\'s and Contour\'s images have no shell', () => {
    for (const image of ['envoyproxy/envoy:distroless-v1.35.0', 'envoyproxy/envoy-distroless:v1.31.2', 'docker.io/envoyproxy/gateway:v1.5.0', 'ghcr.io/projectcontour/contour:v1.30.0', 'gcr.io/distroless/base:nonroot']) {
      expect(knownImage(image)?.tools).toEqual([]);
    }
  });

  test('Gloo\'s and the Alpine Envoy images have BusyBox sh and wget, no bash', () => {
    for (const image of ['quay.io/solo-io/gloo-envoy-wrapper:1.17.0', 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0-distroless', 'envoyproxy/envoy-alpine:v1.21.0']) {
      expect(knownImage(image)).toMatchObject({ tools: ['sh', 'sleep', 'wget'], busybox: true });
    }
  });

  test('an image not known is taken at its word', () => {
    expect(knownImage('registry.example.com/team/envoy:1')).toBeUndefined();
    expect(knownImage(undefined)).toBeUndefined();
    expect(missingTools('registry.example.com/team/envoy:1', ['wget'])).toEqual([]);
  });
});
