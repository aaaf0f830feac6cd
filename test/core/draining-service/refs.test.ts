import { drainingServiceRefs } from '../../../lib/core/draining-service';

describe('drainingServiceRefs', () => {
  test('names the Deployment, both Services and the headless DNS name in the namespace', () => {
    expect(drainingServiceRefs('orders', 'shop')).toEqual({
      deploymentObject: 'Deployment/shop/orders',
      serviceObject: 'Service/shop/orders',
      headlessServiceObject: 'Service/shop/orders-headless',
      headlessDnsName: 'orders-headless.shop.svc.cluster.local',
    });
  });

  test('without a namespace they land in default, as kubectl applies them', () => {
    expect(drainingServiceRefs('orders').headlessDnsName).toBe('orders-headless.default.svc.cluster.local');
  });
});
